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

    /// <summary>The member's grants, built once per evaluation (<see cref="MemberFacts"/>): several checks weigh every membership's grants.</summary>
    public static IReadOnlyList<Grant> Of(EvaluationContext context, AccountMember member) => context.MemberFacts.Grants(member);

    internal static IReadOnlyList<Grant> Build(EvaluationContext context, AccountMember member) => new Builder(context).Build(member);

    /// <summary>
    /// Builds members' grants, sharing one <see cref="Grant"/> (and its description) among every membership that holds the
    /// same one: thousands of memberships hold "Administrator on account Acme". One builder per thread.
    /// </summary>
    internal sealed class Builder(EvaluationContext context)
    {
        private readonly Dictionary<(string Name, string Scope, bool AccountWide, string? ViaGroup), Grant> _grants = [];
        private readonly Dictionary<(string Kind, string Id), string> _scopes = [];
        private readonly List<Grant> _buffer = [];

        public IReadOnlyList<Grant> Build(AccountMember member)
        {
            var accountScope = Scope(PolicyScope.Account, member.AccountId);
            foreach (var role in member.Roles)
            {
                Add(role.Name, accountScope, true, null);
            }
            foreach (var policy in member.Policies)
            {
                if (policy.Access != "allow")
                {
                    continue;
                }
                foreach (var group in policy.PermissionGroups)
                {
                    if (policy.Scopes is not { Count: > 0 } scopes)
                    {
                        Add(group, accountScope, true, policy.ViaGroup);
                        continue;
                    }
                    foreach (var scope in scopes)
                    {
                        Add(group, Scope(scope.Kind, scope.Id), scope.IsAccountWide, policy.ViaGroup);
                    }
                }
            }
            Grant[] grants = [.. _buffer];
            _buffer.Clear();
            return grants;
        }

        /// <summary>Adds the grant unless the member already holds it (same name ignoring case, same scope and group: the first kept).</summary>
        private void Add(string name, string scope, bool accountWide, string? viaGroup)
        {
            foreach (var held in _buffer)
            {
                if (held.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && held.Scope == scope && held.ViaGroup == viaGroup)
                {
                    return;
                }
            }
            var key = (name, scope, accountWide, viaGroup);
            if (!_grants.TryGetValue(key, out var grant))
            {
                _grants[key] = grant = new Grant(name, scope, accountWide, viaGroup);
            }
            _buffer.Add(grant);
        }

        private string Scope(string kind, string id)
        {
            if (!_scopes.TryGetValue((kind, id), out var described))
            {
                _scopes[(kind, id)] = described = DescribeScope(context, new PolicyScope(kind, id));
            }
            return described;
        }
    }

    /// <summary>True when the limit allows the grant: same name (case-insensitive), and account-wide when the limit ends in "@account".</summary>
    public static bool Allows(string limit, Grant grant) => Limit.Parse(limit).Allows(grant);

    /// <summary>A Cloudflare role limit of an org role ("DNS", "Zone Read@account"), parsed once for every grant it is weighed against.</summary>
    /// <param name="Name">The permission group or role name it allows.</param>
    /// <param name="AccountOnly">True when it allows the name only when granted on the whole account (it ended in "@account").</param>
    public readonly record struct Limit(string Name, bool AccountOnly)
    {
        public static Limit Parse(string limit)
        {
            var trimmed = limit.Trim();
            var accountOnly = trimmed.EndsWith(AccountWideSuffix, StringComparison.OrdinalIgnoreCase);
            return new Limit(accountOnly ? trimmed[..^AccountWideSuffix.Length].TrimEnd() : trimmed, accountOnly);
        }

        public bool Allows(Grant grant) => string.Equals(Name, grant.Name, StringComparison.OrdinalIgnoreCase) && (!AccountOnly || grant.AccountWide);

        /// <summary>True when any of <paramref name="limits"/> allows the grant.</summary>
        public static bool AnyAllows(IReadOnlyList<Limit> limits, Grant grant)
        {
            for (var i = 0; i < limits.Count; i++)
            {
                if (limits[i].Allows(grant))
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>
    /// A member's grants as reasons name them, "DNS on account Acme, Zone Read on zone shop.example", or "no roles or
    /// allow-policies"; written straight into the reason that names them, without a string of its own.
    /// </summary>
    public readonly struct Described(IReadOnlyList<Grant> grants) : ISpanFormattable
    {
        private const string None = "no roles or allow-policies";
        private const string Separator = ", ";

        public override string ToString() => grants.Count > 0 ? string.Join(Separator, grants.Select(g => g.Description)) : None;

        public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            charsWritten = 0;
            if (grants.Count == 0)
            {
                return Write(None, destination, ref charsWritten);
            }
            for (var i = 0; i < grants.Count; i++)
            {
                if ((i > 0 && !Write(Separator, destination, ref charsWritten)) || !Write(grants[i].Description, destination, ref charsWritten))
                {
                    return false;
                }
            }
            return true;
        }

        private static bool Write(string text, Span<char> destination, ref int written)
        {
            if (!text.AsSpan().TryCopyTo(destination[written..]))
            {
                return false;
            }
            written += text.Length;
            return true;
        }
    }

    private static string DescribeScope(EvaluationContext context, PolicyScope scope) => scope.Kind switch
    {
        PolicyScope.Account => context.FindAccount(scope.Id) is { } a ? $"account {a.Name}" : $"account {scope.Id}",
        PolicyScope.AllZones => context.FindAccount(scope.Id) is { } a ? $"all zones of account {a.Name}" : $"all zones of account {scope.Id}",
        PolicyScope.Zone => context.FindZone(scope.Id) is { } zone ? $"zone {zone.Name}" : $"zone {scope.Id}",
        _ => $"resource {scope.Id}",
    };
}
