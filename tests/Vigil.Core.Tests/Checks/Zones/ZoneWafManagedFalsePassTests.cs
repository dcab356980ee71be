using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

/// <summary>The WAF false passes of issue 14: each zone here passed before the check judged skips, overrides, scope and ruleset identity.</summary>
public sealed class ZoneWafManagedFalsePassTests
{
    private const string CloudflareManaged = "efb7b8c949ac4650a09736fc376e9aee";
    private const string ExposedCredentials = "c2e184081120413c86c3ab7e14069605";

    private readonly ZoneWafManaged _check = new();

    private static RulesetRule Deploy(string id = CloudflareManaged, string expression = "true", RuleOverrides? overrides = null, string ruleId = "r-exec") =>
        new(ruleId, "execute", true, id, overrides?.Enabled == false, "deploy", expression, overrides);

    private static RulesetRule SkipRule(string expression, SkipParameters skip, string ruleId = "r-skip") =>
        new(ruleId, "skip", true, null, false, "skip", expression, null, skip);

    private static SkipParameters SkipCurrent() => new(true, [], [], [], new Dictionary<string, IReadOnlyList<string>>());

    private static SkipParameters SkipPhases(params string[] phases) => new(false, [], phases, [], new Dictionary<string, IReadOnlyList<string>>());

    private static SkipParameters SkipProducts(params string[] products) => new(false, [], [], products, new Dictionary<string, IReadOnlyList<string>>());

    private static Func<ZoneSecurity, ZoneSecurity> Rules(RulesetRule[] managed, RulesetRule[]? custom = null, string legacyWaf = "off") =>
        s => s with
        {
            LegacyWaf = legacyWaf,
            Entrypoints = new Dictionary<string, PhaseEntrypoint?>
            {
                [RulesetPhases.ManagedWaf] = managed.Length == 0 ? null : new PhaseEntrypoint(RulesetPhases.ManagedWaf, "rs-managed", managed),
                [RulesetPhases.CustomFirewall] = custom is null ? null : new PhaseEntrypoint(RulesetPhases.CustomFirewall, "rs-custom", custom),
            },
        };

    private CheckResult Run(Func<ZoneSecurity, ZoneSecurity> configure, CheckOptions? options = null) =>
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", configure).Build(), options: options));

    [Fact]
    public void Fails_when_a_skip_rule_before_the_deployment_skips_the_rest_of_the_managed_entrypoint()
    {
        Run(Rules([SkipRule("true", SkipCurrent()), Deploy()]))
            .ShouldFail("shop.example", containing: "skip rule r-skip");
    }

    [Fact]
    public void Fails_when_a_skip_rule_names_the_deployed_ruleset()
    {
        Run(Rules([SkipRule("true", new SkipParameters(false, [CloudflareManaged], [], [], new Dictionary<string, IReadOnlyList<string>>())), Deploy()]))
            .ShouldFail("shop.example", containing: "skip rule r-skip");
    }

    [Fact]
    public void A_skip_rule_after_the_deployment_does_not_switch_it_off()
    {
        Run(Rules([Deploy(), SkipRule("true", SkipCurrent())])).ShouldPass("shop.example");
    }

    [Fact]
    public void Fails_when_a_custom_rule_skips_the_managed_phase()
    {
        Run(Rules([Deploy()], custom: [SkipRule("true", SkipPhases(RulesetPhases.ManagedWaf), ruleId: "c-skip")]))
            .ShouldFail("shop.example", containing: "custom rule c-skip");
    }

    [Fact]
    public void Fails_when_a_custom_rule_skips_the_waf_product()
    {
        Run(Rules([Deploy()], custom: [SkipRule("(true)", SkipProducts("waf"), ruleId: "c-skip")]))
            .ShouldFail("shop.example", containing: "custom rule c-skip");
    }

    [Fact]
    public void A_narrower_skip_is_named_in_the_passing_reason()
    {
        Run(Rules([Deploy()], custom: [SkipRule("ip.src in {192.0.2.0/24}", SkipPhases(RulesetPhases.ManagedWaf), ruleId: "c-skip")]))
            .ShouldPass("shop.example", containing: "managed rules skipped for ip.src in {192.0.2.0/24}");
    }

    [Fact]
    public void Fails_in_log_only_mode()
    {
        Run(Rules([Deploy(overrides: new RuleOverrides(null, "log", [], []))]))
            .ShouldFail("shop.example", containing: "log-only mode");
    }

    [Fact]
    public void Fails_when_overrides_turn_most_of_the_ruleset_off()
    {
        var overrides = new RuleOverrides(null, null,
            [new OverrideTarget("sqli", false, null), new OverrideTarget("xss", false, null), new OverrideTarget("rce", false, null)], []);
        var rule = Deploy(overrides: overrides) with { Coverage = new OverrideCoverage(Rules: 10, TurnedOff: 7) };
        Run(Rules([rule])).ShouldFail("shop.example", containing: "7 of its 10 rules are off (categories sqli, xss, rce disabled)");
    }

    [Fact]
    public void Reports_disabled_categories_that_leave_most_of_the_ruleset_on()
    {
        var overrides = new RuleOverrides(null, null, [new OverrideTarget("wordpress", false, null)], []);
        var rule = Deploy(overrides: overrides) with { Coverage = new OverrideCoverage(Rules: 10, TurnedOff: 2) };
        Run(Rules([rule])).ShouldPass("shop.example", containing: "2 of its 10 rules are off (categories wordpress disabled)");
    }

