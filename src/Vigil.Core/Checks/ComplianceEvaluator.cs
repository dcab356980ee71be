using Vigil.Core.Storage;

namespace Vigil.Core.Checks;

/// <summary>
/// Evaluates every check against the current snapshot and stores the results beside it. The one operation the CLI,
/// the sync (after each stage commits) and later the web and scheduler all call.
/// </summary>
public sealed class ComplianceEvaluator(ISyncStore sync, IDirectoryStore directory, IEvaluationStore evaluations, TimeProvider time)
{
    /// <summary>The critical-system name under which Cloudflare is registered.</summary>
    public const string CloudflareSystem = "cloudflare";

    /// <summary>How many recent runs are read to find the newest run of each stage (and whether it failed).</summary>
    internal const int RecentRuns = 20;

    /// <summary>The stored evaluation, or null when nothing was ever synced.</summary>
    public async Task<Evaluation?> EvaluateCurrentAsync(CheckOptions? options, CancellationToken ct)
    {
        var snapshot = await sync.LoadCurrentSnapshotAsync(ct);
        if (snapshot is null)
        {
            return null;
        }

        var people = await directory.ListPeopleAsync(ct);
        var mappings = await directory.ListMappingsAsync(ct);
        var system = await directory.FindSystemAsync(CloudflareSystem, ct);
        var runs = await sync.ListRunsAsync(RecentRuns, ct);
        var sso = await directory.ListSsoDeclarationsAsync(ct);
        var context = EvaluationContext.Create(snapshot, people, mappings, system, time.GetUtcNow(), options, DataFreshness.Of(snapshot, runs), sso);
        var evaluation = CheckRunner.Evaluate(context);
        await evaluations.SaveEvaluationAsync(evaluation, ct);
        return evaluation;
    }
}
