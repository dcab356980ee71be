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
    IReadOnlyList<SkippedReport> Skipped,
    string Mode = "full",
    int LogEntries = 0,
    int ResourcesReread = 0,
    IReadOnlyList<RereadReport>? Reread = null,
    int ResourcesCarried = 0,
    IReadOnlyList<string>? Fallbacks = null)
{
    public IReadOnlyList<string> Fallbacks { get; init; } = Fallbacks ?? [];

    /// <summary>"incremental: 12 log entries read, 84 resources re-read (20 logged_change zone, 64 freshness zone), 1,608 carried over" or "full".</summary>
    public static string DescribeMode(SyncReport report) => report.Mode == StageReadMode.Incremental
        ? $"incremental: {report.LogEntries} audit log entr{(report.LogEntries == 1 ? "y" : "ies")} read, {report.ResourcesReread} resource(s) re-read" +
          (report.Reread is { Count: > 0 } r ? " (" + string.Join(", ", r.Select(x => $"{x.Count} {x.ResourceType} {x.Why}")) + ")" : "") +
          $", {report.ResourcesCarried} carried over from the last snapshot"
        : "full" + (report.LogEntries > 0 ? $" ({report.LogEntries} audit log entries read)" : "");

    /// <summary>"incremental" when every stage that committed read incrementally; otherwise "full".</summary>
    private static string ModeOf(SyncRun run)
    {
        var committed = run.Stages.Where(s => s.CommittedAt is not null).ToList();
        return committed.Count > 0 && committed.All(s => s.Read?.Mode == StageReadMode.Incremental) ? StageReadMode.Incremental : StageReadMode.Full;
    }

    private static IReadOnlyList<RereadReport> RereadOf(SyncRun run) =>
        [.. run.Stages.SelectMany(s => s.Read?.ReRead ?? [])
            .GroupBy(r => (r.Why, r.ResourceType))
            .OrderBy(g => g.Key.ResourceType, StringComparer.Ordinal).ThenBy(g => g.Key.Why, StringComparer.Ordinal)
            .Select(g => new RereadReport(g.Key.Why, g.Key.ResourceType, g.Sum(r => r.Count)))];

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
            s.CommittedAt,
            s.Read?.Mode,
            s.Read?.LogEntries ?? 0,
            s.Read?.Fallbacks ?? [])).ToList(),
        run.Skipped.Select(g => new SkippedReport(g.Stage, g.ResourceType, g.ResourceId, g.What, g.Reason, g.MissingPermission)).ToList(),
        ModeOf(run),
        // Both stages of a connection share its log reads: count each connection's entries once.
        run.Stages.GroupBy(s => s.ConnectionId).Sum(g => g.Max(s => s.Read?.LogEntries ?? 0)),
        run.Stages.Sum(s => s.Read?.ReRead.Sum(r => r.Count) ?? 0),
        RereadOf(run),
        run.Stages.Sum(s => s.Read?.Carried ?? 0),
        [.. run.Stages.SelectMany(s => s.Read?.Fallbacks ?? [])]);
}

/// <summary>Resources an incremental sync re-read for one reason: logged_change, new, list_changed, freshness, not_understood, fallback.</summary>
internal sealed record RereadReport(string Why, string ResourceType, int Count);

internal sealed record SyncStageReport(string Name, string Connection, string Status, string? Reason, int ApiCalls, long DurationMs, DateTimeOffset? CommittedAt,
    string? Mode = null, int LogEntries = 0, IReadOnlyList<string>? Fallbacks = null);

internal sealed record SkippedReport(string Stage, string ResourceType, string? ResourceId, string What, string Reason, string? MissingPermission);
