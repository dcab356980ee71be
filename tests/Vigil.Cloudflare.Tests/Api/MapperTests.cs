using System.Text.Json;
using Vigil.Cloudflare.Api;
using Vigil.Core.Inventory;

namespace Vigil.Cloudflare.Tests.Api;

public sealed class MapperTests
{
    private static T Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<Envelope<T>> type) =>
        JsonSerializer.Deserialize(json, type)!.Result!;

    [Theory]
    [InlineData("""["#zones:read", "#dns_records:edit"]""", "dns_records:edit,zones:read")]
    [InlineData("""{"zones": {"read": true, "write": false}, "dns": {"read": true, "write": true}}""", "dns:read,dns:write,zones:read")]
    [InlineData("""{"zones": {"read": true, "edit": true}, "billing": {"read": false, "edit": false}}""", "zones:read,zones:write")]
    [InlineData("null", "")]
    public void Role_permissions_in_every_shape_become_area_grants(string permissions, string expected)
    {
        var json = $$"""{"success":true,"errors":[],"result":[{"id":"r1","name":"Admin","permissions":{{permissions}}}]}""";
        var role = RoleMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListRoleDto)[0], "acc");

        Assert.Equal(expected, string.Join(",", role.Permissions));
        Assert.Equal("acc", role.AccountId);
    }

    [Fact]
    public void Member_with_policies_and_no_roles_and_no_2fa_flag_maps_with_unknown_2fa()
    {
        const string json = """
            {"success":true,"errors":[],"messages":[],"result":[{"id":"m1","status":"accepted","some_new_field":{"x":1},
             "user":{"id":"u1","email":"Ana@Example.com","first_name":null,"last_name":null},
             "policies":[{"id":"p1","access":"allow","permission_groups":[{"id":"g1","name":"Administrator Read Only"},{"id":"g2"}],
                          "resource_groups":[{"id":"rg1","scope":{"key":"com.cloudflare.api.account.acc","objects":[{"key":"*"}]}},
                                             {"id":"rg2","scope":[{"key":"com.cloudflare.api.account.other","objects":[]}]}]}]}]}
            """;
        var member = MemberMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListMemberDto)[0], "acc");

        Assert.Null(member.TwoFactorEnabled);
        Assert.Empty(member.Roles);
        Assert.Equal("Ana@Example.com", member.Email);
        Assert.Null(member.DisplayName);
        var policy = Assert.Single(member.Policies);
        Assert.Equal(["Administrator Read Only", "unnamed permission group g2"], policy.PermissionGroups);
        Assert.Equal(["com.cloudflare.api.account.acc", "com.cloudflare.api.account.other"], policy.ResourceGroups);
        Assert.Contains("Administrator Read Only", member.GrantNames);
    }

    [Fact]
    public void Member_top_level_email_wins_and_pending_status_and_roles_map()
    {
        const string json = """
            {"success":true,"errors":[],"result":[{"id":"m2","email":"top@example.com","status":"pending",
             "user":{"email":"nested@example.com","two_factor_authentication_enabled":false},
             "roles":[{"id":"r1","name":"Administrator","permissions":["#organization:read"]}]}]}
            """;
        var member = MemberMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListMemberDto)[0], "acc");

        Assert.Equal("top@example.com", member.Email);
        Assert.Equal(MembershipStatus.Pending, member.Status);
        Assert.False(member.TwoFactorEnabled);
        Assert.Equal(new MemberRole("r1", "Administrator"), Assert.Single(member.Roles));
    }

    [Fact]
    public void Zone_with_null_owner_and_paused_flag_maps()
    {
        const string json = """
            {"success":true,"errors":[],"result":[{"id":"z1","name":"shop.example","status":"active","paused":true,
             "owner":{"id":null,"name":null,"type":"organization"},"account":{"id":"acc","name":"Acme"},"plan":{"name":"Pro Plan"}}]}
            """;
        var dto = Parse(json, CloudflareJsonContext.Default.EnvelopeListZoneDto)[0];
        var zone = ZoneMapper.Map(dto, null, null);

        Assert.True(zone.Paused);
        Assert.False(zone.IsMonitored);
        Assert.False(ZoneMapper.IsMonitored(dto));
        Assert.Equal("acc", zone.AccountId);
        Assert.Equal("Pro Plan", zone.PlanName);
    }

    [Fact]
    public void Batch_settings_map_the_values_checks_read()
    {
        const string json = """
            {"success":true,"errors":[],"result":[
             {"id":"ssl","value":"strict","editable":true,"modified_on":null},
             {"id":"min_tls_version","value":"1.2"},
             {"id":"always_use_https","value":"on"},
             {"id":"security_level","value":"high"},
             {"id":"waf","value":"off"},
             {"id":"brotli","value":"on"},
             {"id":"security_header","value":{"strict_transport_security":{"enabled":true,"max_age":31536000,"include_subdomains":true,"preload":false,"nosniff":true}}}]}
            """;
        var values = ZoneSettingsMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListZoneSettingDto));

        Assert.Equal(new ZoneSettingValues("strict", "1.2", "on", new HstsPolicy(true, 31536000, true, false), "high", "off"), values);
    }

    [Fact]
    public void Entrypoint_rules_keep_execute_target_and_disabling_override()
    {
        const string json = """
            {"success":true,"errors":[],"result":{"id":"rs1","phase":"http_request_firewall_managed","rules":[
             {"id":"a","action":"execute","action_parameters":{"id":"efb7b8c949ac4650a09736fc376e9aee","overrides":{"enabled":false}}},
             {"id":"b","action":"block","enabled":false,"description":"old"}]}}
            """;
        var entrypoint = RulesetMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeRulesetDto), RulesetPhases.ManagedWaf);

        Assert.Equal("rs1", entrypoint.RulesetId);
        var execute = entrypoint.Rules[0];
        Assert.Equal(("a", "execute", true, "efb7b8c949ac4650a09736fc376e9aee", true), (execute.Id, execute.Action, execute.Enabled, execute.ExecutesRulesetId, execute.OverridesDisableRuleset));
        Assert.False(execute.Overrides!.Enabled);
        Assert.Empty(execute.Overrides.Categories);
        Assert.Equal(new RulesetRule("b", "block", false, null, false, "old"), entrypoint.Rules[1]);
    }

    [Fact]
    public void Skip_log_mode_category_and_set_config_parameters_are_kept()
    {
        const string json = """
            {"success":true,"errors":[],"result":{"id":"rs2","phase":"http_request_firewall_managed","rules":[
             {"id":"s","action":"skip","expression":"ip.src in {192.0.2.0/24}","action_parameters":{"ruleset":"current"}},
             {"id":"p","action":"skip","expression":"true","action_parameters":{"phases":["http_request_firewall_managed"],"products":["waf"],"rules":{"efb7b8c949ac4650a09736fc376e9aee":["r1"]}}},
             {"id":"e","action":"execute","expression":"true","action_parameters":{"id":"efb7b8c949ac4650a09736fc376e9aee",
               "overrides":{"action":"log","categories":[{"category":"wordpress","enabled":false}],"rules":[{"id":"r9","action":"log"}]}}},
             {"id":"c","action":"set_config","expression":"http.host eq \"a.example\"","action_parameters":{"ssl":"flexible"}}]}}
            """;
        var rules = RulesetMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeRulesetDto), RulesetPhases.ManagedWaf).Rules;

        Assert.True(rules[0].Skip!.CurrentRuleset);
        Assert.Equal("ip.src in {192.0.2.0/24}", rules[0].Expression);
        Assert.Equal(["http_request_firewall_managed"], rules[1].Skip!.Phases);
        Assert.Equal(["waf"], rules[1].Skip!.Products);
        Assert.Equal(["r1"], rules[1].Skip!.Rules["efb7b8c949ac4650a09736fc376e9aee"]);
        Assert.Equal("log", rules[2].Overrides!.Action);
        Assert.Equal(new OverrideTarget("wordpress", false, null), rules[2].Overrides!.Categories[0]);
        Assert.Equal(new OverrideTarget("r9", null, "log"), rules[2].Overrides!.Rules[0]);
        Assert.Null(rules[2].Skip);
        Assert.Equal("flexible", rules[3].SetsSsl);
    }

    [Fact]
    public void Account_without_settings_has_unknown_2fa_enforcement()
    {
        const string json = """{"success":true,"errors":[],"result":{"id":"acc","name":"Acme"}}""";
        var account = AccountMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeAccountDto), "conn");

        Assert.Null(account.EnforceTwoFactor);
        Assert.Equal("conn", account.ConnectionId);
    }

    [Fact]
    public void Member_without_any_email_is_kept_with_its_ids_and_a_rejected_status_is_kept_as_sent()
    {
        const string json = """
            {"success":true,"errors":[],"result":[{"id":"m9","status":"rejected","user":{"id":"u9","two_factor_authentication_enabled":true}}]}
            """;
        var member = MemberMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListMemberDto)[0], "acc");

        Assert.Equal(("m9", "u9", ""), (member.Id, member.UserId, member.Email));
        Assert.False(member.HasEmail);
        Assert.Equal("member m9", member.Label);
        Assert.Equal((MembershipStatus.Other, "rejected"), (member.Status, member.StatusText));
    }

    [Fact]
    public void Policy_scopes_and_unnamed_permission_groups_are_resolved()
    {
        const string json = """
            {"success":true,"errors":[],"result":[{"id":"m1","status":"accepted","user":{"email":"a@x.test"},
             "policies":[{"id":"p1","access":"allow","permission_groups":[{"id":"pg1"},{"id":"pg2"}],
                          "resource_groups":[{"id":"rg1","scope":{"key":"com.cloudflare.api.account.acc","objects":[{"key":"*"}]}},
                                             {"id":"rg2","scope":[{"key":"com.cloudflare.api.account.acc","objects":[{"key":"com.cloudflare.api.account.zone.z1"},{"key":"com.cloudflare.api.account.zone.*"}]}]}]}]}]}
            """;
        var member = MemberMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListMemberDto)[0], "acc",
            new Dictionary<string, string> { ["pg1"] = "Administrator" });

        var policy = Assert.Single(member.Policies);
        Assert.Equal(["Administrator", "unnamed permission group pg2"], policy.PermissionGroups);
        Assert.Equal(
            [new PolicyScope(PolicyScope.Account, "acc"), new PolicyScope(PolicyScope.Zone, "z1"), new PolicyScope(PolicyScope.AllZones, "acc")],
            policy.Scopes);
        Assert.Null(policy.ViaGroup);
    }

    [Theory]
    [InlineData("31536000.0", 31536000)]
    [InlineData("31536000", 31536000)]
    [InlineData("1.5552E7", 15552000)]
    [InlineData("\"31536000\"", 31536000)]
    [InlineData("86400.9", 86400)]
    public void Hsts_max_age_is_read_as_any_json_number(string maxAge, long expected)
    {
        // Cloudflare has sent max_age as 31536000.0: reading it as an integer only made it 0, a false HSTS failure.
        var json = """{"success":true,"errors":[],"result":[{"id":"security_header","value":{"strict_transport_security":{"enabled":true,"max_age":"""
            + maxAge + ""","include_subdomains":true,"preload":false}}}]}""";
        var values = ZoneSettingsMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListZoneSettingDto));

        Assert.Equal(new HstsPolicy(true, expected, true, false), values.Hsts);
    }

    [Fact]
    public void Page_rules_keep_only_ssl_actions_with_target_and_status()
    {
        const string json = """
            {"success":true,"errors":[],"messages":[],"result":[
             {"id":"p1","targets":[{"target":"url","constraint":{"operator":"matches","value":"*shop.example/old/*"}}],
              "actions":[{"id":"always_use_https"},{"id":"ssl","value":"flexible"}],"priority":2,"status":"active"},
             {"id":"p2","targets":[{"target":"url","constraint":{"operator":"matches","value":"*shop.example/img/*"}}],
              "actions":[{"id":"browser_cache_ttl","value":14400}],"priority":1,"status":"active"},
             {"id":"p3","targets":[{"target":"url","constraint":{"operator":"matches","value":"*shop.example/x/*"}}],
              "actions":[{"id":"ssl","value":"off"}],"priority":1,"status":"disabled"}]}
            """;
        var rules = PageRuleMapper.MapSsl(Parse(json, CloudflareJsonContext.Default.EnvelopeListPageRuleDto));

        Assert.Equal([new PageRuleSsl("p1", "*shop.example/old/*", "flexible", "active"), new PageRuleSsl("p3", "*shop.example/x/*", "off", "disabled")], rules);
        Assert.False(rules[1].IsActive);
    }

    [Fact]
    public void Hostname_tls_settings_keep_hostname_value_and_status()
    {
        const string json = """
            {"success":true,"errors":[],"messages":[],"result":[
             {"hostname":"legacy.shop.example","value":"1.0","status":"active","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"},
             {"hostname":"api.shop.example","value":"1.3"}]}
            """;
        var settings = HostnameSettingMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListHostnameSettingDto));

        Assert.Equal([new HostnameSetting("legacy.shop.example", "1.0", "active"), new HostnameSetting("api.shop.example", "1.3", null)], settings);
    }

    [Fact]
    public void Certificate_packs_keep_their_ca_as_sent_and_packs_without_an_id_are_dropped()
    {
        const string json = """
            {"success":true,"errors":[],"messages":[],"result_info":{"page":1,"per_page":50,"count":4,"total_count":4,"total_pages":1},
             "result":[
              {"id":"3822ff90-ea29-44df-9e55-21300bb9419b","type":"universal","status":"active","certificate_authority":"google",
               "hosts":["shop.example","*.shop.example"],"certificates":[{"id":"c1","hosts":["shop.example"],"status":"active","issuer":"GoogleTrustServices"}],
               "validity_days":90,"some_new_field":{"x":1}},
              {"id":"3822ff90-ea29-44df-9e55-21300bb9419c","type":"advanced","status":"pending_validation","certificate_authority":"digicert","hosts":["www.shop.example"]},
              {"id":"3822ff90-ea29-44df-9e55-21300bb9419d","type":"sni_custom","status":"active","certificate_authority":"","hosts":["shop.example"]},
              {"type":"universal","status":"active","certificate_authority":"lets_encrypt"}
             ]}
            """;
        var packs = CertificatePackMapper.Map(Parse(json, CloudflareJsonContext.Default.EnvelopeListCertificatePackDto));

        Assert.Equal(3, packs.Count);
        Assert.Equal(("universal", "active", "google"), (packs[0].Type, packs[0].Status, packs[0].CertificateAuthority));
        Assert.Equal(["shop.example", "*.shop.example"], packs[0].Hosts);
        Assert.Equal("digicert", packs[1].CertificateAuthority);
        Assert.True(packs[1].IsInUse);
        Assert.Null(packs[2].CertificateAuthority);
    }
}
