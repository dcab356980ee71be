using Vigil.Cloudflare.Sync;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App.Queries;

/// <summary>One stage of a run for one connection.</summary>
/// <param name="Stage">access or infra.</param>
/// <param name="Status">running, complete, partial, failed or cancelled.</param>
public sealed record RunStageView(string ConnectionId, string? ConnectionName, string Stage, string Status, string? Reason, int ApiCalls, long DurationMs, DateTimeOffset? CommittedAt);

/// <summary>How far a running sync has got (only while it runs in this process).</summary>
public sealed record RunProgressView(
    string Stage,
    string ConnectionName,
    int AccountsDone,
    int AccountsTotal,
    int Members,
    int ZonesDone,
    int ZonesTotal,
    int ApiCalls,
    bool PacedByRateLimit,
    double? EstimatedSecondsLeft);

/// <summary>A read the run could not make, with the permission that would allow it.</summary>
public sealed record RunGapView(string Stage, string ResourceType, string? ResourceId, string What, string Reason, string? MissingPermission);

/// <summary>A sync run: who asked, when, the outcome, each stage, and (while running here) its progress.</summary>
/// <param name="Trigger">cli, api, schedule, enqueue, demo, ...</param>
/// <param name="Status">running, complete, partial, failed or cancelled.</param>
public sealed record RunView(
    string Id,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Status,
    string? Reason,
    SyncCounts Counts,
    IReadOnlyList<RunStageView> Stages,
    IReadOnlyList<RunGapView> Skipped,
    RunProgressView? Progress);

/// <summary>Sync runs, newest first.</summary>
public static class RunsQuery
{
    /// <param name="live">The progress of a run running in this process, by run id; null when unknown.</param>
    public static async Task<Page<RunView>> ListAsync(IVigilStore store, PageRequest page, Func<string, SyncProgress?>? live, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(page);
        page.Validate();
        // The store lists the newest runs; one more than the page tells whether another page follows.
        var runs = await store.ListRunsAsync(page.Offset + page.Limit + 1, ct);
        var names = await ConnectionNamesAsync(store, ct);
        var items = runs.Skip(page.Offset).Take(page.Limit).Select(r => View(r, names, live)).ToList();
        var more = runs.Count > page.Offset + page.Limit;
        return new Page<RunView>(items, more ? page.Offset + page.Limit + 1 : runs.Count, page.Offset, page.Limit, more ? page.Offset + items.Count : null);
    }

    public static async Task<RunView?> GetAsync(IVigilStore store, string runId, Func<string, SyncProgress?>? live, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var run = await store.GetRunAsync(runId, ct);
        return run is null ? null : View(run, await ConnectionNamesAsync(store, ct), live);
    }

    private static async Task<Dictionary<string, string>> ConnectionNamesAsync(IVigilStore store, CancellationToken ct) =>
        (await store.ListAsync(ct)).ToDictionary(c => c.Id, c => c.Name, StringComparer.Ordinal);

    private static RunView View(SyncRun run, Dictionary<string, string> names, Func<string, SyncProgress?>? live)
    {
        var progress = run.Status == SyncStatus.Running ? live?.Invoke(run.Id) : null;
        return new RunView(
            run.Id,
            run.Trigger,
            run.StartedAt,
            run.EndedAt,
            Text.Of(run.Status),
            run.Reason,
            run.Counts,
            [.. run.Stages.Select(s => new RunStageView(s.ConnectionId, names.GetValueOrDefault(s.ConnectionId), Text.Of(s.Stage), Text.Of(s.Status), s.Reason, s.ApiCalls, s.DurationMs, s.CommittedAt))],
            [.. run.Skipped.Select(g => new RunGapView(g.Stage, g.ResourceType, g.ResourceId, g.What, g.Reason, g.MissingPermission))],
            progress is null ? null : new RunProgressView(
                Text.Of(progress.Stage), progress.ConnectionName, progress.AccountsDone, progress.AccountsTotal, progress.Members,
                progress.ZonesDone, progress.ZonesTotal, progress.ApiCalls, progress.PacedByRateLimit, progress.EstimatedTimeLeft?.TotalSeconds));
    }
}
