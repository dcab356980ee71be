namespace Vigil.Core.Reviews;

/// <summary>
/// Where a review campaign stands. Only <see cref="Open"/>, <see cref="Completed"/> and <see cref="Cancelled"/> are
/// stored; <see cref="InReview"/> (some item decided) and <see cref="AwaitingSignoff"/> (every item decided) follow
/// from the decisions.
/// </summary>
public enum CampaignStatus
{
    Open,
    InReview,
    AwaitingSignoff,
    Completed,
    Cancelled,
}

/// <summary>What a reviewer decided for one membership.</summary>
public enum DecisionKind
{
    Keep,
    Revoke,
    ChangeRole,
    /// <summary>Decide later: the item still counts as undecided for progress and sign-off.</summary>
    Defer,
}

/// <summary>Whether a revocation or role change was seen applied in Cloudflare by a later access sync.</summary>
public enum VerificationState
{
    /// <summary>No revocation or role change was decided (keep, defer, or no decision).</summary>
    None,
    /// <summary>Decided, not yet seen applied, within the SLA.</summary>
    PendingRemoval,
    /// <summary>A later access sync showed the membership gone (or its roles as decided).</summary>
    Verified,
    /// <summary>Decided more than the SLA ago and still not seen applied.</summary>
    Overdue,
    /// <summary>Seen applied once, then back in a later sync.</summary>
    Reappeared,
}

/// <summary>How an item compares with the same membership in the previous campaign of the same system.</summary>
public enum ItemChange
{
    New,
    Changed,
    Unchanged,
}

/// <summary>An access review of one system, frozen on one access snapshot.</summary>
/// <param name="Id">Campaign id (a UUID v7).</param>
/// <param name="System">The critical system reviewed, "cloudflare".</param>
/// <param name="Status">The stored status: open, completed or cancelled (see <see cref="ReviewCampaign.Status"/> for the derived one).</param>
/// <param name="Due">The day by which every item should be decided; null when none was set.</param>
/// <param name="Owner">The system owner for this campaign: may decide and reassign any item, and sign off.</param>
/// <param name="Reviewers">The --reviewer list, used in turn for items with neither manager nor owner.</param>
/// <param name="SnapshotId">The sync run whose access data the campaign froze.</param>
/// <param name="AccessSyncedAt">When that access data was read from Cloudflare.</param>
/// <param name="AllowStale">True when the campaign was started with --allow-stale on data that was too old or from a failed sync.</param>
/// <param name="StaleReason">Why the data was stale when <see cref="AllowStale"/> was needed; null otherwise.</param>
/// <param name="PreviousCampaignId">The previous campaign of the same system that changes are measured against; null for the first.</param>
/// <param name="Removed">Memberships of the previous campaign that are gone from this one.</param>
/// <param name="SignOff">The management acknowledgement; null until completed.</param>
public sealed record Campaign(
    string Id,
    string System,
    string Name,
    CampaignStatus Status,
    DateTimeOffset CreatedAt,
    DateOnly? Due,
    string? Owner,
    IReadOnlyList<string> Reviewers,
    string SnapshotId,
    DateTimeOffset? AccessSyncedAt,
    bool AllowStale,
    string? StaleReason,
    string? PreviousCampaignId,
    IReadOnlyList<RemovedMembership> Removed,
    CampaignSignOff? SignOff = null);

/// <summary>The sign-off of a completed campaign: who acknowledged it, when, and what they stated.</summary>
public sealed record CampaignSignOff(string By, DateTimeOffset At, string Statement);

/// <summary>A membership present in the previous campaign and absent from this one.</summary>
public sealed record RemovedMembership(string AccountId, string MemberId, string MemberEmail);

/// <summary>One Cloudflare grant of a reviewed membership: a role or permission group and where it applies.</summary>
/// <param name="Scope">"account Acme", "zone shop.example", "all zones of account Acme".</param>
/// <param name="ViaGroup">The IAM user group it comes through; null for a direct grant.</param>
public sealed record ItemGrant(string Name, string Scope, string? ViaGroup = null)
{
    public string Description => $"{Name} on {Scope}{(ViaGroup is null ? "" : $" via group {ViaGroup}")}";
}

