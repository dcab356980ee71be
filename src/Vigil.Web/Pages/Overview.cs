using System.Collections.Concurrent;
using System.Globalization;
using Vigil.App.Queries;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.Web.Pages;

/// <summary>The last time one stage committed data, and how long ago that is.</summary>
internal sealed record StageFreshnessRow(string Stage, DateTimeOffset? CommittedAt, string Age, string? LastFailure);

/// <summary>One point of the trend: failing findings in one sync's newest evaluation.</summary>
internal sealed record TrendPoint(string RunId, DateTimeOffset At, int Failing);

/// <summary>What the overview shows, gathered from the read models, the runs and the reviews.</summary>
internal sealed record OverviewData(
    ChecksSummary Checks,
    IReadOnlyList<StageFreshnessRow> Stages,
    string NextSync,
    IReadOnlyList<TrendPoint> Trend,
    int Unidentified,
    int Offboarded,
    int OverdueReviewItems,
    int UnverifiedRevocations);

internal static class Overview
{
    // Failing-finding counts of older runs' evaluations stored before the count was kept with them (migration 0028).
    private static readonly ConcurrentDictionary<string, TrendPoint?> TrendCache = new(StringComparer.Ordinal);

    /// <param name="schedule">The organisation's schedule as the scheduler of this server holds it (<c>vigil serve</c>); null when
    /// the server runs none, and the next sync is then worked out from the setting and the last run.</param>
    public static async Task<OverviewData> LoadAsync(IVigilStore store, DateTimeOffset now, CancellationToken ct, Vigil.App.Scheduling.ScheduleState? schedule = null)
    {
        var checks = await ChecksQuery.SummaryAsync(store, ct);
        var runs = await store.ListRunsAsync(60, ct);
        var attention = await AttentionQuery.CountAsync(store, now, ct);
        var nextSync = schedule is null ? await NextSyncAsync(store, runs, now, ct) : FromScheduler(schedule, runs);
        return new OverviewData(checks, Stages(runs, now), nextSync, await TrendAsync(store, runs, checks, ct),
            attention.Unidentified, attention.Offboarded, attention.OverdueReviewItems, attention.UnverifiedRevocations);
    }

