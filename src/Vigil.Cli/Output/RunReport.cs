using Vigil.Core.Sync;

namespace Vigil.Cli.Output;

// The JSON shape of `vigil runs show RUN --format json`: the run as `vigil sync --format json` reports it, plus its
// trigger, times and coverage. Fields may be added, never renamed.

internal sealed record RunReport(
    string Id,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
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
    IReadOnlyList<CoverageReport> Coverage,
    string Mode = "full",
    int LogEntries = 0,
    int ResourcesReread = 0,
    IReadOnlyList<RereadReport>? Reread = null,
    int ResourcesCarried = 0,
    IReadOnlyList<string>? Fallbacks = null)
{
    public static RunReport From(SyncRun run, IReadOnlyDictionary<string, string> connectionNames)
    {
        var sync = SyncReport.From(run, connectionNames);
        return new RunReport(
            run.Id, run.Trigger, run.StartedAt, run.EndedAt, sync.Status, sync.Reason, sync.Accounts, sync.Members, sync.Zones,
            sync.ApiCalls, sync.RateLimited, sync.DurationMs, sync.Stages, sync.Skipped,
            (run.Coverage ?? []).Select(c => new CoverageReport(
                c.Stage,
                c.ConnectionId is { } id ? connectionNames.GetValueOrDefault(id, id) : null,
                c.List, c.Pages, c.Items, c.TotalCount, c.TotalPages, c.PerPage, c.Stop, c.Complete)).ToList(),
            sync.Mode, sync.LogEntries, sync.ResourcesReread, sync.Reread, sync.ResourcesCarried, sync.Fallbacks);
    }
}

/// <summary>One list read: pages read, items received, Cloudflare's counts and why paging stopped.</summary>
internal sealed record CoverageReport(
    string? Stage,
    string? Connection,
    string List,
    int Pages,
    int Items,
    int? TotalCount,
    int? TotalPages,
    int? PerPage,
    string Stop,
    bool Complete);
