using System.Diagnostics;
using System.Globalization;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// Which process runs a sync: machine, process id and the process's start time (pids are reused).
/// A run left "running" by an owner that no longer exists was interrupted by a crash or kill.
/// </summary>
internal sealed record RunOwner(string Value)
{
    public static readonly RunOwner CurrentProcess = Describe();

    public bool IsAlive()
    {
        if (this == CurrentProcess)
        {
            return true;
        }

        var parts = Value.Split('|');
        if (parts.Length != 3
            || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var startTicks))
        {
            // Another machine cannot share an SQLite file safely, so its runs are not live here.
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().Ticks == startTicks;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false; // no such process, or it exited meanwhile
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Cannot inspect it: assume it lives rather than mark a working sync as failed.
            return true;
        }
    }

    private static RunOwner Describe()
    {
        using var self = Process.GetCurrentProcess();
        var started = self.StartTime.ToUniversalTime().Ticks;
        return new RunOwner(string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}|{Environment.ProcessId}|{started}"));
    }
}