    /// <summary>Human age: "just now", "5 min ago", "3 h ago", "2 days ago".</summary>
    public static string Age(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalMinutes < 1 ? "just now"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} days ago";
    }

    public static string Utc(DateTimeOffset? at) => at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";

    private static List<StageFreshnessRow> Stages(IReadOnlyList<SyncRun> runs, DateTimeOffset now)
    {
        var rows = new List<StageFreshnessRow>();
        foreach (var kind in new[] { SyncStageKind.Access, SyncStageKind.Infra })
        {
            var committed = runs.SelectMany(r => r.Stages).Where(s => s.Stage == kind && s.CommittedAt is not null).MaxBy(s => s.CommittedAt);
            var failed = runs.SelectMany(r => r.Stages.Select(s => (Run: r, Stage: s)))
                .Where(x => x.Stage.Stage == kind && x.Stage.Status == SyncStatus.Failed && (committed is null || x.Run.StartedAt > committed.CommittedAt))
                .Select(x => x.Stage.Reason).FirstOrDefault();
            rows.Add(new StageFreshnessRow(kind == SyncStageKind.Access ? "access" : "infra", committed?.CommittedAt,
                committed?.CommittedAt is { } at ? Age(at, now) : "never synced", failed));
        }

        return rows;
    }

    // The scheduler (src/Vigil.App/Scheduling) fires one interval after the organisation's last run started, whatever started it.
    private static async Task<string> NextSyncAsync(IVigilStore store, IReadOnlyList<SyncRun> runs, DateTimeOffset now, CancellationToken ct)
    {
        var hours = (await Vigil.App.CheckConfiguration.SettingsAsync(store, ct)).SyncIntervalHours;
        if (hours <= 0)
        {
            return "off (sync_interval_hours is 0)";
        }

        var last = runs.MaxBy(r => r.StartedAt);
        if (last is null)
        {
            return $"every {hours} h; no sync has run yet, the first is due when the scheduler starts";
        }

        var next = last.StartedAt.AddHours(hours);
        return next <= now
            ? $"due now (every {hours} h; last sync started {Utc(last.StartedAt)})"
            : $"{Utc(next)} (every {hours} h; last sync started {Utc(last.StartedAt)})";
    }

    /// <summary>The scheduler's own next fire time and last firing (or, before its first, the organisation's last run).</summary>
    private static string FromScheduler(Vigil.App.Scheduling.ScheduleState schedule, IReadOnlyList<SyncRun> runs)
    {
        if (schedule.IntervalHours <= 0)
        {
            return "off (sync_interval_hours is 0)";
        }
        if (schedule.NextRun is not { } next)
        {
            return $"not scheduled yet (every {schedule.IntervalHours} h; the scheduler sets it up once the organisation has a connection)";
        }
        var last = schedule.LastRun is { } fired
            ? $"last scheduled run {Utc(fired)}"
            : runs.MaxBy(r => r.StartedAt) is { } run ? $"no scheduled run yet; last sync started {Utc(run.StartedAt)}" : "no sync has run yet";
        return $"{Utc(next)} by the scheduler (every {schedule.IntervalHours} h; {last})";
    }

    private static async Task<List<TrendPoint>> TrendAsync(IVigilStore store, IReadOnlyList<SyncRun> runs, ChecksSummary current, CancellationToken ct)
    {
        // The stored failing counts (one small statement); only evaluations saved before counts were kept load their results.
        var summaries = (await store.ListEvaluationSummariesAsync(runs.Count, ct)).ToDictionary(s => s.SnapshotId, StringComparer.Ordinal);
        var points = new List<TrendPoint>();
        foreach (var run in runs.Where(r => r.Stages.Any(s => s.CommittedAt is not null)))
        {
            if (points.Count == 30)
            {
                break;
            }

            if (run.Id == current.SnapshotId && current.EvaluatedAt is { } evaluatedAt)
            {
                points.Add(new TrendPoint(run.Id, evaluatedAt, current.Checks.Sum(c => c.Fail)));
                continue;
            }

            if (!summaries.TryGetValue(run.Id, out var summary))
            {
                continue;
            }

            if (summary.Failing is { } failing)
            {
                points.Add(new TrendPoint(run.Id, summary.EvaluatedAt, failing));
                continue;
            }

            var key = $"{store.Engine}|{store.Location}|{store.Organisation.Id}|{run.Id}";
            if (!TrendCache.TryGetValue(key, out var point))
            {
                var evaluation = await store.LoadLatestEvaluationAsync(run.Id, ct);
                point = evaluation is null ? null
                    : new TrendPoint(run.Id, evaluation.EvaluatedAt, evaluation.Results.Sum(r => r.Findings.Count(f => f.Status == Core.Checks.FindingStatus.Fail)));
                TrendCache[key] = point;
            }

            if (point is not null)
            {
                points.Add(point);
            }
        }

        points.Reverse();
        return points;
    }

    /// <summary>The trend as SVG polyline points in a width x height box (oldest left), and the highest count.</summary>
    public static (string Points, int Max) Polyline(IReadOnlyList<TrendPoint> trend, int width, int height)
    {
        var max = Math.Max(1, trend.Count == 0 ? 1 : trend.Max(p => p.Failing));
        if (trend.Count == 0)
        {
            return ("", max);
        }

        var step = trend.Count == 1 ? 0 : (double)(width - 10) / (trend.Count - 1);
        var points = trend.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{5 + i * step:0.#},{height - 5 - (double)p.Failing / max * (height - 10):0.#}"));
        return (string.Join(' ', points), max);
    }
}
