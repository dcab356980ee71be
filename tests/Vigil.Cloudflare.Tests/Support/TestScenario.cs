using Vigil.Cloudflare.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Support;

/// <summary>Deterministic simulator scenarios of any size, with one token per credential problem.</summary>
internal static class TestScenario
{
    public const string ReadAll = "cfut_test_read_all_0000000000000000000000";
    public const string AccountToken = "cfat_test_account_00000000000000000000000";
    public const string NoZoneRead = "cfut_test_no_zone_read_000000000000000000";
    public const string NoDnsRead = "cfut_test_no_dns_read_0000000000000000000";
    public const string NoAccountSettings = "cfut_test_no_account_settings_00000000000";
    public const string Expired = "cfut_test_expired_000000000000000000000000";
    public const string Disabled = "cfut_test_disabled_00000000000000000000000";
    public const string NotYetValid = "cfut_test_not_yet_valid_00000000000000000";
    public const string IpRestricted = "cfut_test_ip_restricted_00000000000000000";
    public const string NoAccounts = "cfut_test_no_accounts_0000000000000000000";
    public const string Revocable = "cfut_test_revocable_0000000000000000000000";
    public const string NoSsoRead = "cfut_test_no_sso_read_000000000000000000";
    public const string NoAccountWafRead = "cfut_test_no_account_waf_read_0000000000";
    public const string NoAccountTokensRead = "cfut_test_no_account_tokens_read_000000";
    public const string NoUserDetailsRead = "cfut_test_no_user_details_read_000000000";
    public const string GlobalKeyEmail = "owner@example.test";
    public const string GlobalKey = "cfk_test_global_key_0000000000000000000000";

    public static string Id(char tag, int a, int i) => $"{tag}{a:x7}{i:x24}";

    /// <summary>Accounts with the given numbers of roles, members and zones. Zone 0 of each account is pending and zone 1 is
    /// paused (when there are at least 3); the rest are active. Every third active zone has a managed WAF entrypoint.</summary>
    /// <summary>SyncCallPlan.Infra for a scenario read by one connection that sees all of it.</summary>
    /// <param name="readsDnsRecords">A DNS check is selected (the default catalogue): each monitored full zone's DNS record pages count, and with cloudflare.dns-caa its certificate pack pages.</param>
    public static int InfraCalls(Scenario scenario, bool batchSettingsAvailable = true, bool discoversBatchEnded = false, bool readsDnsRecords = true,
        int featureSettings = SyncCallPlan.FeatureSettingCalls, int featureReads = SyncCallPlan.FeatureReadCalls)
    {
        var reads = ScenarioRulesetReads.Of(scenario);
        var monitored = scenario.Accounts.SelectMany(a => a.Zones).Where(z => z.Status == "active" && !z.Paused).ToList();
        return SyncCallPlan.Infra(scenario.Accounts.Sum(a => a.Zones.Count), monitored.Count,
            batchSettingsAvailable, discoversBatchEnded, reads.ZoneEntrypoints, reads.Accounts, reads.AccountEntrypoints, reads.ManagedRulesetsWeighed,
            paidPlanZones: monitored.Count(z => Core.Inventory.Zone.PlanMayOverrideTlsPerHostname(z.Plan.LegacyId)),
            dnsElsewhereZones: monitored.Count(z => Core.Inventory.Zone.ServesDnsElsewhere(z.Type)),
            dnsRecordPages: readsDnsRecords ? monitored.Where(z => !Core.Inventory.Zone.ServesDnsElsewhere(z.Type)).Sum(z => SyncCallPlan.DnsRecordPages(z.DnsRecords.Count)) : 0,
            featureSettings: featureSettings, featureReads: featureReads,
            botManagementZones: reads.BotManagementZones, logpushZones: reads.LogpushZones, logpushAccounts: reads.LogpushAccounts,
            certificatePackPages: readsDnsRecords ? reads.CertificatePackPages : 0);

    }

