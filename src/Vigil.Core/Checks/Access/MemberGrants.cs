using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Access;

/// <summary>
/// What a member can do, one permission group (or legacy role) per scope: roles apply to the whole account; an allow
/// policy's permission groups apply to each of its resource groups, directly or through an IAM user group.
/// </summary>
internal static class MemberGrants
{
    /// <summary>Suffix of a role limit that allows a permission group only when granted on the whole account.</summary>
    public const string AccountWideSuffix = "@account";

    public sealed record Grant(string Name, string Scope, bool AccountWide, string? ViaGroup)
    {
        /// <summary>"Administrator on zone shop.example via group Ops" (built once: reasons name every grant of every membership).</summary>
        public string Description { get; } = $"{Name} on {Scope}{(ViaGroup is null ? "" : $" via group {ViaGroup}")}";
    }

    /// <summary>Grants per membership, kept for the whole evaluation: several checks weigh every membership's grants.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EvaluationContext, System.Collections.Concurrent.ConcurrentDictionary<AccountMember, IReadOnlyList<Grant>>> Cache = [];

    public static IReadOnlyList<Grant> Of(EvaluationContext context, AccountMember member) =>
        Cache.GetValue(context, _ => new(ReferenceEqualityComparer.Instance)).GetOrAdd(member, m => Build(context, m));

    private static IReadOnlyList<Grant> Build(EvaluationContext context, AccountMember member)
    {
        var account = context.FindAccount(member.AccountId) is { } a ? $"account {a.Name}" : $"account {member.AccountId}";
        var grants = member.Roles.Select(r => new Grant(r.Name, account, true, null)).ToList();
        foreach (var policy in member.Policies.Where(p => p.Access == "allow"))
        {
            IReadOnlyList<PolicyScope> scopes = policy.Scopes is { Count: > 0 } s ? s : [new PolicyScope(PolicyScope.Account, member.AccountId)];
            foreach (var group in policy.PermissionGroups)
            {
                grants.AddRange(scopes.Select(scope => new Grant(group, DescribeScope(context, scope), scope.IsAccountWide, policy.ViaGroup)));
            }
        }
        return [.. grants.DistinctBy(g => (g.Name.ToUpperInvariant(), g.Scope, g.ViaGroup))];
    }

    /// <summary>True when the limit allows the grant: same name (case-insensitive), and account-wide when the limit ends in "@account".</summary>
    public static bool Allows(string limit, Grant grant)
    {
        var trimmed = limit.Trim();
        var accountOnly = trimmed.EndsWith(AccountWideSuffix, StringComparison.OrdinalIgnoreCase);
        var name = accountOnly ? trimmed[..^AccountWideSuffix.Length].TrimEnd() : trimmed;
        return string.Equals(name, grant.Name, StringComparison.OrdinalIgnoreCase) && (!accountOnly || grant.AccountWide);
    }

    private static string DescribeScope(EvaluationContext context, PolicyScope scope) => scope.Kind switch
    {
        PolicyScope.Account => context.FindAccount(scope.Id) is { } a ? $"account {a.Name}" : $"account {scope.Id}",
        PolicyScope.AllZones => context.FindAccount(scope.Id) is { } a ? $"all zones of account {a.Name}" : $"all zones of account {scope.Id}",
        PolicyScope.Zone => context.FindZone(scope.Id) is { } zone ? $"zone {zone.Name}" : $"zone {scope.Id}",
        _ => $"resource {scope.Id}",
    };
}
