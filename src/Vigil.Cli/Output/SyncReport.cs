using Vigil.Core.Sync;

namespace Vigil.Cli.Output;

// The JSON shape of `vigil sync --format json`. Fields may be added, never renamed.

internal sealed record SyncReport(
    string SnapshotId,
    string Status,
    string? Reason,
    int Accounts,
    int Members,
    int Zones,
    int ApiCalls,
    int RateLimited,
    long DurationMs,
    IReadOnlyList<SyncStageReport> Stages,
    IReadOnlyList<SkippedReport> Skipped)
{
    public static SyncReport From(SyncRun run, IReadOnlyDictionary<string, string> connectionNames) => new(
        run.Id,
        Render.Lower(run.Status),
        run.Reason,
        run.Counts.Accounts,
        run.Counts.Members,
        run.Counts.Zones,
        run.Counts.ApiCalls,
        run.Counts.RateLimited,
        run.EndedAt is { } end ? (long)(end - run.StartedAt).TotalMilliseconds : 0,
        run.Stages.Select(s => new SyncStageReport(
            Render.Lower(s.Stage),
            connectionNames.GetValueOrDefault(s.ConnectionId, s.ConnectionId),
            Render.Lower(s.Status),
            s.Reason,
            s.ApiCalls,
            s.DurationMs,
            s.CommittedAt)).ToList(),
        run.Skipped.Select(g => new SkippedReport(g.Stage, g.ResourceType, g.ResourceId, g.What, g.Reason, g.MissingPermission)).ToList());
}

internal sealed record SyncStageReport(string Name, string Connection, string Status, string? Reason, int ApiCalls, long DurationMs, DateTimeOffset? CommittedAt);

internal sealed record SkippedReport(string Stage, string ResourceType, string? ResourceId, string What, string Reason, string? MissingPermission);
