using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;

namespace Vigil.Core.Reviews;

/// <summary>
/// The risk flags of one membership (<see cref="RiskFlags"/>), shared by review items and the members read model so
/// that a campaign, the members page and a check never disagree on what is wrong with a membership.
/// </summary>
public static class MembershipFlags
{
    /// <summary>The access checks whose failing finding on a member raises a flag, with that flag.</summary>
    public static IReadOnlyList<(string CheckId, string Flag)> FromChecks { get; } =
    [
        (UserIdentified.Definition.Id, RiskFlags.Unidentified),
        (OffboardedAccessRemoved.Definition.Id, RiskFlags.Offboarded),
        (UserAccessValid.Definition.Id, RiskFlags.RoleBeyondLimit),
        (Member2faEnabled.Definition.Id, RiskFlags.NoTwoFactor),
    ];

    /// <summary>True when a grant (role or permission group, <see cref="MembershipGrant.Name"/>) is Super Administrator.</summary>
    public static bool IsSuperAdministrator(IEnumerable<string> grantNames) =>
        grantNames.Any(name => name.Contains("Super Administrator", StringComparison.OrdinalIgnoreCase));

    /// <summary>True for a pending invitation first seen longer ago than <see cref="CampaignPlanner.StaleInviteAge"/>.</summary>
    /// <param name="firstSeen">When Vigil first saw the membership; null when unknown (never stale).</param>
    public static bool IsStaleInvite(AccountMember member, DateTimeOffset? firstSeen, DateTimeOffset now) =>
        member.Status == MembershipStatus.Pending && firstSeen is { } invited && now - invited > CampaignPlanner.StaleInviteAge;

    /// <summary>What the member can do: one entry per role or permission group and scope, as the access checks read it.</summary>
    public static IReadOnlyList<MembershipGrant> GrantsOf(EvaluationContext context, AccountMember member) =>
        [.. MemberGrants.Of(context, member).Select(g => new MembershipGrant(g.Name, g.Scope, g.AccountWide, g.ViaGroup))];
}

/// <summary>One thing a membership can do.</summary>
/// <param name="Name">The role or permission group, e.g. "Administrator".</param>
/// <param name="Scope">What it applies to, e.g. "account Acme" or "zone shop.example".</param>
/// <param name="AccountWide">True when it applies to the whole account.</param>
/// <param name="ViaGroup">The IAM user group it is held through; null when held directly.</param>
public sealed record MembershipGrant(string Name, string Scope, bool AccountWide, string? ViaGroup);
