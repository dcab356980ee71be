using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Cloudflare;
using Vigil.Cloudflare.Pacing;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Organisations;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App.Scheduling;

/// <summary>
/// Runs one organisation's sync-and-evaluate for the scheduler: the same <see cref="SyncOperation"/> the CLI and the
/// API call, with the trigger that fired it ("schedule" or "enqueue"), the shared credential budget, metrics and a
/// logging scope that puts the organisation (and, from the sync, the run id) on every line.
/// </summary>
public sealed partial class SyncJobRunner
{
    private readonly IVigilStore _database;
    private readonly ILoggerFactory _logging;
    private readonly ILogger _logger;
    private readonly Action<CloudflareOptions>? _configure;
    private readonly ICredentialBudget? _budget;
    private readonly VigilMetrics _metrics;
    private readonly TimeProvider _time;

    /// <param name="database">The database, bound to any organisation: each run works on a view of its own organisation.</param>
    /// <param name="budget">The credential budget shared between processes; null: each process paces alone.</param>
    public SyncJobRunner(IVigilStore database, ILoggerFactory logging, VigilMetrics metrics, Action<CloudflareOptions>? configure, ICredentialBudget? budget, TimeProvider time)
    {
        _database = database;
        _logging = logging;
        _logger = logging.CreateLogger("Vigil.Scheduling");
        _metrics = metrics;
        _configure = configure;
        _budget = budget;
        _time = time;
    }

    public VigilMetrics Metrics => _metrics;

    /// <summary>Syncs one organisation; null when it no longer exists (removed after the job was queued).</summary>
    /// <exception cref="OperationCanceledException">Shutdown: the stage in flight committed nothing; the run is recorded cancelled.</exception>
    public async Task<SyncRun?> RunAsync(string organisationId, string trigger, CancellationToken ct)
    {
        var organisation = (await _database.ListOrganisationsAsync(ct)).FirstOrDefault(o => o.Id == organisationId);
        if (organisation is null)
        {
            LogGone(_logger, organisationId);
            return null;
        }

        using var scope = _logger.BeginScope("organisation {organisation}", organisation.Name);
        var observer = new ConnectionObserver(_metrics, organisation.Name);
        var services = VigilServices.Create(_database.ForOrganisation(organisation), null, _configure, _time, extra =>
        {
            // One logger factory for the process, so the scope above reaches the sync's and the client's lines.
            extra.AddSingleton(_logging);
            extra.AddSingleton<IRequestObserver>(observer);
            if (_budget is not null)
            {
                extra.AddSingleton(_budget);
            }
        });
        await using (services)
        {
            _metrics.SyncStarted(organisation.Name);
            // The sync puts its run id on its own lines ("Sync ... started" included); this scope carries it on to the
            // lines of the steps after the sync (evaluation, alerts, retention) once the first stage has committed.
            var run = new RunScope();
            using var runScope = _logger.BeginScope(run);
            try
            {
                var options = await CheckConfiguration.OptionsAsync(services.Store, null, null, ct);
                var outcome = await SyncOperation.RunAsync(services, ConnectionPurpose.Both, trigger, options, null, (_, evaluation, _) =>
                {
                    run.RunId ??= evaluation?.SnapshotId;
                    return Task.CompletedTask;
                }, ct);
                _metrics.SyncEnded(organisation.Name, outcome.Run.Status);
                using (_logger.BeginScope("run {run_id}", outcome.Run.Id))
                {
                    LogFinished(_logger, outcome.Run.Status, outcome.Run.Counts.ApiCalls);
                }
                return outcome.Run;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                _metrics.SyncEnded(organisation.Name, SyncStatus.Cancelled);
                LogCancelled(_logger);
                throw;
            }
            catch (Exception e)
            {
                // A failed run is already recorded by the sync; this is what stopped it (no connection, no key, database).
                _metrics.SyncEnded(organisation.Name, SyncStatus.Failed);
                LogFailed(_logger, e.Message);
                throw;
            }
        }
    }

    /// <summary>A logging scope whose <c>run_id</c> is known only once the sync has started its run; empty until then.</summary>
    private sealed class RunScope : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string? RunId { get; set; }

        public int Count => RunId is null ? 0 : 1;

        public KeyValuePair<string, object?> this[int index] =>
            index == 0 && RunId is { } id ? new("run_id", id) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            if (RunId is { } id)
            {
                yield return new("run_id", id);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => RunId is { } id ? $"run {id}" : "";
    }

    private sealed class ConnectionObserver(VigilMetrics metrics, string organisation) : IRequestObserver
    {
        public void Sent(string connection, TimeSpan waitedOnBudget) => metrics.RequestSent(organisation, connection, waitedOnBudget);

        public void RateLimited(string connection) => metrics.RequestRateLimited(organisation, connection);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {OrganisationId} no longer exists; its queued sync is dropped")]
    private static partial void LogGone(ILogger logger, string organisationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync ended {Status}: {ApiCalls} API calls")]
    private static partial void LogFinished(ILogger logger, SyncStatus status, int apiCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync cancelled by shutdown; the stage in flight committed nothing and the job goes back to the cluster")]
    private static partial void LogCancelled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
