using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Access;

/// <summary>
/// The shared frame of the membership checks: what to say when access data is missing or partial, and the walk over
/// every membership of every synced account (pending invitations included: an invitation is access waiting to be taken).
/// </summary>
internal static class Memberships
{
    private const string Stage = "access";

    public static IEnumerable<Finding> Evaluate(EvaluationContext context, Func<AccountMember, Finding> judge)
    {
        var snapshot = context.Snapshot;
        if (snapshot.AccessSyncedAt is null)
        {
            yield return Findings.NotSynced(snapshot, Stage);
            yield break;
        }

        var gaps = snapshot.Gaps
            .Where(g => g.Stage == Stage && (g.ResourceType == "member" || (g.ResourceType == "account" && g.ResourceId is null)))
            .ToList();
        foreach (var gap in gaps)
        {
            yield return gap.ResourceId is { } accountId
                ? Findings.UnknownAccount(context, accountId, $"members of {context.DescribeAccount(accountId)} could not be read: {Findings.Describe(gap)}", Findings.Remediation(gap))
                : new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                    $"memberships may be incomplete: {Findings.Describe(gap)}", Findings.Remediation(gap));
        }

        if (snapshot.Accounts.Count == 0 && gaps.Count == 0)
        {
            yield return new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                "no Cloudflare accounts were synced, so no membership could be judged; the credential may have no account access",
                "Check the connection's credential with `vigil connections test NAME`; it needs Account Settings Read.");
        }

        // Every account has at least one member (its owner): an empty list without a recorded gap means the read was incomplete.
        var accountsWithMembers = context.MemberFacts.AccountsWithMembers;
        foreach (var account in snapshot.Accounts.Where(a => !accountsWithMembers.Contains(a.Id) && !gaps.Any(g => g.ResourceId == a.Id)))
        {
            yield return Findings.UnknownAccount(context, account.Id,
                $"{context.DescribeAccount(account.Id)} reported no members; every account has at least one, so the credential probably cannot read them",
                "Grant the API token the 'Account Settings Read' permission (Cloudflare dashboard > My Profile > API Tokens > Edit), then run `vigil sync`.");
        }

        foreach (var member in snapshot.Members)
        {
            // Only accepted memberships and pending invitations are access; anything else (a rejected invitation) is
            // listed so nobody wonders where it went, and judged by no access check.
            yield return member.IsAccess
                ? judge(member)
                : member.Skip($"{Describe(context, member)} has status '{member.StatusText ?? "other"}', which is not access; no access check judges it");
        }
    }

    /// <summary>"pending invitation", "membership" or "rejected invitation", for reasons that must say that an invitation counts as access.</summary>
    public static string Kind(AccountMember member) => member.Status switch
    {
        MembershipStatus.Pending => "pending invitation",
        MembershipStatus.Accepted => "membership",
        _ when member.StatusText is "rejected" => "rejected invitation",
        _ => $"membership with status '{member.StatusText ?? "other"}'",
    };

    /// <summary>"j@x.com (membership in account Acme (abc))", or "member m1 (...)" when Cloudflare returned no email.</summary>
    public static string Describe(EvaluationContext context, AccountMember member) => context.MemberFacts.Description(member);

    /// <summary>Who the member is (<see cref="People.IdentityResolver"/>), resolved once per membership for all the checks that ask.</summary>
    public static People.MemberIdentity Identity(EvaluationContext context, AccountMember member) => context.MemberFacts.Identity(member);

    /// <summary>Builds <see cref="Describe"/>'s text; <see cref="MemberFacts"/> keeps it for the evaluation.</summary>
    internal static string DescribeOnce(EvaluationContext context, AccountMember member) =>
        $"{member.Label} ({Kind(member)} in {context.DescribeAccount(member.AccountId)})";
}
