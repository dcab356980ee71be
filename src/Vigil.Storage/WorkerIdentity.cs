using System.Globalization;

namespace Vigil.Storage;

/// <summary>
/// The name this process records as a sync run's <c>worker</c>: <c>VIGIL_WORKER_NAME</c> when set, else
/// "host:pid". <c>vigil worker</c> and <c>vigil serve</c> use the same name as their scheduler instance, so a run
/// and the cluster's check-in rows name the same process.
/// </summary>
public static class WorkerIdentity
{
    public const string EnvironmentVariable = "VIGIL_WORKER_NAME";

    public static string Name { get; } = Resolve();

    private static string Resolve()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim();
        if (!string.IsNullOrEmpty(configured))
        {
            // A name is shown in tables and used as the scheduler's instance id: printable, bounded.
            var clean = new string([.. configured.Where(c => !char.IsControl(c))]);
            return clean.Length > 100 ? clean[..100] : clean;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}");
    }
}
