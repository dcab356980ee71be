using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Access;

/// <summary>Each account has enough Super Administrators that losing one does not lock it, and few enough to stay least-privileged.</summary>
internal sealed class SuperAdminsBounded : ICheck
{
    private const string Stage = "access";

    /// <summary>The fewest accepted Super Administrators an account needs: with one, nobody else can manage members or recover the account.</summary>
    public const int MinSuperAdmins = 2;

    /// <summary>The Super Administrator role (and permission group) as Cloudflare names it.</summary>
    public const string SuperAdminName = "Super Administrator - All Privileges";

    /// <summary>The Super Administrator role id Cloudflare documents (developers.cloudflare.com, SCIM troubleshooting).</summary>
    public const string SuperAdminRoleId = "33666b9c79b9a5273fc7344ff42f953d";

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.super-admins-bounded",
        Title: "Every Cloudflare account has between 2 and the allowed number of Super Administrators",
        Severity: Severity.High,
        Asserts: "Each synced account has at least 2 accepted members holding Super Administrator - All Privileges (as a role, or as a permission group of an account-wide allow policy, directly or through an IAM user group), so no single person is the only one who can manage the account, and at most max_super_admins (default 4). Pending invitations are not counted.",
        Remediation: "Adjust the Super Administrators in the Cloudflare dashboard: Manage Account > Members > (member) > Edit; grant the role to a second trusted person, or reduce the role of those who do not need it.",
        Frameworks: [Soc2.CC6_1, Soc2.CC6_3, Iso27001.A5_15, Iso27001.A5_18, Iso27001.A8_2, PciDss.R7_2_1, PciDss.R7_2_2],
        Needs: DataNeeds.Accounts | DataNeeds.Members);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        var snapshot = context.Snapshot;
        if (snapshot.AccessSyncedAt is null)
        {
            yield return Findings.NotSynced(snapshot, Stage);
            yield break;
        }

        var stageGaps = snapshot.Gaps.Where(g => g.Stage == Stage && g.ResourceType == "account" && g.ResourceId is null).ToList();
        foreach (var gap in stageGaps)
        {
            yield return new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                $"accounts may be incomplete: {Findings.Describe(gap)}", Findings.Remediation(gap));
        }

        if (snapshot.Accounts.Count == 0 && stageGaps.Count == 0)
        {
            yield return new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                "no Cloudflare accounts were synced, so no account's Super Administrators could be counted; the credential may have no account access",
                "Check the connection's credential with `vigil connections test NAME`; it needs Account Settings Read.");
        }

        // Grouped once: with many accounts, filtering every membership for each account would cost accounts x members.
        var byAccount = snapshot.Members.ToLookup(m => m.AccountId, StringComparer.Ordinal);
        foreach (var account in snapshot.Accounts)
        {
            yield return Judge(context, account, byAccount[account.Id]);
        }
    }

    private static Finding Judge(EvaluationContext context, CloudflareAccount account, IEnumerable<AccountMember> accountMembers)
    {
        var name = context.DescribeAccount(account.Id);
        var gaps = context.Snapshot.Gaps.Where(g => g.Stage == Stage && g.ResourceId == account.Id).ToList();
        if (gaps.FirstOrDefault(g => g.ResourceType == "member") is { } memberGap)
        {
            return Findings.UnknownAccount(context, account.Id, $"the members of {name} could not be read: {Findings.Describe(memberGap)}", Findings.Remediation(memberGap));
        }

        var members = accountMembers.ToList();
        if (members.Count == 0)
        {
            return Findings.UnknownAccount(context, account.Id,
                $"{name} reported no members; every account has at least one, so the credential probably cannot read them",
                "Grant the API token the 'Account Settings Read' permission (Cloudflare dashboard > My Profile > API Tokens > Edit), then run `vigil sync`.");
        }

        var max = context.Options.MaxSuperAdmins;
        var admins = members.Where(m => m.Status == MembershipStatus.Accepted)
            .Select(m => (Member: m, How: HowSuperAdmin(context, m)))
            .Where(a => a.How is not null)
            .ToList();
        var pending = members.Where(m => m.Status == MembershipStatus.Pending && HowSuperAdmin(context, m) is not null).Select(m => m.Label).ToList();
        var named = admins.Count == 0 ? "none" : string.Join(", ", admins.Select(a => $"{a.Member.Label} ({a.How})"));
        var pendingNote = pending.Count == 0 ? "" : $"; pending invitations not counted: {string.Join(", ", pending)}";
        var counted = $"{name} has {admins.Count} accepted Super Administrator{(admins.Count == 1 ? "" : "s")}: {named}{pendingNote}";
        var groupGap = gaps.FirstOrDefault(g => g.ResourceType == UserAccessValid.UserGroupGap);

        if (admins.Count > max)
        {
            return account.Fail($"{counted}; at most {max} are allowed (max_super_admins)",
                $"Reduce the role of the Super Administrators who do not need it in {name}: Cloudflare dashboard > Manage Account > Members > (member) > Edit, " +
                $"choosing a narrower role such as Administrator; then run `vigil sync`. To allow more, `vigil settings set max_super_admins N`.");
        }

        if (groupGap is not null)
        {
            // Super Administrator granted through an IAM user group is invisible on the member object.
            return Findings.UnknownAccount(context, account.Id,
                $"{counted}, but the IAM user groups of {name} could not be read ({Findings.Describe(groupGap)}), so Super Administrators through groups are unknown",
                Findings.Remediation(groupGap));
        }

        if (admins.Count < MinSuperAdmins)
        {
            return account.Fail($"{counted}; at least {MinSuperAdmins} are needed so that no single person is the only one who can manage the account",
                $"Grant Super Administrator - All Privileges to a second trusted, accepted member of {name}: Cloudflare dashboard > Manage Account > Members > (member) > Edit; then run `vigil sync`.");
        }

        return account.Pass($"{counted}; between {MinSuperAdmins} and {max} (max_super_admins)");
    }

    /// <summary>"role" or "policy on account X via group G" when the member is a Super Administrator; null otherwise.</summary>
    internal static string? HowSuperAdmin(EvaluationContext context, AccountMember member)
    {
        // Loops rather than queries: every membership of every account is asked.
        foreach (var role in member.Roles)
        {
            if (IsSuperAdminRole(role))
            {
                return "role";
            }
        }

        foreach (var grant in MemberGrants.Of(context, member))
        {
            if (grant.AccountWide && grant.Name.Equals(SuperAdminName, StringComparison.OrdinalIgnoreCase) && !HasRoleNamed(member, grant.Name))
            {
                return $"policy{(grant.ViaGroup is null ? "" : $" via group {grant.ViaGroup}")}";
            }
        }
        return null;
    }

    private static bool HasRoleNamed(AccountMember member, string name)
    {
        foreach (var role in member.Roles)
        {
            if (role.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsSuperAdminRole(MemberRole role) =>
        role.Name.Equals(SuperAdminName, StringComparison.OrdinalIgnoreCase) || role.Id.Equals(SuperAdminRoleId, StringComparison.OrdinalIgnoreCase);
}