    [Fact]
    public void Fails_when_only_the_exposed_credentials_check_is_deployed()
    {
        Run(Rules([Deploy(ExposedCredentials)]))
            .ShouldFail("shop.example", containing: "Exposed Credentials Check");
    }

    [Fact]
    public void Fails_when_the_deployment_is_scoped_to_part_of_the_traffic()
    {
        Run(Rules([Deploy(expression: "http.request.uri.path starts_with \"/api\"")]))
            .ShouldFail("shop.example", containing: "scoped to http.request.uri.path starts_with \"/api\"");
    }

    [Fact]
    public void A_scoped_deployment_passes_when_configured_to_accept_it()
    {
        Run(Rules([Deploy(expression: "http.host eq \"shop.example\"")]), CheckOptions.Default with { AcceptScopedWafDeployments = true })
            .ShouldPass("shop.example", containing: "scoped to http.host eq \"shop.example\"");
    }

    [Fact]
    public void Fails_with_only_the_legacy_waf_setting_on()
    {
        Run(Rules([], legacyWaf: "on"))
            .ShouldFail("shop.example", containing: "legacy waf setting is on");
    }

    [Fact]
    public void A_free_zone_without_an_entrypoint_is_skipped()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([]), planLegacyId: "free").Build();
        _check.Run(Context(snapshot)).ShouldBeSkipped("shop.example", containing: "Free Managed Ruleset");
    }

    [Fact]
    public void A_paid_zone_without_an_entrypoint_fails()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([]), planLegacyId: "pro").Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "no http_request_firewall_managed entrypoint");
    }

    [Fact]
    public void The_free_managed_ruleset_passes_a_free_zone()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([Deploy(ManagedRulesets.FreeManaged)]), planLegacyId: "free").Build();
        _check.Run(Context(snapshot)).ShouldPass("shop.example", containing: "Cloudflare Free Managed Ruleset");
    }

    [Fact]
    public void Fails_when_an_account_level_custom_rule_skips_the_managed_phase()
    {
        var account = new AccountRulesets(SnapshotBuilder.DefaultAccountId, new Dictionary<string, PhaseEntrypoint?>
        {
            [RulesetPhases.ManagedWaf] = null,
            [RulesetPhases.CustomFirewall] = new(RulesetPhases.CustomFirewall, "rs-acc-custom", [SkipRule("true", SkipPhases(RulesetPhases.ManagedWaf), ruleId: "a-skip")]),
        });
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([Deploy()])).AccountRulesets(account).Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "account-level custom rule a-skip");
    }

    [Fact]
    public void An_account_level_deployment_protects_the_zone()
    {
        var account = new AccountRulesets(SnapshotBuilder.DefaultAccountId, new Dictionary<string, PhaseEntrypoint?>
        {
            [RulesetPhases.ManagedWaf] = new(RulesetPhases.ManagedWaf, "rs-acc-managed", [Deploy(expression: "cf.zone.name in {\"shop.example\" \"blog.example\"}", ruleId: "a-exec")]),
            [RulesetPhases.CustomFirewall] = null,
        });
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([]), planLegacyId: "enterprise").AccountRulesets(account).Build();
        _check.Run(Context(snapshot)).ShouldPass("shop.example", containing: "account-level");
    }

    [Fact]
    public void An_account_level_deployment_for_other_zones_does_not_protect_the_zone()
    {
        var account = new AccountRulesets(SnapshotBuilder.DefaultAccountId, new Dictionary<string, PhaseEntrypoint?>
        {
            [RulesetPhases.ManagedWaf] = new(RulesetPhases.ManagedWaf, "rs-acc-managed", [Deploy(expression: "cf.zone.name eq \"blog.example\"", ruleId: "a-exec")]),
            [RulesetPhases.CustomFirewall] = null,
        });
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([]), planLegacyId: "enterprise").AccountRulesets(account).Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example");
    }

    [Fact]
    public void Unreadable_account_rulesets_make_an_unprotected_zone_unknown()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([]), planLegacyId: "enterprise")
            .Gap("infra", "account_ruleset", SnapshotBuilder.DefaultAccountId, missingPermission: "Account WAF Read").Build();
        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "'Account WAF Read'");
    }

    [Fact]
    public void Unreadable_account_rulesets_do_not_hide_an_unprotected_paid_zone_below_enterprise()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([]), planLegacyId: "pro")
            .Gap("infra", "account_ruleset", SnapshotBuilder.DefaultAccountId, missingPermission: "Account WAF Read").Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "no http_request_firewall_managed entrypoint");
    }

    [Fact]
    public void A_zone_deployment_passes_and_names_unreadable_account_rulesets()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Rules([Deploy()], custom: []))
            .Gap("infra", "account_ruleset", SnapshotBuilder.DefaultAccountId, missingPermission: "Account WAF Read").Build();
        _check.Run(Context(snapshot)).ShouldPass("shop.example", containing: "account-level rulesets could not be read");
    }

    [Fact]
    public void Unread_custom_rules_make_a_passing_zone_unknown()
    {
        var snapshot = new SnapshotBuilder()
            .Zone("shop.example", s => s with { Entrypoints = new Dictionary<string, PhaseEntrypoint?> { [RulesetPhases.ManagedWaf] = new(RulesetPhases.ManagedWaf, "rs", [Deploy()]) } }, id: "z-1")
            .Gap("infra", "ruleset", "z-1", missingPermission: "Zone WAF Read").Build();
        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "custom rules");
    }
}
