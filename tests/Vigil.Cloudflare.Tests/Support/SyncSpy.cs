using Vigil.Cloudflare.Sync;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Tests.Support;

/// <summary>Synchronous progress sink (Progress&lt;T&gt; posts asynchronously) that can act mid-sync.</summary>
internal sealed class ProgressSpy(Action<SyncProgress>? onReport = null) : IProgress<SyncProgress>
{
    private readonly Lock _gate = new();

    public List<SyncProgress> Reports { get; } = [];

    public void Report(SyncProgress value)
    {
        lock (_gate)
        {
            Reports.Add(value);
        }
        onReport?.Invoke(value);
    }
}

internal static class SyncExtensions
{
    /// <summary>A full sync (<c>--full</c>): these tests change the simulator between syncs without audit log entries; incremental syncs have their own tests.</summary>
    public static Task<SyncRun> RunAsync(this SyncService sync, ConnectionPurpose purpose = ConnectionPurpose.Both, IProgress<SyncProgress>? progress = null,
        List<SyncStageKind>? committed = null) =>
        sync.RunAsync(new SyncRequest(purpose, "test", Full: true), progress, (stage, _) =>
        {
            committed?.Add(stage);
            return Task.CompletedTask;
        }, CancellationToken.None);
}
