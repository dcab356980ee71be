using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Core.Tests.TestSupport;

/// <summary>
/// Builds snapshots for check tests. Everything defaults to compliant: accounts enforce 2FA, members have 2FA,
/// zones are active with strict SSL (no Configuration Rule or Page Rule lowering it), TLS 1.2 (no per-hostname override),
/// HTTPS, HSTS, DNSSEC, a managed WAF and a medium security level.
/// Referencing an account id that was not declared declares it with a name derived from the id.
/// </summary>
internal sealed class SnapshotBuilder
{
    public const string DefaultAccountId = "acc-1";
    public static readonly DateTimeOffset SyncedAt = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly ZoneSecurity CompliantSecurity = new(
        Ssl: "strict",
        MinTlsVersion: "1.2",
        AlwaysUseHttps: "on",
        Hsts: new HstsPolicy(Enabled: true, MaxAgeSeconds: 31_536_000, IncludeSubdomains: true, Preload: false),
        SecurityLevel: "medium",
        LegacyWaf: "off",
        DnssecStatus: "active",
        Entrypoints: new Dictionary<string, PhaseEntrypoint?>
        {
            [RulesetPhases.ManagedWaf] = new(RulesetPhases.ManagedWaf, "rs-managed-entry",
                [new RulesetRule("rule-cf-managed", "execute", Enabled: true, "efb7b8c949ac4650a09736fc376e9aee", OverridesDisableRuleset: false, "Cloudflare Managed Ruleset")]),
            [RulesetPhases.ConfigSettings] = null,
        },
        SslPageRules: [],
        HostnameMinTls: []);

    private readonly List<CloudflareAccount> _accounts = [];
    private readonly List<AccountMember> _members = [];
    private readonly List<Zone> _zones = [];
    private readonly List<ReadGap> _gaps = [];
    private bool _accessSynced = true;
    private bool _infraSynced = true;
    private int _nextId = 1;

    public SnapshotBuilder Account(string id = DefaultAccountId, string? name = null, bool? enforceTwoFactor = true)
    {
        _accounts.RemoveAll(a => a.Id == id);
        _accounts.Add(new CloudflareAccount(id, name ?? NameOf(id), enforceTwoFactor, "conn-1"));
        return this;
    }

    public SnapshotBuilder Member(
        string email,
        string account = DefaultAccountId,
        MembershipStatus status = MembershipStatus.Accepted,
        bool? twoFactor = true,
        string[]? roles = null,
        MemberPolicy[]? policies = null,
        string? id = null)
    {
        EnsureAccount(account);
        _members.Add(new AccountMember(
            id ?? $"mem-{_nextId++}", account, status == MembershipStatus.Pending ? null : $"user-{email}", email, "First", "Last", status, twoFactor,
            (roles ?? ["Administrator"]).Select((r, i) => new MemberRole($"role-{i}", r)).ToList(),
            policies ?? []));
        return this;
    }

    public SnapshotBuilder Zone(string name, Func<ZoneSecurity, ZoneSecurity>? configure = null, string status = "active", bool paused = false, string account = DefaultAccountId, string? id = null,
        string? type = null, string? plan = null)
    {
        EnsureAccount(account);
        _zones.Add(new Zone(id ?? $"zone-{name}", name, account, status, paused, "Free", configure is null ? CompliantSecurity : configure(CompliantSecurity), type, plan));
        return this;
    }

    public SnapshotBuilder ZoneWithoutSecurity(string name, string? id = null)
    {
        EnsureAccount(DefaultAccountId);
        _zones.Add(new Zone(id ?? $"zone-{name}", name, DefaultAccountId, "active", false, "Free", null));
        return this;
    }

    public SnapshotBuilder Gap(string stage, string resourceType, string? resourceId, string? missingPermission = null, string what = "GET /something", string reason = "403 Forbidden")
    {
        _gaps.Add(new ReadGap(stage, resourceType, resourceId, what, reason, missingPermission));
        return this;
    }

    public SnapshotBuilder WithoutAccessSync()
    {
        _accessSynced = false;
        return this;
    }

    public SnapshotBuilder WithoutInfraSync()
    {
        _infraSynced = false;
        return this;
    }

    public Snapshot Build() => new(
        "snap-1",
        SyncedAt,
        _accessSynced ? SyncedAt : null,
        _infraSynced ? SyncedAt : null,
        _accessSynced ? [.. _accounts] : [],
        [],
        _accessSynced ? [.. _members] : [],
        _infraSynced ? [.. _zones] : [],
        [.. _gaps]);

    private void EnsureAccount(string id)
    {
        if (_accounts.All(a => a.Id != id))
        {
            Account(id);
        }
    }

    private static string NameOf(string id) => id == DefaultAccountId ? "Acme" : $"Account {id}";
}
