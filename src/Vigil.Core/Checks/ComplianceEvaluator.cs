using Vigil.Core.Storage;

namespace Vigil.Core.Checks;

/// <summary>
/// Evaluates every check against the current snapshot and stores the results beside it. The one operation the CLI,
/// the sync (after each stage commits) and later the web and scheduler all call.
/// </summary>
/// <remarks>
/// Each evaluation first closes the access-review loop: it compares the current access data with every revoke and
/// change-role decision and records what changed (verified, reappeared), then hands the review state to the checks.
/// Recording here, right after each access stage commits, keeps the proof (which snapshot showed the removal) even after
/// retention prunes that snapshot. The review store is <paramref name="reviews"/>, else the sync store when it is one
/// (the SQLite and PostgreSQL stores are); events are recorded only through a store that also stores evaluations, so a
/// read-only home (whose evaluation store stores nothing) verifies in memory and records nothing.
/// </remarks>
public sealed class ComplianceEvaluator(ISyncStore sync, IDirectoryStore directory, IEvaluationStore evaluations, TimeProvider time, IReviewStore? reviews = null)
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
        var now = time.GetUtcNow();
        var reviewState = (reviews ?? sync as IReviewStore) is { } reviewStore
            ? await VerifyRevocationsAsync(reviewStore, reviews ?? evaluations as IReviewStore, snapshot, now, ct)
            : null;
        var context = EvaluationContext.Create(snapshot, people, mappings, system, now, options, DataFreshness.Of(snapshot, runs), sso, reviewState);
        var evaluation = CheckRunner.Evaluate(context);
        await evaluations.SaveEvaluationAsync(evaluation, ct);
        return evaluation;
    }

    /// <summary>Records what the snapshot shows about pending revocations and returns the review state including it.</summary>
    private static async Task<Reviews.ReviewState> VerifyRevocationsAsync(IReviewStore reviews, IReviewStore? recorder, Sync.Snapshot snapshot, DateTimeOffset now, CancellationToken ct)
    {
        var state = await reviews.LoadReviewStateAsync(ct);
        var events = state.Campaigns.SelectMany(c => Core.Reviews.RevocationVerifier.Advance(c, snapshot, now)).ToList();
        if (events.Count == 0)
        {
            return state;
        }

        if (recorder is not null)
        {
            await recorder.AddVerificationsAsync(events, ct);
        }
        return new Reviews.ReviewState([.. state.Campaigns.Select(c => events.Any(e => e.CampaignId == c.Id)
            ? new Reviews.ReviewCampaign(c.Campaign, c.Items, c.Decisions, [.. c.Verifications, .. events.Where(e => e.CampaignId == c.Id)])
            : c)]);
    }
}
