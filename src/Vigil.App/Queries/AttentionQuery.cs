using System.Collections.Concurrent;
using Vigil.App.Reviews;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;
using Vigil.Storage;

namespace Vigil.App.Queries;

/// <summary>What needs attention, as the overview shows it.</summary>
/// <param name="Unidentified">Memberships of the current snapshot that resolve to no person and no service account (as the members list with identity=unidentified).</param>
/// <param name="Offboarded">Memberships flagged offboarded by the newest evaluation (as the members list with flag=offboarded).</param>
/// <param name="OverdueReviewItems">Items of campaigns not cancelled that are overdue (undecided after the due day, or a revocation overdue or reappeared).</param>
/// <param name="UnverifiedRevocations">Revocations and role changes not yet seen applied (pending_removal, overdue or reappeared).</param>
public sealed record AttentionCounts(int Unidentified, int Offboarded, int OverdueReviewItems, int UnverifiedRevocations);

/// <summary>
/// The overview's attention counts, without listing anything: one pass over the cached read model for the memberships,
/// and the review campaigns cached while the store's <see cref="ReviewVersion"/> holds (one small statement per call).
/// </summary>
public static class AttentionQuery
{
    private const int MaxOrganisations = 32;
    private static readonly ConcurrentDictionary<string, CachedReviews> Reviews = new(StringComparer.Ordinal);

    /// <param name="now">The moment overdue items and invitation ages are judged at.</param>
    public static async Task<AttentionCounts> CountAsync(IVigilStore store, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await ReadModel.LoadAsync(store, ct);
        var unidentified = 0;
        var offboarded = 0;
        if (model.Snapshot is { } snapshot)
        {
            var resolver = new IdentityResolver(new StaffDirectory(await store.ListPeopleAsync(ct)), await store.ListMappingsAsync(ct));
            foreach (var member in snapshot.Members)
            {
                if (resolver.Resolve(member) is MemberIdentity.Unidentified)
                {
                    unidentified++;
                }
                if (model.FlagsFromChecks(member.AccountId, member.Id).Contains(RiskFlags.Offboarded))
                {
                    offboarded++;
                }
            }
        }

        var overdue = 0;
        var unverified = 0;
        if (store is IReviewStore reviews)
        {
            var state = await ReviewStateAsync(store, reviews, ct);
            if (state.Campaigns.Any(c => c.Status != CampaignStatus.Cancelled))
            {
                var sla = await new ReviewService(store, TimeProvider.System).RevocationSlaAsync(ct);
                foreach (var campaign in state.Campaigns.Where(c => c.Status != CampaignStatus.Cancelled))
                {
                    var (o, u) = ReviewService.Attention(campaign, now, sla);
                    overdue += o;
                    unverified += u;
                }
            }
        }

        return new AttentionCounts(unidentified, offboarded, overdue, unverified);
    }

    private static async Task<ReviewState> ReviewStateAsync(IVigilStore store, IReviewStore reviews, CancellationToken ct)
    {
        var key = $"{store.Engine}|{store.Location}|{store.Organisation.Id}";
        var version = await reviews.ReadReviewVersionAsync(ct);
        if (Reviews.TryGetValue(key, out var cached) && cached.Version == version)
        {
            return cached.State;
        }

        // Read the stamp before the state: a change made in between makes the next call read again, never miss it.
        var state = await reviews.LoadReviewStateAsync(ct);
        if (Reviews.Count > MaxOrganisations)
        {
            Reviews.Clear();
        }
        Reviews[key] = new CachedReviews(version, state);
        return state;
    }

    private sealed record CachedReviews(ReviewVersion Version, ReviewState State);
}
