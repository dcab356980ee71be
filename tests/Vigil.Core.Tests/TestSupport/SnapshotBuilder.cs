using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Core.Tests.TestSupport;

/// <summary>
/// Builds snapshots for check tests. Everything defaults to compliant: accounts enforce 2FA, members have 2FA,
/// zones are active with strict SSL (no Configuration Rule or Page Rule lowering it), TLS 1.2 (no per-hostname override),
/// HTTPS, HSTS, DNSSEC, a managed WAF, a medium security level, a blocking custom rule, a rate limiting rule, Bot Fight Mode
/// and a Logpush job for http_requests.
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
                [new RulesetRule("rule-cf-managed", "execute", Enabled: true, "efb7b8c949ac4650a09736fc376e9aee", OverridesDisableRuleset: false, "Cloudflare Managed Ruleset", Expression: "true")]),
            [RulesetPhases.CustomFirewall] = new(RulesetPhases.CustomFirewall, "rs-custom-entry",
                [new RulesetRule("rule-block-admin", "block", Enabled: true, null, OverridesDisableRuleset: false, "Block admin probes", Expression: "http.request.uri.path contains \"/wp-admin\"")]),
            [RulesetPhases.ConfigSettings] = null,
            [RulesetPhases.RateLimit] = new(RulesetPhases.RateLimit, "rs-ratelimit-entry",
                [new RulesetRule("rule-limit-login", "block", Enabled: true, null, OverridesDisableRuleset: false, "Rate limit login", Expression: "http.request.uri.path eq \"/login\"")]),
        },
        SslPageRules: [],
        HostnameMinTls: [],
        Features: ZoneFeaturesExtensions.Compliant with
        {
            BotManagement = new BotManagementConfig(FightMode: true),
            LogpushJobs = [new LogpushJob("1001", "edge-requests", "http_requests", Enabled: true, Kind: "", DestinationType: "s3",
                LastComplete: SyncedAt.AddMinutes(-5), LastError: null, ErrorMessage: null)],
            CertificatePacks = [new CertificatePack("pack-universal", "universal", "active", "lets_encrypt", [])],
        });

    private readonly List<CloudflareAccount> _accounts = [];
    private readonly List<AccountMember> _members = [];
    private readonly List<Zone> _zones = [];
    private readonly List<ReadGap> _gaps = [];
    private readonly List<AccountRulesets> _accountRulesets = [];
    private List<AccountToken>? _tokens;
    private readonly List<DnsRecord> _dnsRecords = [];
    private readonly List<AccountLogpush> _accountLogpush = [];
    private bool _accessSynced = true;
    private bool _infraSynced = true;
    private DateTimeOffset _accessReadAt = SyncedAt;
    private DateTimeOffset _infraReadAt = SyncedAt;
    private int _nextId = 1;

    public SnapshotBuilder Account(string id = DefaultAccountId, string? name = null, bool? enforceTwoFactor = true, IReadOnlyList<SsoConnector>? ssoConnectors = null)
    {
        _accounts.RemoveAll(a => a.Id == id);
        _accounts.Add(new CloudflareAccount(id, name ?? NameOf(id), enforceTwoFactor, "conn-1", ssoConnectors));
        return this;
    }

    public SnapshotBuilder Member(
        string email,
        string account = DefaultAccountId,
        MembershipStatus status = MembershipStatus.Accepted,
        bool? twoFactor = true,
        string[]? roles = null,
        MemberPolicy[]? policies = null,
        string? id = null,
        string? statusText = null,
        DateTimeOffset? firstSeenAt = null)
    {
        EnsureAccount(account);
        _members.Add(new AccountMember(
            id ?? $"mem-{_nextId++}", account, status == MembershipStatus.Pending ? null : $"user-{email}", email, "First", "Last", status, twoFactor,
            (roles ?? ["Administrator"]).Select((r, i) => new MemberRole($"role-{i}", r)).ToList(),
            policies ?? [], statusText, firstSeenAt));
        return this;
    }

    public SnapshotBuilder Zone(string name, Func<ZoneSecurity, ZoneSecurity>? configure = null, string status = "active", bool paused = false, string account = DefaultAccountId, string? id = null,
        string? planLegacyId = null, string? type = null, string? plan = null)
    {
        EnsureAccount(account);
        _zones.Add(new Zone(id ?? $"zone-{name}", name, account, status, paused, "Free", configure is null ? CompliantSecurity : configure(CompliantSecurity),
            type, planLegacyId ?? plan));
        return this;
    }

    /// <summary>A compliant zone whose DNS records were read: these records (names relative to the zone: "@" is the apex, "www" is www.ZONE).</summary>
    public SnapshotBuilder DnsZone(string name, IEnumerable<DnsSpec> records, string? id = null, string? type = null, string status = "active", bool paused = false,
        Func<ZoneSecurity, ZoneSecurity>? configure = null)
    {
        var zoneId = id ?? $"zone-{name}";
        var list = records.ToList();
        Zone(name, s => (configure ?? (x => x))(s with { Features = (s.Features ?? new ZoneFeatures()) with { DnsRecordCount = list.Count } }), status, paused, id: zoneId, type: type);
        _dnsRecords.AddRange(list.Select(r => r.ToRecord($"rec-{_nextId++}", zoneId, name)));
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

    /// <summary>Account-level phase entrypoints read for an account (Enterprise WAF deployments).</summary>
    public SnapshotBuilder AccountRulesets(AccountRulesets rulesets)
    {
        _accountRulesets.Add(rulesets);
        return this;
    }

    /// <summary>Logpush jobs read for an account.</summary>
    public SnapshotBuilder AccountLogpush(AccountLogpush jobs)
    {
        _accountLogpush.Add(jobs);
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
        _accessSynced ? _accessReadAt : null,
        _infraSynced ? _infraReadAt : null,
        _accessSynced ? [.. _accounts] : [],
        [],
        _accessSynced ? [.. _members] : [],
        _infraSynced ? [.. _zones] : [],
        [.. _gaps],
        _infraSynced ? [.. _accountRulesets] : [],
        _accessSynced && _tokens is not null ? [.. _tokens] : null,
        _infraSynced ? [.. _dnsRecords] : null,
        _infraSynced ? [.. _accountLogpush] : []);

    /// <summary>Marks the account-owned tokens as read (none yet): without this call the snapshot has not read them.</summary>
    public SnapshotBuilder TokensRead()
    {
        _tokens ??= [];
        return this;
    }

    /// <summary>An account-owned API token; compliant by default (expires, IP-restricted, used yesterday, created by <paramref name="creator"/>).</summary>
    public SnapshotBuilder Token(
        string name,
        string account = DefaultAccountId,
        string? id = null,
        string? status = "active",
        DateTimeOffset? expiresOn = null,
        bool noExpiry = false,
        string[]? allowedIps = null,
        string[]? deniedIps = null,
        DateTimeOffset? lastUsedOn = null,
        bool neverUsed = false,
        DateTimeOffset? issuedOn = null,
        string? creator = "ada@acme.test")
    {
        EnsureAccount(account);
        TokensRead();
        _tokens!.Add(new AccountToken(id ?? $"tok-{_nextId++}", account, name, status, issuedOn ?? SyncedAt.AddDays(-200), null, null,
            noExpiry ? null : expiresOn ?? SyncedAt.AddDays(180), neverUsed ? null : lastUsedOn ?? SyncedAt.AddDays(-1),
            allowedIps ?? ["203.0.113.0/24"], deniedIps ?? [], creator, []));
        return this;
    }

    /// <summary>The data was read at these times (default <see cref="SyncedAt"/>); the infrastructure data, when not given, at the same time as the access data.</summary>
    public SnapshotBuilder ReadAt(DateTimeOffset access, DateTimeOffset? infra = null)
    {
        _accessReadAt = access;
        _infraReadAt = infra ?? access;
        return this;
    }

    private void EnsureAccount(string id)
    {
        if (_accounts.All(a => a.Id != id))
        {
            Account(id);
        }
    }

    private static string NameOf(string id) => id == DefaultAccountId ? "Acme" : $"Account {id}";
}
