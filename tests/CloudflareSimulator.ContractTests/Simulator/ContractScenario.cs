using System.Text.Json.Nodes;
namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// A small organisation holding every shape the simulator can answer with, so each optional or nullable field of the
/// responses is exercised against the document: pending invites without names or 2FA flag, a member with policies and
/// no roles, a pending zone never activated, deployed and disabled managed rulesets, legacy firewall rules.
/// Ids are fixed so the case table reads as plain paths. Token values are simulator-only test strings.
/// </summary>
internal static class ContractScenario
{
    public const string AccountId = "c0a1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string SecondAccountId = "c1a1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string AcceptedMemberId = "d0a1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string PendingMemberId = "d1a1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string PolicyMemberId = "d2a1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string ActiveZoneId = "e0a1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string PendingZoneId = "e1a1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string SecondAccountZoneId = "e2a1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string CertificatePackId = "3822ff90-ea29-44df-9e55-21300bb9419b";
    public const string PendingCertificatePackId = "3822ff90-ea29-44df-9e55-21300bb941a1";
    public const string UnknownId = "0000000000000000000000000000dead";
    public const string UserGroupId = "b4b1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string UnnamedPermissionGroupId = "b5b1b2c3d4e5f60718293a4b5c6d7e8f";
    public const string ActiveZoneName = "shop.contract-example.com";

    public const string OwnerEmail = "ada.lovelace@contract-example.com";
    public const string OwnerGlobalKey = "cfk_contract0global0key0000000000000000000000000";
    public const string ReadAllToken = "cfut_contract0read0all000000000000000000000000";
    public const string AccountToken = "cfat_contract0account0token0000000000000000000";
    public const string NoAccountSettingsToken = "cfut_contract0no0account0settings00000000000000";
    public const string NoZoneReadToken = "cfut_contract0no0zone0read0000000000000000000";
    public const string ExpiredToken = "cfut_contract0expired00000000000000000000000000";
    public const string NoAccountTokensReadToken = "cfut_contract0no0account0tokens0read000000000";
    public const string NoDnsReadToken = "cfut_contract0no0dns0read00000000000000000000";
    public const string NoSslReadToken = "cfut_contract0no0ssl0read00000000000000000000000";

    private const string CloudflareManagedRuleset = "efb7b8c949ac4650a09736fc376e9aee";
    private const string OwaspRuleset = "4814384a9e5d4991b9815dcfc25d2f1f";

