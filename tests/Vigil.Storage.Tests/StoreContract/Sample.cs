using System.Text.Json;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Storage.Tests.StoreContract;

/// <summary>Test data covering every shape the model allows, and deep comparison (records compare lists by reference).</summary>
internal static class Sample
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Canonical = new() { WriteIndented = true };

    public static void AssertDeepEqual<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, Canonical), JsonSerializer.Serialize(actual, Canonical));

    /// <summary>Ends a run as complete: only one sync runs at a time, so a test's next run starts after this.</summary>
    public static Task FinishAsync(Core.Storage.ISyncStore store, SyncRun run) =>
        store.FinishRunAsync(run with { Status = SyncStatus.Complete, EndedAt = run.StartedAt.AddMinutes(5) }, CancellationToken.None);

    public static Connection Connection(string id, string name, ConnectionPurpose purpose = ConnectionPurpose.Both) =>
        new(id, name, purpose, Core.Sync.Connection.DefaultApiUrl, null, CredentialKind.UserToken, null, Start, null, null,
            new HashSet<string>(StringComparer.Ordinal));

    public static AccessStageData Access(string connectionId, string accountId, params string[] memberEmails) => new(
        Accounts: [new CloudflareAccount(accountId, $"Account {accountId}", EnforceTwoFactor: true, connectionId)],
        Roles: [new AccountRole("role-admin", accountId, "Administrator", "Full access", ["zones:write", "dns:write"])],
        Members: memberEmails.Select((email, i) => Member($"m-{accountId}-{i}", accountId, email)).ToList(),
        Gaps: [],
        Evidence: [new RawPayload($"GET /accounts/{accountId}/members?page=1&per_page=50", Start, $$"""{"success":true,"account":"{{accountId}}"}""")]);

    public static AccountMember Member(string id, string accountId, string email) => new(
        id, accountId, "user-" + id, email, "Ada", "Lovelace", MembershipStatus.Accepted, TwoFactorEnabled: true,
        Roles: [new MemberRole("role-admin", "Administrator")], Policies: []);

    public static InfraStageData Infra(string accountId, params string[] zoneNames) => new(
        Zones: zoneNames.Select((name, i) => new Zone($"z-{name}", name, accountId, "active", false, "Free Website", SecureZone())).ToList(),
        Gaps: [],
        Evidence: [new RawPayload("GET /zones?page=1", Start, """{"success":true,"result":[]}""")]);

    public static ZoneSecurity SecureZone() => new(
        Ssl: "strict",
        MinTlsVersion: "1.2",
        AlwaysUseHttps: "on",
        Hsts: new HstsPolicy(true, 31536000, true, false),
        SecurityLevel: "medium",
        LegacyWaf: "off",
        DnssecStatus: "active",
        Entrypoints: new Dictionary<string, PhaseEntrypoint?>
        {
            [RulesetPhases.ManagedWaf] = new PhaseEntrypoint(RulesetPhases.ManagedWaf, "rs-1",
                [new RulesetRule("rule-1", "execute", true, "efb7b8c949ac4650a09736fc376e9aee", false, "Cloudflare Managed Ruleset")]),
            [RulesetPhases.CustomFirewall] = null,
        });

    /// <summary>An access stage with every optional value both set and unset.</summary>
    public static AccessStageData EveryAccessShape(string connectionId) => new(
        Accounts:
        [
            new CloudflareAccount("acc-1", "Acme", true, connectionId, [new SsoConnector("sso-1", "acme.example", true, "verified"), new SsoConnector("sso-2", "labs.example", null, null)]),
            new CloudflareAccount("acc-2", "Acme Labs", null, connectionId),
        ],
        Roles:
        [
            new AccountRole("r-1", "acc-1", "Administrator", "Can do everything", ["zones:write", "members:write"]),
            new AccountRole("r-2", "acc-1", "Analytics", null, []),
        ],
        Members:
        [
            new AccountMember("m-1", "acc-1", "u-1", "Ada@Example.com", "Ada", "Lovelace", MembershipStatus.Accepted, true,
                [new MemberRole("r-1", "Administrator")], []),
            new AccountMember("m-2", "acc-1", null, "invitee@example.com", null, null, MembershipStatus.Pending, null, [], []),
            new AccountMember("m-3", "acc-2", "u-3", "policy@example.com", "Pol", null, MembershipStatus.Other, false, [],
                [
                    new MemberPolicy("p-1", "allow", ["Zone Read", "DNS Write"], ["com.cloudflare.api.account.acc-2"]),
                    new MemberPolicy("p-2", "deny", [], []),
                    new MemberPolicy("p-3", "allow", ["Administrator"], ["Ops zones"], "Platform Ops",
                        [new PolicyScope(PolicyScope.Zone, "z-1"), new PolicyScope(PolicyScope.Account, "acc-2")]),
                ], "rejected"),
            new AccountMember("m-4", "acc-2", "u-4", "", null, null, MembershipStatus.Accepted, true, [], []),
            new AccountMember("m-5", "acc-2", null, "late@example.com", null, null, MembershipStatus.Pending, null, [], [], "pending", Start.AddDays(-15)),
        ],
        Gaps: [new ReadGap("access", "role", "acc-2", "GET /accounts/acc-2/roles", "HTTP 403", "Account Settings Read")],
        Evidence:
        [
            new RawPayload("GET /accounts?page=1&per_page=50", Start, """{"result":[{"id":"acc-1"}]}"""),
            new RawPayload("GET /accounts/acc-1/members?page=1&per_page=50", Start.AddSeconds(1), """{"result":[{"id":"m-1"}]}"""),
        ],
        AccountTokens:
        [
            new AccountToken("tok-1", "acc-1", "deploy", "active", Start.AddDays(-30), Start.AddDays(-2), Start.AddDays(-30), Start.AddDays(60), Start.AddDays(-1),
                ["203.0.113.0/24", "2001:db8::/32"], ["203.0.113.7/32"], "ada@example.com",
                [new TokenPolicy("pol-1", "allow", ["DNS Write", "Zone Read"], ["com.cloudflare.api.account.zone.z-1"]), new TokenPolicy("pol-2", "deny", [], [])]),
            new AccountToken("tok-2", "acc-2", "", null, null, null, null, null, null, [], [], null, []),
        ]);

    /// <summary>An infrastructure stage with zones without security, with partly read security, and with a "no entrypoint" phase.</summary>
    public static InfraStageData EveryInfraShape() => new(
        Zones:
        [
            new Zone("z-1", "shop.example", "acc-1", "active", false, "Enterprise Website", SecureZone()),
            new Zone("z-2", "paused.example", "acc-1", "active", true, null, null),
            new Zone("z-3", "pending.example", "acc-1", "pending", false, "Free Website", null),
            new Zone("z-4", "partial.example", "acc-2", "active", false, "Pro Website",
                new ZoneSecurity(null, "1.0", null, null, null, null, null, new Dictionary<string, PhaseEntrypoint?>())),
            new Zone("z-5", "nohsts.example", "acc-2", "active", false, "Pro Website",
                new ZoneSecurity("full", "1.3", "off", new HstsPolicy(false, 0, false, false), "high", "on", "disabled",
                    new Dictionary<string, PhaseEntrypoint?> { [RulesetPhases.RateLimit] = null })),
            new Zone("z-6", "overrides.example", "acc-2", "active", false, "Business Website",
                SecureZone() with
                {
                    Ssl = "origin_pull",
                    SslPageRules = [new PageRuleSsl("pr-1", "*overrides.example/old/*", "flexible", "active"), new PageRuleSsl("pr-2", "*overrides.example/x/*", "off", "disabled")],
                    HostnameMinTls = [new HostnameSetting("legacy.overrides.example", "1.0", "active"), new HostnameSetting("api.overrides.example", "1.3", null)],
                    Features = new ZoneFeatures { Settings = new Dictionary<string, string> { ["tls_1_3"] = "on", ["development_mode"] = "off" } },
                },
                "partial", "business"),
        ],
        Gaps:
        [
            new ReadGap("infra", "dnssec", "z-4", "GET /zones/z-4/dnssec", "HTTP 403", "DNS Read"),
            new ReadGap("infra", "zone", null, "GET /zones", "stage-wide gap", null),
        ],
        Evidence: [new RawPayload("GET /zones/z-1/settings/ssl", Start.AddSeconds(2), """{"result":{"id":"ssl","value":"strict"}}""")],
        DnsRecords:
        [
            new DnsRecord("r-1", "z-1", "A", "shop.example", "203.0.113.10", true, 1, null, null, true),
            new DnsRecord("r-2", "z-1", "MX", "shop.example", "mx.mail.example", null, 3600, 10),
            new DnsRecord("r-3", "z-1", "CAA", "shop.example", "0 issue \"letsencrypt.org\"", null, 300, null, new CaaData(0, "issue", "letsencrypt.org"), false),
            new DnsRecord("r-4", "z-1", "CAA", "shop.example", "128 iodef \"\"", null, 300, null, new CaaData(null, "iodef", "")),
            new DnsRecord("r-5", "z-1", "TXT", "_dmarc.shop.example", "\"v=DMARC1; p=reject\"", false, 1),
        ]);
}
