using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Core.Reviews;

/// <summary>
/// Closes the loop on revocations: after each access sync, compares every revoke and change-role decision with the
/// new access data. A membership gone (or holding exactly the decided roles) is verified, with the snapshot that showed
/// it; one seen again after that has reappeared. Only data read after the decision counts, and only for accounts whose
/// members were read in full.
/// </summary>
public static class RevocationVerifier
{
    /// <summary>The state changes <paramref name="snapshot"/> shows; empty when nothing changed.</summary>
    public static IReadOnlyList<VerificationEvent> Advance(ReviewCampaign campaign, Snapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (campaign.Campaign.Status == CampaignStatus.Cancelled || snapshot.AccessSyncedAt is not { } readAt)
        {
            return [];
        }

        var events = new List<VerificationEvent>();
        foreach (var item in campaign.Items)
        {
            if (campaign.LatestDecision(item) is not { Decision: DecisionKind.Revoke or DecisionKind.ChangeRole } decision
                || readAt < decision.At || !MembersRead(snapshot, item.AccountId))
            {
                continue;
            }

            var (applied, detail) = Applied(decision, item, snapshot);
            if (applied && decision.Decision == DecisionKind.Revoke && !snapshot.Members.Any(m => m.AccountId == item.AccountId && m.Id == item.MemberId))
            {
                // Who removed it and when, from the audit log; without it, the sync that noticed it.
                detail += "; " + (AuditLogMembership.FindRemoval(snapshot.AuditLog, item.AccountId, item.MemberId, decision.At, readAt) is { } removal
                    ? AuditLogMembership.DescribeRemoval(removal, decision.At, "the decision")
                    : $"{AuditLogMembership.NoLogEntry}: noticed by the sync at {readAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC, {AuditLogMembership.Elapsed(readAt - decision.At)} after the decision");
            }
            var last = campaign.EventsOf(decision).LastOrDefault()?.State;
            VerificationState? next = (last, applied) switch
            {
                (null or VerificationState.Reappeared, true) => VerificationState.Verified,
                (VerificationState.Verified, false) => VerificationState.Reappeared,
                _ => null,
            };
            if (next is { } state)
            {
                events.Add(new VerificationEvent(campaign.Id, decision.Id, item.AccountId, item.MemberId, state, snapshot.Id, readAt, now, detail));
            }
        }

        return events;
    }

    private static (bool Applied, string Detail) Applied(ReviewDecision decision, ReviewItem item, Snapshot snapshot)
    {
        var account = snapshot.Accounts.FirstOrDefault(a => a.Id == item.AccountId)?.Name ?? item.AccountId;
        // The same membership, or the same person invited again under a new membership id.
        var present = snapshot.Members
            .Where(m => m.AccountId == item.AccountId && m.IsAccess
                        && (m.Id == item.MemberId || (item.MemberEmail.Length > 0 && string.Equals(m.Email.Trim(), item.MemberEmail.Trim(), StringComparison.OrdinalIgnoreCase))))
            .ToList();
        if (present.Count == 0)
        {
            return (true, $"{item.Label} holds no membership in account {account}");
        }

        if (decision.Decision == DecisionKind.Revoke)
        {
            return (false, $"{item.Label} is still a member of account {account} ({Describe(present)})");
        }

        var wanted = decision.Roles.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var held = present.SelectMany(m => m.GrantNames).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return held.SetEquals(wanted)
            ? (true, $"{item.Label} holds exactly {string.Join(", ", wanted.Order(StringComparer.OrdinalIgnoreCase))} in account {account}")
            : (false, $"{item.Label} holds {Describe(present)} in account {account}, not {string.Join(", ", wanted.Order(StringComparer.OrdinalIgnoreCase))}");
    }

    private static string Describe(IEnumerable<AccountMember> members) =>
        string.Join(", ", members.SelectMany(m => m.GrantNames).Distinct(StringComparer.OrdinalIgnoreCase)) is { Length: > 0 } names ? names : "no roles";

    // An account whose member list was not read (whole or at all) proves nothing either way.
    private static bool MembersRead(Snapshot snapshot, string accountId) =>
        snapshot.Accounts.Any(a => a.Id == accountId)
        && !snapshot.Gaps.Any(g => g.Stage == "access"
                                   && ((g.ResourceType == "member" && (g.ResourceId is null || g.ResourceId == accountId))
                                       || (g.ResourceType == "account" && g.ResourceId is null)));
}
