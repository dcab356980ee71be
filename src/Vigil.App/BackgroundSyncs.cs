using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Sync;

namespace Vigil.App;

/// <summary>
/// Sync-then-evaluate started in the background (the API's <c>POST /api/v1/syncs</c>, the dashboard's "Sync now"):
/// <see cref="StartAsync"/> returns as soon as the run is recorded, with its id, and the run goes on after the request
/// ends. One per organisation at a time in this process, on top of the store's own guard across processes. While a run
/// goes on, <see cref="ProgressOf"/> gives its latest progress.
/// </summary>
public sealed class BackgroundSyncs(ILogger<BackgroundSyncs>? logger = null)
{
    /// <summary>How long <see cref="StartAsync"/> waits for the run to be recorded before giving up.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);

    /// <summary>The latest progress of a run this process is running; null when it is not running here.</summary>
    public SyncProgress? ProgressOf(string runId) => _jobs.Values.FirstOrDefault(j => j.RunId == runId)?.Latest;

    /// <summary>True while a sync started here for the organisation of <paramref name="services"/> runs.</summary>
    public bool IsRunning(VigilServices services) => _jobs.ContainsKey(Key(services));

    /// <summary>
    /// Starts <see cref="SyncOperation.RunAsync"/> and returns the id of the run it recorded. Takes ownership of
    /// <paramref name="services"/>: they are disposed when the run ends (or here, when it cannot start).
    /// </summary>
    /// <param name="trigger">Recorded with the run: "api", "web", ...</param>
    /// <param name="stopping">Cancels the run itself (the host shutting down), unlike <paramref name="ct"/>, which only stops the wait.</param>
    /// <exception cref="SyncAlreadyRunningException">A sync of the organisation is running (here or in another process).</exception>
    /// <exception cref="OperationException">No connection yet, or the master key is missing.</exception>
    public async Task<string> StartAsync(VigilServices services, ConnectionPurpose purpose, string trigger, CancellationToken stopping, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var key = Key(services);
        var job = new Job();
        if (!_jobs.TryAdd(key, job))
        {
            await services.DisposeAsync();
            throw new SyncAlreadyRunningException($"a sync of organisation '{services.Store.Organisation.Id}' is already running; wait for it to end");
        }

        Task<SyncOutcome> running;
        string? before;
        try
        {
            var store = services.Store;
            if ((await store.ListAsync(ct)).Count == 0)
            {
                throw new OperationException("no Cloudflare connection yet: add one first (POST /api/v1/connections or 'vigil connect cloudflare')");
            }
            store.RequireMasterKey();
            await store.EnsureNoSyncRunningAsync(ct);
            var options = await CheckConfiguration.OptionsAsync(store, null, null, ct);
            before = (await store.ListRunsAsync(1, ct)).FirstOrDefault()?.Id;
            running = Task.Run(() => SyncOperation.RunAsync(services, purpose, trigger, options, job, null, stopping), CancellationToken.None);
        }
        catch
        {
            _jobs.TryRemove(key, out _);
            await services.DisposeAsync();
            throw;
        }

        _ = running.ContinueWith(async t =>
        {
            if (t.Exception is { } error)
            {
                _logger.LogError(error.GetBaseException(), "background sync of organisation {Organisation} failed", services.Store.Organisation.Id);
            }
            _jobs.TryRemove(key, out _);
            await services.DisposeAsync();
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();

        // The run's id is the store's: wait until the run is recorded (a moment), or until the operation ends first.
        var waited = TimeSpan.Zero;
        while (true)
        {
            var newest = (await services.Store.ListRunsAsync(1, ct)).FirstOrDefault();
            if (newest is not null && newest.Id != before && newest.Trigger == trigger)
            {
                job.RunId = newest.Id;
                return newest.Id;
            }

            if (running.IsCompleted)
            {
                // Ended before a run was seen: a failure to start (its exception), else the run it recorded.
                var outcome = await running;
                job.RunId = outcome.Run.Id;
                return outcome.Run.Id;
            }

            if (waited > StartTimeout)
            {
                throw new OperationException("the sync did not record its run in time; see GET /api/v1/syncs");
            }

            await Task.Delay(20, ct);
            waited += TimeSpan.FromMilliseconds(20);
        }
    }

    private static string Key(VigilServices services) => $"{services.Store.Engine}|{services.Store.Location}|{services.Store.Organisation.Id}";

    private sealed class Job : IProgress<SyncProgress>
    {
        private volatile SyncProgress? _latest;

        public volatile string? RunId;

        public SyncProgress? Latest => _latest;

        public void Report(SyncProgress value) => _latest = value;
    }
}
