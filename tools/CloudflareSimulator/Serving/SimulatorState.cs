using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Vigil.Simulation;

/// <summary>Read-only indexes over a scenario, built once at start, plus the runtime token revocations.</summary>
internal sealed partial class SimulatorState
{
    private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MemberListKey, ScenarioMember[]> _memberLists = new();

    public SimulatorState(Scenario scenario, SimulatorOptions options)
    {
        Scenario = scenario;
        Options = options;
        Accounts = [.. scenario.Accounts];
        AccountsById = scenario.Accounts.ToFrozenDictionary(a => a.Id, StringComparer.Ordinal);
        var zones = new List<ZoneEntry>();
        foreach (var account in scenario.Accounts)
        {
            foreach (var zone in account.Zones)
            {
                zones.Add(new ZoneEntry(zone, account));
            }
        }

        Zones = [.. zones];
        ZonesById = zones.ToFrozenDictionary(z => z.Zone.Id, StringComparer.Ordinal);
        MembersById = scenario.Accounts.ToFrozenDictionary(
            a => a.Id,
            a => a.Members.GroupBy(m => m.Id, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
            StringComparer.Ordinal);
        RolesById = scenario.Accounts.ToFrozenDictionary(
            a => a.Id,
            a => a.Roles.ToFrozenDictionary(r => r.Id, StringComparer.Ordinal),
            StringComparer.Ordinal);
        var extraUsers = options.ExtraTokenUsers.Values
            .Where(email => !scenario.Users.Any(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(email => new ScenarioUser
            {
                Id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.ToLowerInvariant())))[..32],
                Email = email,
                FirstName = "Simulated",
                LastName = "User",
            });
        UsersByEmail = scenario.Users.Concat(extraUsers)
            .GroupBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

        var tokens = scenario.Tokens.ToDictionary(t => t.Value, StringComparer.Ordinal);
        var extra = 0;
        foreach (var value in options.ExtraTokens)
        {
            extra++;
            tokens.TryAdd(value, new ScenarioToken
            {
                Id = $"e{extra:x31}",
                Value = value,
                Name = "Simulator extra read-all token",
                UserEmail = options.ExtraTokenUsers.TryGetValue(value, out var owner) ? owner : null,
                Permissions = [.. PermissionGroups.AllRead.Select(g => new TokenPermission { Group = g })],
            });
        }

        TokensByValue = tokens.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public Scenario Scenario { get; }
    public SimulatorOptions Options { get; }
    public ScenarioAccount[] Accounts { get; }
    public FrozenDictionary<string, ScenarioAccount> AccountsById { get; }
    public ZoneEntry[] Zones { get; private set; }
    public FrozenDictionary<string, ZoneEntry> ZonesById { get; private set; }
    public FrozenDictionary<string, FrozenDictionary<string, ScenarioMember>> MembersById { get; private set; }
    public FrozenDictionary<string, FrozenDictionary<string, ScenarioRole>> RolesById { get; }
    public FrozenDictionary<string, ScenarioUser> UsersByEmail { get; }
    public FrozenDictionary<string, ScenarioToken> TokensByValue { get; }

    public void Revoke(string tokenValue) => _revoked[tokenValue] = 0;

    /// <summary>
    /// The key the credential limit counts under: an extra token given an owner (<see cref="SimulatorOptions.ExtraTokenUsers"/>)
    /// counts against its user, as Cloudflare counts per user; everything else as <see cref="Credential.RateKey"/> says.
    /// </summary>
    public string RateKeyOf(Credential credential) =>
        credential.BearerToken is { } value && Options.ExtraTokenUsers.TryGetValue(value, out var email) && UsersByEmail.TryGetValue(email, out var user)
            ? "user:" + user.Id
            : credential.RateKey;

    private readonly Lock _membersLock = new();

    /// <summary>Test hook: removes a membership from an account, as if an admin removed it in the dashboard. Null when there was none.</summary>
    public ScenarioMember? RemoveMember(string accountId, string memberId)
    {
        lock (_membersLock)
        {
            var account = AccountsById[accountId];
            var member = account.Members.FirstOrDefault(m => m.Id == memberId);
            if (member is not null)
            {
                account.Members.Remove(member);
                ReindexMembers();
            }

            return member;
        }
    }

    /// <summary>Test hook: adds a membership to an account (e.g. one removed before comes back).</summary>
    public void AddMember(string accountId, ScenarioMember member)
    {
        lock (_membersLock)
        {
            AccountsById[accountId].Members.Add(member);
            ReindexMembers();
        }
    }

    /// <summary>
    /// "Update Member" (PUT): gives the membership exactly these roles (ids of the account's roles) or these policies,
    /// as Cloudflare replaces a member's access. Null when there is no such membership.
    /// </summary>
    public ScenarioMember? ReplaceMemberAccess(string accountId, string memberId, List<string>? roles, List<MemberPolicy>? policies)
    {
        lock (_membersLock)
        {
            var account = AccountsById[accountId];
            var index = account.Members.FindIndex(m => m.Id == memberId);
            if (index < 0)
            {
                return null;
            }

            var old = account.Members[index];
            var updated = new ScenarioMember
            {
                Id = old.Id,
                Status = old.Status,
                Email = old.Email,
                User = old.User,
                Roles = roles ?? (policies is null ? old.Roles : []),
                Policies = policies ?? (roles is null ? old.Policies : []),
            };
            account.Members[index] = updated;
            ReindexMembers();
            return updated;
        }
    }

    private void ReindexMembers()
    {
        MembersById = Scenario.Accounts.ToFrozenDictionary(
            a => a.Id,
            a => a.Members.GroupBy(m => m.Id, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
            StringComparer.Ordinal);
        _memberLists.Clear();
    }

    public ScenarioToken? FindToken(string value) =>
        !_revoked.ContainsKey(value) && TokensByValue.TryGetValue(value, out var token) ? token : null;

    /// <summary>The owner a user token answers GET /user with: its user_email, else the scenario's first user.</summary>
    public ScenarioUser? OwnerOf(ScenarioToken token) =>
        token.UserEmail is { } email && UsersByEmail.TryGetValue(email, out var user) ? user : Scenario.Users.FirstOrDefault();

    /// <summary>Members of an account filtered by status and sorted as asked; cached because large orgs page through them.</summary>
    public ScenarioMember[] Members(ScenarioAccount account, string? status, string? order, bool descending) =>
        _memberLists.GetOrAdd(new MemberListKey(account.Id, status, order, descending), key =>
        {
            IEnumerable<ScenarioMember> members = account.Members;
            if (key.Status is { } s)
            {
                members = members.Where(m => string.Equals(m.Status, s, StringComparison.Ordinal));
            }

            Func<ScenarioMember, string>? sortKey = key.Order switch
            {
                "user.first_name" => m => m.User.FirstName ?? "",
                "user.last_name" => m => m.User.LastName ?? "",
                "user.email" => m => m.User.Email ?? "",
                "status" => m => m.Status,
                _ => null,
            };
            if (sortKey is not null)
            {
                members = key.Descending
                    ? members.OrderByDescending(sortKey, StringComparer.OrdinalIgnoreCase)
                    : members.OrderBy(sortKey, StringComparer.OrdinalIgnoreCase);
            }
            else if (key.Descending)
            {
                members = members.Reverse();
            }

            return [.. members];
        });

    private readonly record struct MemberListKey(string AccountId, string? Status, string? Order, bool Descending);
}

internal sealed record ZoneEntry(ScenarioZone Zone, ScenarioAccount Account);
