using Prometheus;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App.Scheduling;

/// <summary>
/// What <c>/metrics</c> shows (Prometheus text format, prometheus-net), for <c>vigil worker --metrics-urls</c> and
/// <c>vigil serve</c>. Counters are this process's since it started; the gauges read from the database at each scrape
/// (the age of each organisation's data and its overdue review items) are the same on every process.
/// Names and labels are documented in the README ("Metrics").
/// </summary>
public sealed class VigilMetrics
{
    private readonly Gauge _running;
    private readonly Counter _succeeded;
    private readonly Counter _partial;
    private readonly Counter _failed;
    private readonly Counter _apiCalls;
    private readonly Counter _rateLimited;
    private readonly Counter _budgetWait;
    private readonly Gauge _sinceComplete;
    private readonly Gauge _overdue;
    private readonly IVigilStore? _database;
    private readonly TimeProvider _time;

    /// <param name="database">The database whose organisations the scrape-time gauges describe; null: only this process's counters.</param>
    public VigilMetrics(IVigilStore? database, TimeProvider time)
    {
        _database = database;
        _time = time;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _running = factory.CreateGauge("vigil_syncs_running", "Syncs of the organisation running in this process now.", "organisation");
        _succeeded = factory.CreateCounter("vigil_syncs_succeeded_total", "Syncs of the organisation that ended complete, in this process.", "organisation");
        _partial = factory.CreateCounter("vigil_syncs_partial_total", "Syncs of the organisation that ended partial (some data could not be read), in this process.", "organisation");
        _failed = factory.CreateCounter("vigil_syncs_failed_total", "Syncs of the organisation that failed or were cancelled, in this process.", "organisation");
        _apiCalls = factory.CreateCounter("vigil_cloudflare_api_calls_total", "Cloudflare API requests sent by syncs, per connection.", "organisation", "connection");
        _rateLimited = factory.CreateCounter("vigil_cloudflare_rate_limited_total", "HTTP 429 answers from Cloudflare, per connection.", "organisation", "connection");
        _budgetWait = factory.CreateCounter("vigil_cloudflare_budget_wait_seconds_total",
            "Seconds requests waited for their turn in the request budgets (the credential's shared one and the process's), per connection.", "organisation", "connection");
        _sinceComplete = factory.CreateGauge("vigil_seconds_since_last_complete_sync",
            "Seconds since the organisation's stage last committed (access: members and roles; infra: zones).", "organisation", "stage");
        _overdue = factory.CreateGauge("vigil_review_items_overdue", "Review items of open campaigns past their due day and not decided.", "organisation");
        if (database is not null)
        {
            Registry.AddBeforeCollectCallback(ReadDatabaseAsync);
        }
    }

    public CollectorRegistry Registry { get; }

    public void SyncStarted(string organisation) => _running.WithLabels(organisation).Inc();

    public void SyncEnded(string organisation, SyncStatus status)
    {
        _running.WithLabels(organisation).Dec();
        (status switch
        {
            SyncStatus.Complete => _succeeded,
            SyncStatus.Partial => _partial,
            _ => _failed,
        }).WithLabels(organisation).Inc();
    }

    public void RequestSent(string organisation, string connection, TimeSpan waited)
    {
        _apiCalls.WithLabels(organisation, connection).Inc();
        _budgetWait.WithLabels(organisation, connection).Inc(waited.TotalSeconds);
    }

    public void RequestRateLimited(string organisation, string connection) => _rateLimited.WithLabels(organisation, connection).Inc();

    /// <summary>The Prometheus text exposition of every metric, as <c>/metrics</c> answers.</summary>
    public async Task<string> ExportAsync(CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(buffer, ct);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async Task ReadDatabaseAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        foreach (var organisation in await _database!.ListOrganisationsAsync(ct))
        {
            await using var store = _database.ForOrganisation(organisation);
            var latest = new Dictionary<SyncStageKind, DateTimeOffset>();
            foreach (var run in await store.ListRunsAsync(50, ct))
            {
                foreach (var stage in run.Stages)
                {
                    if (stage.CommittedAt is { } at && (!latest.TryGetValue(stage.Stage, out var seen) || at > seen))
                    {
                        latest[stage.Stage] = at;
                    }
                }
            }
            foreach (var (stage, at) in latest)
            {
                _sinceComplete.WithLabels(organisation.Name, stage.ToString().ToLowerInvariant()).Set(Math.Max(0, (now - at).TotalSeconds));
            }

            if (store is IReviewStore reviews)
            {
                _overdue.WithLabels(organisation.Name).Set(OverdueItems(await reviews.LoadReviewStateAsync(ct), DateOnly.FromDateTime(now.UtcDateTime)));
            }
        }
    }

    /// <summary>Items of open campaigns whose due day has passed and that have no decision (a deferral is no decision).</summary>
    internal static int OverdueItems(ReviewState state, DateOnly today) =>
        state.Campaigns
            .Where(c => c.Status is not (CampaignStatus.Completed or CampaignStatus.Cancelled) && c.Campaign.Due is { } due && due < today)
            .Sum(c => c.Items.Count(item => !c.IsDecided(item)));
}
