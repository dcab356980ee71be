using Vigil.Cloudflare.Sync;
using Vigil.Core.Checks;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App;

/// <summary>What one sync-and-evaluate did.</summary>
/// <param name="ConnectionNames">Connection id to name, for reports.</param>
/// <param name="LastEvaluation">The evaluation after the last stage that committed (null when none did).</param>
/// <param name="Retention">The snapshot data retention pruned afterwards (null: retention off or nothing pruned).</param>
/// <param name="Alerts">The alerts raised after the evaluation and their deliveries (null: the alert step did not run).</param>
public sealed record SyncOutcome(SyncRun Run, IReadOnlyDictionary<string, string> ConnectionNames, Evaluation? LastEvaluation, SyncRetention? Retention, Alerts.AlertsOutcome? Alerts = null);

/// <summary>Snapshot data pruned after a sync because it was older than <paramref name="Days"/>.</summary>
public sealed record SyncRetention(int Days, RetentionResult Pruned);

/// <summary>
/// Sync-then-evaluate for one organisation: the operation behind <c>vigil sync</c>, the demo, the API's
/// <c>POST /api/v1/syncs</c>, the scheduler and the workers. Each trigger passes its own name, which the run records.
/// </summary>
public static class SyncOperation
{
    /// <param name="purpose">The stages to run (both by default).</param>
    /// <param name="trigger">Who asked: cli, api, schedule, enqueue, demo.</param>
    /// <param name="onStageEvaluated">Called after each committed stage has been evaluated (the CLI prints a line).</param>
    /// <param name="full">Read everything in full even where the audit log allows an incremental sync (<c>vigil sync --full</c>).</param>
    /// <exception cref="OperationException">The organisation has no connection, or its master key is missing.</exception>
    public static async Task<SyncOutcome> RunAsync(
        VigilServices services,
        ConnectionPurpose purpose,
        string trigger,
        CheckOptions options,
        IProgress<SyncProgress>? progress,
        Func<SyncStageKind, Evaluation?, CancellationToken, Task>? onStageEvaluated,
        CancellationToken ct,
        bool full = false)
    {
        var connections = await services.Store.ListAsync(ct);
        if (connections.Count == 0)
        {
            throw new OperationException("no Cloudflare connection yet: run 'vigil connect cloudflare --token-env CLOUDFLARE_API_TOKEN' first");
        }
        // A missing key file fails here, with its fix, rather than as every stage's reason in a failed run.
        services.Store.RequireMasterKey();

        var enabled = CheckConfiguration.Enabled(options);
        Evaluation? last = null;
        var run = await services.Sync.RunAsync(
            // Only the data the enabled checks need is read: a family turned off costs no call.
            new SyncRequest(purpose, trigger, CheckCatalog.NeedsOf(enabled), enabled, full, options.MaxResourceAge),
            progress,
            async (stage, token) =>
            {
                // Checks run as soon as a stage commits: access results arrive before the zones are even listed.
                last = await services.Evaluator.EvaluateCurrentAsync(options, token);
                if (onStageEvaluated is not null)
                {
                    await onStageEvaluated(stage, last, token);
                }
            },
            ct);

        if (run.Stages.Any(s => s.Status == SyncStatus.Failed))
        {
            // A failed stage commits nothing, so no evaluation followed it: evaluate once more so the stored results say it failed.
            last = await services.Evaluator.EvaluateCurrentAsync(options, ct) ?? last;
        }

        var retention = await ApplyRetentionAsync(services, ct);
        // Alert rules for every trigger; a delivery failure is recorded in the alert log and never fails the sync.
        var alerts = await services.Alerts.AfterSyncAsync(run, last, options, ct);
        return new SyncOutcome(run, connections.ToDictionary(c => c.Id, c => c.Name), last, retention, alerts);
    }

    // Retention runs after the sync so that the snapshot it just took is current and never a candidate.
    private static async Task<SyncRetention?> ApplyRetentionAsync(VigilServices services, CancellationToken ct)
    {
        var days = (await CheckConfiguration.SettingsAsync(services.Store, ct)).RetentionDays;
        if (days <= 0 || services.Store.IsReadOnly)
        {
            return null;
        }

        var pruned = await services.Store.PruneSnapshotsAsync(services.Time.GetUtcNow().AddDays(-days), ct);
        return pruned.Commits > 0 ? new SyncRetention(days, pruned) : null;
    }
}