    public static Scenario Build(params (int Roles, int Members, int Zones)[] accounts)
    {
        var scenario = new Scenario { Name = "test" };
        for (var a = 0; a < accounts.Length; a++)
        {
            var (roles, members, zones) = accounts[a];
            var account = new ScenarioAccount { Id = Id('a', a, 0), Name = $"Account {a}", Settings = new AccountSettings { EnforceTwofactor = a % 2 == 0 } };
            for (var r = 0; r < roles; r++)
            {
                account.Roles.Add(new ScenarioRole { Id = Id('d', a, r), Name = $"Role {r}", Permissions = ["#zones:read", r % 2 == 0 ? "#dns_records:edit" : "#analytics:read"] });
            }
            for (var m = 0; m < members; m++)
            {
                var member = new ScenarioMember
                {
                    Id = Id('c', a, m),
                    Status = m % 7 == 3 ? "pending" : "accepted",
                    Email = m % 2 == 0 ? $"user{m}@a{a}.example" : null,
                    User = new MemberUser
                    {
                        Id = Id('e', a, m),
                        Email = $"user{m}@a{a}.example",
                        FirstName = m % 7 == 3 ? null : "User",
                        LastName = m % 7 == 3 ? null : $"{m}",
                        TwoFactorAuthenticationEnabled = (m % 3) switch { 0 => true, 1 => false, _ => null },
                    },
                };
                if (m % 5 == 4 || roles == 0)
                {
                    member.Policies.Add(new MemberPolicy
                    {
                        Id = Id('f', a, m),
                        PermissionGroups = [new PolicyPermissionGroup { Id = Id('f', a, 1000 + m), Name = "Administrator Read Only" }],
                        ResourceGroups = [new PolicyResourceGroup { Id = Id('f', a, 2000 + m), ScopeKey = $"com.cloudflare.api.account.{account.Id}" }],
                    });
                }
                else
                {
                    member.Roles.Add(Id('d', a, m % roles));
                }
                account.Members.Add(member);
            }
            for (var z = 0; z < zones; z++)
            {
                var zone = new ScenarioZone
                {
                    Id = Id('b', a, z),
                    Name = $"zone{z}.a{a}.example",
                    Status = z == 0 && zones >= 3 ? "pending" : "active",
                    Paused = z == 1 && zones >= 3,
                    DnssecStatus = z % 2 == 0 ? "active" : "disabled",
                    Settings = new ZoneSettings
                    {
                        Ssl = "strict",
                        MinTlsVersion = z % 4 == 0 ? "1.0" : "1.2",
                        AlwaysUseHttps = "on",
                        Waf = "off",
                        Hsts = new StrictTransportSecurity { Enabled = true, MaxAge = 31536000, IncludeSubdomains = true },
                    },
                };
                if (z % 3 == 2)
                {
                    zone.Rulesets.Add(new ScenarioRuleset
                    {
                        Id = Id('e', a, 5000 + z),
                        Name = "zone managed entrypoint",
                        Kind = "zone",
                        Phase = "http_request_firewall_managed",
                        Rules = [new ScenarioRule { Id = Id('e', a, 6000 + z), Action = "execute", ExecuteRulesetId = "efb7b8c949ac4650a09736fc376e9aee", OverridesEnabled = z % 2 == 0 ? null : false }],
                    });
                }
                account.Zones.Add(zone);
            }
            scenario.Accounts.Add(account);
        }

        var allRead = PermissionGroups.AllRead.Select(g => new TokenPermission { Group = g }).ToList();
        List<TokenPermission> AllBut(string group) => [.. allRead.Where(p => p.Group != group)];
        scenario.Users.Add(new ScenarioUser { Id = Id('9', 0, 1), Email = GlobalKeyEmail, FirstName = "Owner", GlobalApiKey = GlobalKey });
        var n = 0;
        ScenarioToken Token(string value, List<TokenPermission> permissions) =>
            new() { Id = Id('8', 0, ++n), Value = value, Permissions = permissions, UserEmail = GlobalKeyEmail };
        scenario.Tokens.Add(Token(ReadAll, allRead));
        scenario.Tokens.Add(Token(Revocable, allRead));
        var accountToken = Token(AccountToken, allRead);
        accountToken.Kind = TokenKind.Account;
        accountToken.AccountId = scenario.Accounts[0].Id;
        accountToken.UserEmail = null;
        scenario.Tokens.Add(accountToken);
        scenario.Tokens.Add(Token(NoZoneRead, AllBut(PermissionGroups.ZoneRead)));
        scenario.Tokens.Add(Token(NoDnsRead, AllBut(PermissionGroups.DnsRead)));
        scenario.Tokens.Add(Token(NoAccountSettings, AllBut(PermissionGroups.AccountSettingsRead)));
        scenario.Tokens.Add(Token(NoAccounts, [.. PermissionGroups.AllRead.Select(g => new TokenPermission { Group = g, AccountIds = [Id('a', 999, 0)] })]));
        var expired = Token(Expired, allRead);
        expired.Status = "expired";
        scenario.Tokens.Add(expired);
        var disabled = Token(Disabled, allRead);
        disabled.Status = "disabled";
        scenario.Tokens.Add(disabled);
        var notYet = Token(NotYetValid, allRead);
        notYet.NotBefore = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        scenario.Tokens.Add(notYet);
        var restricted = Token(IpRestricted, allRead);
        restricted.IpAllowList = ["203.0.113.10"];
        scenario.Tokens.Add(restricted);
        scenario.Tokens.Add(Token(NoSsoRead, AllBut(PermissionGroups.SsoConnectorRead)));
        scenario.Tokens.Add(Token(NoAccountWafRead, AllBut(PermissionGroups.AccountWafRead)));
        scenario.Tokens.Add(Token(NoAccountTokensRead, AllBut(PermissionGroups.AccountApiTokensRead)));
        scenario.Tokens.Add(Token(NoUserDetailsRead, AllBut(PermissionGroups.UserDetailsRead)));
        return scenario;
    }

    /// <summary>A simulator that never rate-limits by address (the budget under test paces by credential).</summary>
    public static Task<CloudflareSimulator> StartAsync(Scenario scenario, int rateLimit = 1200, TimeSpan? window = null) =>
        CloudflareSimulator.StartAsync(scenario, new SimulatorOptions
        {
            RateLimitRequests = rateLimit,
            RateLimitWindow = window ?? TimeSpan.FromMinutes(5),
            PerIpRequestsPerSecond = 0,
        });
}
