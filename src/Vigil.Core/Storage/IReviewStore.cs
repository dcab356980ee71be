using Vigil.Core.Reviews;

namespace Vigil.Core.Storage;

/// <summary>
/// Access-review campaigns, their items, decisions (insert-only: a later decision supersedes, none is edited or deleted),
/// reviewer changes and verification events, all of the store's organisation.
/// </summary>
public interface IReviewStore
{
    /// <summary>Stores a new campaign with all its items in one transaction.</summary>
    Task SaveCampaignAsync(Campaign campaign, IReadOnlyList<ReviewItem> items, CancellationToken ct);

    /// <summary>Every campaign (without items), oldest first.</summary>
    Task<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken ct);

    /// <summary>The campaign with its items, decisions and verification events; null when there is none with this id.</summary>
    Task<ReviewCampaign?> LoadCampaignAsync(string campaignId, CancellationToken ct);

    /// <summary>Every campaign with its items, decisions and verification events (what the checks judge), oldest first.</summary>
    Task<ReviewState> LoadReviewStateAsync(CancellationToken ct);

    /// <summary>Appends decisions in one transaction: all or none.</summary>
    Task AddDecisionsAsync(IReadOnlyList<ReviewDecision> decisions, CancellationToken ct);

    /// <summary>Changes an item's reviewer and keeps the change as history.</summary>
    Task ReassignAsync(Reassignment reassignment, CancellationToken ct);

    /// <summary>Marks an open campaign completed with its sign-off; false when it was not open any more.</summary>
    Task<bool> CompleteCampaignAsync(string campaignId, CampaignSignOff signOff, CancellationToken ct);

    /// <summary>Appends verification events in one transaction.</summary>
    Task AddVerificationsAsync(IReadOnlyList<VerificationEvent> events, CancellationToken ct);

    /// <summary>When each membership (account id, member id) first appeared in any stored access snapshot.</summary>
    Task<IReadOnlyDictionary<(string AccountId, string MemberId), DateTimeOffset>> LoadMembershipFirstSeenAsync(CancellationToken ct);

    /// <summary>
    /// A cheap stamp of the organisation's review data (one statement, no rows loaded): equal stamps mean no campaign was
    /// started, completed or cancelled and no decision, reassignment or verification was recorded in between.
    /// </summary>
    Task<ReviewVersion> ReadReviewVersionAsync(CancellationToken ct);
}

/// <summary>What the organisation's review data was when read, to tell when a cache built from it is stale.</summary>
/// <param name="Campaigns">Campaigns started.</param>
/// <param name="Closed">Campaigns completed or cancelled (a campaign is never reopened).</param>
/// <param name="LastDecision">The newest decision's sequence number (0: none); decisions are insert-only.</param>
/// <param name="LastReassignment">The newest reassignment's sequence number (0: none).</param>
/// <param name="LastVerification">The newest verification event's sequence number (0: none).</param>
public sealed record ReviewVersion(long Campaigns, long Closed, long LastDecision, long LastReassignment, long LastVerification);
