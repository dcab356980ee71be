namespace Vigil.Core.Sync;

/// <summary>Outcome of a sync run or of one of its stages.</summary>
public enum SyncStatus
{
    Running,
    Complete,
    /// <summary>Some stage failed or some data could not be read; what was committed is current.</summary>
    Partial,
    Failed,
    /// <summary>Stopped by the operator (Ctrl+C, SIGTERM); stages committed before it stay, nothing half-written is kept.</summary>
    Cancelled,
}

/// <summary>The stages of a sync, in the order they run. Each commits on its own.</summary>
public enum SyncStageKind
{
    /// <summary>Accounts, roles, members: a few dozen calls, committed first.</summary>
    Access,
    /// <summary>Zones and their security configuration.</summary>
    Infra,
}

/// <summary>One sync run as recorded in history.</summary>
/// <param name="Trigger">"cli", "demo", "schedule", ...</param>
public sealed record SyncRun(
    string Id,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    SyncStatus Status,
    string? Reason,
    SyncCounts Counts,
    IReadOnlyList<SyncStageResult> Stages,
    IReadOnlyList<ReadGap> Skipped);

/// <summary>Totals of a run.</summary>
/// <param name="Members">Memberships across accounts.</param>
/// <param name="RateLimited">HTTP 429 responses received.</param>
public sealed record SyncCounts(int Accounts, int Members, int Zones, int ApiCalls, int RateLimited)
{
    public static readonly SyncCounts Zero = new(0, 0, 0, 0, 0);
}

/// <summary>One stage of a run for one connection.</summary>
public sealed record SyncStageResult(string ConnectionId, SyncStageKind Stage, SyncStatus Status, string? Reason, int ApiCalls, long DurationMs, DateTimeOffset? CommittedAt);