/// <summary>One membership to review, as it stood in the campaign's snapshot.</summary>
/// <param name="MemberEmail">The member's email as Cloudflare sent it; empty when it sent none.</param>
/// <param name="Status">"accepted", "pending" or Cloudflare's other status text.</param>
/// <param name="PersonEmail">The identified person's email; null for service accounts and unidentified members.</param>
/// <param name="ServiceAccount">The service-account justification; null unless the member is mapped to one.</param>
/// <param name="FirstSeen">The first sync in which Vigil saw this membership; null when unknown.</param>
/// <param name="RiskFlags">Values of <see cref="RiskFlags"/>.</param>
/// <param name="Changes">What changed since the previous campaign: "roles", "2fa", "person"; empty unless <see cref="Change"/> is Changed.</param>
public sealed record ReviewItem(
    string CampaignId,
    string AccountId,
    string AccountName,
    string MemberId,
    string? UserId,
    string MemberEmail,
    string Status,
    bool? TwoFactorEnabled,
    string? PersonEmail,
    string? PersonName,
    string? OrgRole,
    string? ServiceAccount,
    IReadOnlyList<ItemGrant> Grants,
    DateTimeOffset? FirstSeen,
    IReadOnlyList<string> RiskFlags,
    string Reviewer,
    ItemChange Change,
    IReadOnlyList<string> Changes)
{
    /// <summary>The member's email, or "member ID" when Cloudflare sent none.</summary>
    public string Label => MemberEmail.Length > 0 ? MemberEmail : $"member {MemberId}";

    /// <summary>True when this item is the membership (account, member id).</summary>
    public bool Is(string accountId, string memberId) =>
        string.Equals(AccountId, accountId, StringComparison.Ordinal) && string.Equals(MemberId, memberId, StringComparison.Ordinal);
}

/// <summary>The risk flags a review item can carry, as stored and printed.</summary>
public static class RiskFlags
{
    /// <summary>cloudflare.user-identified fails for it.</summary>
    public const string Unidentified = "unidentified";
    /// <summary>cloudflare.offboarded-access-removed fails for it.</summary>
    public const string Offboarded = "offboarded";
    /// <summary>cloudflare.user-access-valid fails for it: a role beyond the org role's limit, or an org role not allowed.</summary>
    public const string RoleBeyondLimit = "role_beyond_limit";
    /// <summary>cloudflare.member-2fa-enabled fails for it.</summary>
    public const string NoTwoFactor = "no_2fa";
    /// <summary>It holds Super Administrator.</summary>
    public const string SuperAdministrator = "super_administrator";
    /// <summary>A pending invitation first seen more than 30 days before the campaign.</summary>
    public const string StaleInvite = "pending_invite_over_30_days";
}

/// <summary>One decision on one item. Decisions are only ever added; a later one supersedes.</summary>
/// <param name="Seq">Order of recording (assigned by the store; 0 before it is stored).</param>
/// <param name="Roles">The roles decided with <see cref="DecisionKind.ChangeRole"/>; empty otherwise.</param>
/// <param name="SnapshotId">The snapshot the decision was made on (the campaign's).</param>
public sealed record ReviewDecision(
    string Id,
    string CampaignId,
    string AccountId,
    string MemberId,
    DecisionKind Decision,
    IReadOnlyList<string> Roles,
    string By,
    DateTimeOffset At,
    string? Comment,
    string SnapshotId,
    long Seq = 0);

/// <summary>A change of verification state seen by an access sync after a revoke or change-role decision.</summary>
/// <param name="State"><see cref="VerificationState.Verified"/> or <see cref="VerificationState.Reappeared"/>.</param>
/// <param name="SnapshotId">The sync run whose access data showed it.</param>
/// <param name="ObservedAt">When that access data was read from Cloudflare.</param>
/// <param name="Detail">What was seen, e.g. "membership gone from account Acme".</param>
public sealed record VerificationEvent(
    string CampaignId,
    string DecisionId,
    string AccountId,
    string MemberId,
    VerificationState State,
    string SnapshotId,
    DateTimeOffset ObservedAt,
    DateTimeOffset RecordedAt,
    string Detail);

/// <summary>A change of an item's reviewer, kept as history.</summary>
public sealed record Reassignment(string CampaignId, string AccountId, string MemberId, string From, string To, string By, DateTimeOffset At);

/// <summary>A review rule refused the action; the message says why and, for a refusal, who may.</summary>
public sealed class ReviewRuleException(string message) : Exception(message);
