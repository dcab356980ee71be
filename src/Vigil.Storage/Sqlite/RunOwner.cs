using System.Diagnostics;
using System.Globalization;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// Which process runs a sync: machine, process id and the process's start time (pids are reused).
/// A run left "running" by an owner that no longer exists was interrupted by a crash or kill.
/// </summary>
internal sealed record RunOwner(string Value)
{
    public static readonly RunOwner CurrentProcess = OfCurrentProcess();

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
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var startedUnixMs))
        {
            // Another machine cannot share an SQLite file safely, so its runs are not live here.
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            // Start times are derived from the boot clock and may differ slightly between readers; a reused pid differs by far more.
            return Math.Abs(StartedUnixMs(process) - startedUnixMs) < 2_000;
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

    /// <summary>"process 1234 on host-a", for messages that name who holds a run.</summary>
    public string Describe() => Value.Split('|') is [var host, var pid, _] ? $"process {pid} on {host}" : $"owner {Value}";

    public static RunOwner Of(Process process) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}|{process.Id}|{StartedUnixMs(process)}"));

    private static RunOwner OfCurrentProcess()
    {
        using var self = Process.GetCurrentProcess();
        return Of(self);
    }

    private static long StartedUnixMs(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
}