    public static Scenario Create()
    {
        var scenario = new Scenario { Name = "contract" };
        scenario.Users.Add(new ScenarioUser
        {
            Id = "f0a1b2c3d4e5f60718293a4b5c6d7e8f",
            Email = OwnerEmail,
            FirstName = "Ada",
            LastName = "Lovelace",
            GlobalApiKey = OwnerGlobalKey,
        });

        scenario.Accounts.Add(new ScenarioAccount
        {
            Id = AccountId,
            Name = "Contract Example Ltd",
            Type = "enterprise",
            Settings = new AccountSettings { EnforceTwofactor = true, AbuseContactEmail = "abuse@contract-example.com" },
            // Enterprise account-level WAF: a managed entrypoint deploying for some zones after a scoped skip, and custom rules
            // that skip the managed phase and the waf product (developers.cloudflare.com/waf/account/managed-rulesets/deploy-api).
            Rulesets =
            [
                new ScenarioRuleset
                {
                    Id = "70a1b2c3d4e5f60718293a4b5c6d7e8f",
                    Name = "account managed entrypoint",
                    Kind = "root",
                    Phase = "http_request_firewall_managed",
                    Rules =
                    [
                        new ScenarioRule { Id = "71a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "skip", Expression = "(ip.src in {192.0.2.0/24})", ActionParameters = new JsonObject { ["ruleset"] = "current" } },
                        new ScenarioRule
                        {
                            Id = "72a1b2c3d4e5f60718293a4b5c6d7e8f",
                            Action = "execute",
                            Expression = $"(cf.zone.name in {{\"{ActiveZoneName}\"}})",
                            ExecuteRulesetId = CloudflareManagedRuleset,
                            ActionParameters = new JsonObject
                            {
                                ["overrides"] = new JsonObject
                                {
                                    ["action"] = "log",
                                    ["categories"] = new JsonArray(new JsonObject { ["category"] = "wordpress", ["enabled"] = false }),
                                    ["rules"] = new JsonArray(new JsonObject { ["id"] = "efb7b8c949ac4650a09736fc00000000", ["action"] = "log" }),
                                },
                            },
                        },
                    ],
                },
                new ScenarioRuleset
                {
                    Id = "73a1b2c3d4e5f60718293a4b5c6d7e8f",
                    Name = "account custom entrypoint",
                    Kind = "root",
                    Phase = "http_request_firewall_custom",
                    Rules =
                    [
                        new ScenarioRule
                        {
                            Id = "74a1b2c3d4e5f60718293a4b5c6d7e8f",
                            Action = "skip",
                            Expression = "(http.request.uri.path eq \"/health\")",
                            ActionParameters = new JsonObject { ["phases"] = new JsonArray("http_request_firewall_managed"), ["products"] = new JsonArray("waf") },
                        },
                    ],
                },
            ],
            Roles =
            [
                new ScenarioRole { Id = "a0a1b2c3d4e5f60718293a4b5c6d7e8f", Name = "Administrator", Description = "Can access the full account", Permissions = ["#organization:read", "#organization:edit", "#zones:read", "#zones:edit"] },
                new ScenarioRole { Id = "a1a1b2c3d4e5f60718293a4b5c6d7e8f", Name = "Administrator Read Only", Description = "Can access the full account in read-only mode", Permissions = ["#organization:read", "#zones:read"] },
            ],
            Members =
            [
                new ScenarioMember
                {
                    Id = AcceptedMemberId,
                    Email = OwnerEmail,
                    User = new MemberUser { Id = "f0a1b2c3d4e5f60718293a4b5c6d7e8f", Email = OwnerEmail, FirstName = "Ada", LastName = "Lovelace", TwoFactorAuthenticationEnabled = true },
                    Roles = ["a0a1b2c3d4e5f60718293a4b5c6d7e8f"],
                },
                new ScenarioMember
                {
                    Id = PendingMemberId,
                    Status = "pending",
                    User = new MemberUser { Email = "invitee@partner-example.net" },
                    Roles = ["a1a1b2c3d4e5f60718293a4b5c6d7e8f"],
                },
                new ScenarioMember
                {
                    Id = PolicyMemberId,
                    Email = "grace.hopper@contract-example.com",
                    User = new MemberUser { Id = "f1a1b2c3d4e5f60718293a4b5c6d7e8f", Email = "grace.hopper@contract-example.com", FirstName = "Grace", LastName = null, TwoFactorAuthenticationEnabled = false },
                    Policies =
                    [
                        new MemberPolicy
                        {
                            Id = "b0a1b2c3d4e5f60718293a4b5c6d7e8f",
                            PermissionGroups = [new PolicyPermissionGroup { Id = "b1a1b2c3d4e5f60718293a4b5c6d7e8f", Name = "Zone Read" }],
                            ResourceGroups =
                            [
                                new PolicyResourceGroup
                                {
                                    Id = "b2a1b2c3d4e5f60718293a4b5c6d7e8f",
                                    Name = "shop zone",
                                    ScopeKey = $"com.cloudflare.api.account.{AccountId}",
                                    ScopeObjects = [$"com.cloudflare.api.account.zone.{ActiveZoneId}"],
                                },
                            ],
                        },
                    ],
                },
            ],
            Zones =
            [
                new ScenarioZone
                {
                    Id = ActiveZoneId,
                    Name = ActiveZoneName,
                    Plan = new ZonePlan { Id = "94f3b7b768b0458b56d2cac4fe5ec0f9", Name = "Enterprise Website", LegacyId = "enterprise" },
                    BotManagement = new ScenarioBotManagement { BotManagementSubscription = true },
                    // Seven packs, six active (two pages of five): every CA the SDK names, DigiCert as older answers carry, a custom upload without a CA.
                    CertificatePacks =
                    [
                        new ScenarioCertificatePack { Id = CertificatePackId, Type = "universal", CertificateAuthority = "google" },
                        new ScenarioCertificatePack { Id = "3822ff90-ea29-44df-9e55-21300bb9419c", Type = "advanced", CertificateAuthority = "lets_encrypt", Hosts = [ActiveZoneName, $"www.{ActiveZoneName}"] },
                        new ScenarioCertificatePack { Id = "3822ff90-ea29-44df-9e55-21300bb9419d", Type = "total_tls", CertificateAuthority = "ssl_com", Hosts = [$"api.{ActiveZoneName}"] },
                        new ScenarioCertificatePack { Id = "3822ff90-ea29-44df-9e55-21300bb9419e", Type = "advanced", CertificateAuthority = "digicert" },
                        new ScenarioCertificatePack { Id = "3822ff90-ea29-44df-9e55-21300bb9419f", Type = "sni_custom" },
                        new ScenarioCertificatePack { Id = "3822ff90-ea29-44df-9e55-21300bb941a0", Type = "advanced", CertificateAuthority = "google", Hosts = [$"shop.{ActiveZoneName}"] },
                        new ScenarioCertificatePack { Id = PendingCertificatePackId, Type = "advanced", Status = "pending_validation", CertificateAuthority = "lets_encrypt" },
                    ],
                    LogpushJobs =
                    [
                        new ScenarioLogpushJob { Id = 1001, Name = "requests", Dataset = "http_requests" },
                        new ScenarioLogpushJob { Id = 1002, Dataset = "firewall_events", Enabled = false, LastComplete = null,
                            LastError = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), ErrorMessage = "destination refused the upload" },
                    ],
                    Settings = new ZoneSettings
                    {
                        Ssl = "strict",
                        MinTlsVersion = "1.2",
                        AlwaysUseHttps = "on",
                        Tls13 = "zrt",
                        SecurityLevel = "high",
                        Waf = "on",
                        Hsts = new StrictTransportSecurity { Enabled = true, MaxAge = 31536000.0m, IncludeSubdomains = true, Preload = true, Nosniff = true },
                    },
                    DnssecStatus = "active",
                    PageRules =
                    [
                        new ScenarioPageRule { Id = "a0a1b2c3d4e5f60718293a4b5c6d7e8f", Target = $"*{ActiveZoneName}/legacy/*", Ssl = "flexible", AlwaysUseHttps = true, Priority = 2 },
                        new ScenarioPageRule { Id = "a1a1b2c3d4e5f60718293a4b5c6d7e8f", Target = $"*{ActiveZoneName}/old/*", Ssl = "off", Status = "disabled" },
                    ],
                    HostnameMinTls = [new ScenarioHostnameSetting { Hostname = $"legacy.{ActiveZoneName}", Value = "1.0" }],
                    DnsRecords =
                    [
                        new ScenarioDnsRecord { Id = "c0a1b2c3d4e5f60718293a4b5c6d7e8f", Type = "A", Name = "@", Content = "203.0.113.10", Proxied = true },
                        new ScenarioDnsRecord { Id = "c1a1b2c3d4e5f60718293a4b5c6d7e8f", Type = "AAAA", Name = "www", Content = "2001:db8::10", Proxied = true },
                        new ScenarioDnsRecord { Id = "c2a1b2c3d4e5f60718293a4b5c6d7e8f", Type = "CNAME", Name = "docs", Content = "contract.github.io" },
                        new ScenarioDnsRecord { Id = "c3a1b2c3d4e5f60718293a4b5c6d7e8f", Type = "MX", Name = "@", Content = "mx.contract-mail.example", Priority = 10, Ttl = 3600 },
                        new ScenarioDnsRecord { Id = "c4a1b2c3d4e5f60718293a4b5c6d7e8f", Type = "TXT", Name = "@", Content = "\"v=spf1 mx -all\"" },
                        new ScenarioDnsRecord { Id = "c5a1b2c3d4e5f60718293a4b5c6d7e8f", Type = "CAA", Name = "@", Content = "0 issue \"letsencrypt.org\"" },
                        new ScenarioDnsRecord { Id = "c6a1b2c3d4e5f60718293a4b5c6d7e8f", Type = "A", Name = "intranet", Content = "10.0.0.5" },
                    ],
                    Rulesets =
                    [
                        new ScenarioRuleset
                        {
                            Id = "90a1b2c3d4e5f60718293a4b5c6d7e8f",
                            Name = "zone managed entrypoint",
                            Phase = "http_request_firewall_managed",
                            Rules =
                            [
                                new ScenarioRule { Id = "9fa1b2c3d4e5f60718293a4b5c6d7e8f", Action = "skip", Expression = "(http.host eq \"static.contract-example.com\")", Description = "Skip managed rules for static", ActionParameters = new JsonObject { ["ruleset"] = "current" } },
                                new ScenarioRule { Id = "91a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "execute", ExecuteRulesetId = CloudflareManagedRuleset, Description = "Cloudflare Managed Ruleset" },
                                new ScenarioRule { Id = "92a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "execute", ExecuteRulesetId = OwaspRuleset, OverridesEnabled = false, Enabled = false, Description = "OWASP Core Ruleset" },
                            ],
                        },
                        new ScenarioRuleset
                        {
                            Id = "93a1b2c3d4e5f60718293a4b5c6d7e8f",
                            Name = "zone custom rules",
                            Phase = "http_request_firewall_custom",
                            Rules =
                            [
                                new ScenarioRule { Id = "94a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "block", Expression = "(ip.geoip.country eq \"T1\")", Description = "Block Tor" },
                                new ScenarioRule { Id = "95a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "managed_challenge", Expression = "(http.request.uri.path contains \"/login\")" },
                            ],
                        },
                        new ScenarioRuleset
                        {
                            Id = "a2a1b2c3d4e5f60718293a4b5c6d7e8f",
                            Name = "zone configuration rules",
                            Phase = "http_config_settings",
                            Rules =
                            [
                                new ScenarioRule { Id = "a3a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "set_config", Expression = "(http.request.uri.path wildcard \"/legacy/*\")", SetConfigSsl = "flexible" },
                                new ScenarioRule { Id = "a4a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "set_config", Expression = "(http.host eq \"api.contract-example.com\")", SetConfigSsl = "origin_pull" },
                            ],
                        },
                        new ScenarioRuleset
                        {
                            Id = CloudflareManagedRuleset,
                            Name = "Cloudflare Managed Ruleset",
                            Kind = "managed",
                            Phase = "http_request_firewall_managed",
                            Version = "79",
                        },
                    ],
                    FirewallRules =
                    [
                        new LegacyFirewallRule { Id = "96a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "block", Description = "legacy block", FilterId = "97a1b2c3d4e5f60718293a4b5c6d7e8f", Expression = "ip.src eq 198.51.100.7" },
                        new LegacyFirewallRule { Id = "98a1b2c3d4e5f60718293a4b5c6d7e8f", Action = "challenge", Paused = true, FilterId = "99a1b2c3d4e5f60718293a4b5c6d7e8f", Expression = "http.request.uri.path eq \"/admin\"" },
                    ],
                },
                new ScenarioZone
                {
                    Id = PendingZoneId,
                    Name = "blog.contract-example.org",
                    Status = "pending",
                    ActivatedOn = null,
                    DnssecStatus = "pending-disabled",
                },
            ],
        });

        // IAM user groups, permission groups and SSO connectors: shapes from Cloudflare's SDK types (not in the document).
        var first = scenario.Accounts[0];
        first.PermissionGroups.Add(new PolicyPermissionGroup { Id = UnnamedPermissionGroupId, Name = "Administrator" });
        first.UserGroups.Add(new ScenarioUserGroup
        {
            Id = UserGroupId,
            Name = "Platform Ops",
            MemberIds = [AcceptedMemberId, PendingMemberId],
            Policies =
            [
                new MemberPolicy
                {
                    Id = "b0b1b2c3d4e5f60718293a4b5c6d7e8f",
                    PermissionGroups = [new PolicyPermissionGroup { Id = UnnamedPermissionGroupId }],
                    ResourceGroups = [new PolicyResourceGroup { Id = "b1b1b2c3d4e5f60718293a4b5c6d7e8f", ScopeKey = $"com.cloudflare.api.account.{AccountId}", ScopeObjects = [$"com.cloudflare.api.account.zone.{ActiveZoneId}"] }],
                },
            ],
        });
        first.SsoConnectors.Add(new ScenarioSsoConnector { Id = "b2b1b2c3d4e5f60718293a4b5c6d7e8f", EmailDomain = "contract-example.com" });
        first.SsoConnectors.Add(new ScenarioSsoConnector { Id = "b3b1b2c3d4e5f60718293a4b5c6d7e8f", EmailDomain = "contract-example.org", Enabled = false, VerificationStatus = "pending" });
        // Account-owned API tokens: one bounded (expiry, IP allow-list, creator recorded), one open (no expiry, a deny-list only, no creator).
        first.AccountTokens.Add(new ScenarioAccountToken
        {
            Id = "b6b1b2c3d4e5f60718293a4b5c6d7e8f",
            Name = "deploy",
            ExpiresOn = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero),
            NotBefore = new DateTimeOffset(2025, 1, 6, 9, 0, 0, TimeSpan.Zero),
            LastUsedOn = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero),
            IpIn = ["203.0.113.0/24", "2001:db8::/32"],
            CreatorEmail = OwnerEmail,
            Policies = [new ScenarioTokenPolicy
            {
                Id = "b7b1b2c3d4e5f60718293a4b5c6d7e8f",
                PermissionGroups = [new PolicyPermissionGroup { Id = "c8fed203ed3043cba015a93ad1616f1f", Name = "Zone Read" }],
                Resources = new() { [$"com.cloudflare.api.account.{AccountId}"] = "*" },
            }],
        });
        first.AccountTokens.Add(new ScenarioAccountToken { Id = "b8b1b2c3d4e5f60718293a4b5c6d7e8f", Name = "legacy", Status = "disabled", IpNotIn = ["198.51.100.0/24"] });

        scenario.Accounts.Add(new ScenarioAccount
        {
            Id = SecondAccountId,
            Name = "Contract Example Labs",
            Zones = [new ScenarioZone { Id = SecondAccountZoneId, Name = "labs.contract-example.io", Paused = true }],
        });

        scenario.Tokens.Add(UserToken("10a1b2c3d4e5f60718293a4b5c6d7e8f", ReadAllToken, PermissionGroups.AllRead));
        scenario.Tokens.Add(UserToken("11a1b2c3d4e5f60718293a4b5c6d7e8f", NoAccountSettingsToken, PermissionGroups.AllRead.Where(g => g != PermissionGroups.AccountSettingsRead)));
        scenario.Tokens.Add(UserToken("12a1b2c3d4e5f60718293a4b5c6d7e8f", NoZoneReadToken, PermissionGroups.AllRead.Where(g => g != PermissionGroups.ZoneRead)));
        scenario.Tokens.Add(UserToken("15a1b2c3d4e5f60718293a4b5c6d7e8f", NoAccountTokensReadToken, PermissionGroups.AllRead.Where(g => g != PermissionGroups.AccountApiTokensRead)));
        scenario.Tokens.Add(UserToken("16a1b2c3d4e5f60718293a4b5c6d7e8f", NoDnsReadToken, PermissionGroups.AllRead.Where(g => g != PermissionGroups.DnsRead)));
        var expired = UserToken("13a1b2c3d4e5f60718293a4b5c6d7e8f", ExpiredToken, PermissionGroups.AllRead);
        expired.Status = "expired";
        expired.ExpiresOn = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        scenario.Tokens.Add(expired);
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "14a1b2c3d4e5f60718293a4b5c6d7e8f",
            Value = AccountToken,
            Kind = TokenKind.Account,
            AccountId = AccountId,
            Permissions = [.. PermissionGroups.AllRead.Where(g => g != PermissionGroups.UserDetailsRead).Select(g => new TokenPermission { Group = g })],
        });
        scenario.Tokens.Add(UserToken("17a1b2c3d4e5f60718293a4b5c6d7e8f", NoSslReadToken, PermissionGroups.AllRead.Where(g => g != PermissionGroups.SslAndCertificatesRead)));
        return scenario;
    }

    private static ScenarioToken UserToken(string id, string value, IEnumerable<string> groups) => new()
    {
        Id = id,
        Value = value,
        UserEmail = OwnerEmail,
        Permissions = [.. groups.Select(g => new TokenPermission { Group = g })],
    };
}
