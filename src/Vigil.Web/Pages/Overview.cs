using System.Collections.Concurrent;
using System.Globalization;
using Vigil.App.Queries;
using Vigil.App.Reviews;
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
    // Failing-finding counts of older runs' evaluations, which do not change once a newer snapshot exists.
    private static readonly ConcurrentDictionary<string, TrendPoint?> TrendCache = new(StringComparer.Ordinal);

    /// <param name="schedule">The organisation's schedule as the scheduler of this server holds it (<c>vigil serve</c>); null when
    /// the server runs none, and the next sync is then worked out from the setting and the last run.</param>
    public static async Task<OverviewData> LoadAsync(IVigilStore store, DateTimeOffset now, CancellationToken ct, Vigil.App.Scheduling.ScheduleState? schedule = null)
    {
        var checks = await ChecksQuery.SummaryAsync(store, ct);
        var runs = await store.ListRunsAsync(60, ct);
        var unidentified = (await MembersQuery.ListAsync(store, new MemberFilter(Identity: MembersQuery.IdentityUnidentified), new PageRequest(0, 1), now, ct)).Total;
        var offboarded = (await MembersQuery.ListAsync(store, new MemberFilter(Flag: Core.Reviews.RiskFlags.Offboarded), new PageRequest(0, 1), now, ct)).Total;
        var (overdue, unverified) = await ReviewCountsAsync(store, ct);
        var nextSync = schedule is null ? await NextSyncAsync(store, runs, now, ct) : FromScheduler(schedule, runs);
        return new OverviewData(checks, Stages(runs, now), nextSync, await TrendAsync(store, runs, checks, ct),
            unidentified, offboarded, overdue, unverified);
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

    private static async Task<(int Overdue, int Unverified)> ReviewCountsAsync(IVigilStore store, CancellationToken ct)
    {
        if (store is not Core.Storage.IReviewStore)
        {
            return (0, 0);
        }

        var reviews = new ReviewService(store, TimeProvider.System);
        var overdue = 0;
        var unverified = 0;
        foreach (var summary in (await reviews.ListAsync(ct)).Campaigns.Where(c => c.Status != "cancelled"))
        {
            var campaign = await reviews.ShowAsync(summary.CampaignId, ct);
            overdue += campaign.OverdueItems;
            unverified += campaign.Items.Count(i => i.Verification is "pending_removal" or "overdue" or "reappeared");
        }

        return (overdue, unverified);
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
