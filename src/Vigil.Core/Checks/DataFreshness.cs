using Vigil.Core.Sync;

namespace Vigil.Core.Checks;

/// <summary>When each stage's data was read and whether the newest sync of that stage failed: what checks judge staleness by.</summary>
public sealed record DataFreshness(StageFreshness Access, StageFreshness Infra)
{
    /// <summary>
    /// The freshness of <paramref name="snapshot"/>'s data. <paramref name="runs"/> are recent sync runs (any order); the
    /// newest run that ran a stage tells whether that stage's last sync failed. A failure counts only when that run
    /// started after the data was read (a run that failed before the data committed says nothing about it).
    /// </summary>
    public static DataFreshness Of(Snapshot snapshot, IEnumerable<SyncRun>? runs = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var finished = (runs ?? []).ToList();
        return new DataFreshness(
            new StageFreshness(snapshot.AccessSyncedAt, LastFailure(SyncStageKind.Access, snapshot.AccessSyncedAt, finished)),
            new StageFreshness(snapshot.InfraSyncedAt, LastFailure(SyncStageKind.Infra, snapshot.InfraSyncedAt, finished)));
    }

    public StageFreshness For(SyncStageKind stage) => stage == SyncStageKind.Access ? Access : Infra;

    private static string? LastFailure(SyncStageKind stage, DateTimeOffset? syncedAt, IReadOnlyList<SyncRun> runs)
    {
        var newest = runs.Where(r => r.Stages.Any(s => s.Stage == stage)).MaxBy(r => r.StartedAt);
        if (newest is null || (syncedAt is { } readAt && newest.StartedAt <= readAt))
        {
            return null;
        }

        var failed = newest.Stages.Where(s => s.Stage == stage && s.Status == SyncStatus.Failed).ToList();
        return failed.Count == 0 ? null : string.Join(" ", failed.Select(f => f.Reason is { Length: > 0 } reason ? reason : "no reason was recorded"));
    }
}

/// <summary>The age of one stage's data.</summary>
/// <param name="SyncedAt">When the data was read (committed); with several connections the OLDEST of their commits. Null: never synced.</param>
/// <param name="LastFailure">Why the newest sync of this stage failed after this data was read; null when it did not fail.</param>
public sealed record StageFreshness(DateTimeOffset? SyncedAt, string? LastFailure)
{
    /// <summary>How old the data is at <paramref name="now"/>; null when never synced.</summary>
    public TimeSpan? AgeAt(DateTimeOffset now) => SyncedAt is { } at ? now - at : null;
}
