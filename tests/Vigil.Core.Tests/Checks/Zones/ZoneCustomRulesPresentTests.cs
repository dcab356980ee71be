using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneCustomRulesPresentTests
{
    private readonly ZoneCustomRulesPresent _check = new();

    private static Func<ZoneSecurity, ZoneSecurity> Custom(PhaseEntrypoint? entrypoint) =>
        s => s with { Entrypoints = new Dictionary<string, PhaseEntrypoint?>(s.Entrypoints) { [RulesetPhases.CustomFirewall] = entrypoint } };

    private static RulesetRule Rule(string id, string action, bool enabled = true, string? expression = "true") =>
        new(id, action, enabled, null, OverridesDisableRuleset: false, null, Expression: expression);

    [Theory]
    [InlineData("block")]
    [InlineData("challenge")]
    [InlineData("js_challenge")]
    [InlineData("managed_challenge")]
    public void Passes_with_an_enabled_rule_that_blocks_or_challenges(string action)
    {
        var entrypoint = new PhaseEntrypoint(RulesetPhases.CustomFirewall, "rs-1", [Rule("r-skip", "skip"), Rule("r-1", action)]);

        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Custom(entrypoint)).Build()))
            .ShouldPass("shop.example", containing: $"zone shop.example has 1 enabled custom rule that block or challenge (r-1 {action})");
    }

    [Fact]
    public void Fails_without_an_entrypoint_naming_the_zone()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Custom(null), id: "z-1").Build()))
            .ShouldFail("shop.example", containing: "zone shop.example has no http_request_firewall_custom entrypoint: it has no custom rules");

        Assert.Contains("Security > WAF > Custom rules", finding.Remediation);
        Assert.Contains("PUT /zones/z-1/rulesets/phases/http_request_firewall_custom/entrypoint", finding.Remediation);
    }

    [Fact]
    public void Fails_when_rules_only_skip_log_or_are_disabled()
    {
        var entrypoint = new PhaseEntrypoint(RulesetPhases.CustomFirewall, "rs-1", [Rule("r-skip", "skip"), Rule("r-log", "log"), Rule("r-off", "block", enabled: false)]);

        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Custom(entrypoint)).Build()))
            .ShouldFail("shop.example", containing: "has 3 custom rules, none enabled that blocks or challenges: r-skip skip, r-log log, r-off block (disabled)");
    }

    [Fact]
    public void Counts_an_account_level_rule_that_applies_to_the_zone()
    {
        var account = new AccountRulesets(SnapshotBuilder.DefaultAccountId, new Dictionary<string, PhaseEntrypoint?>
        {
            [RulesetPhases.CustomFirewall] = new(RulesetPhases.CustomFirewall, "rs-acc", [
                Rule("acc-other", "block", expression: "cf.zone.name eq \"other.example\""),
                Rule("acc-shop", "managed_challenge", expression: "cf.zone.name eq \"shop.example\" and http.request.uri.path contains \"/admin\""),
            ]),
        });
        var result = _check.Run(Context(new SnapshotBuilder()
            .Zone("shop.example", Custom(null)).Zone("blog.example", Custom(null)).AccountRulesets(account).Build()));

        result.ShouldPass("shop.example", containing: "1 account-level custom rule applying to it (acc-shop managed_challenge)");
        result.ShouldFail("blog.example", containing: "no http_request_firewall_custom entrypoint");
    }

    [Fact]
    public void Skips_a_paused_zone()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("old.example", Custom(null), paused: true).Build()))
            .ShouldBeSkipped("old.example", containing: "zone old.example is paused");
    }

    [Fact]
    public void Is_unknown_naming_the_missing_permission_when_the_entrypoint_was_refused()
    {
        var snapshot = new SnapshotBuilder()
            .Zone("shop.example", s => s with { Entrypoints = new Dictionary<string, PhaseEntrypoint?>(s.Entrypoints.Where(e => e.Key != RulesetPhases.CustomFirewall)) }, id: "z-1")
            .Gap("infra", "ruleset", "z-1", missingPermission: "Zone WAF Read", what: "GET /zones/z-1/rulesets/phases/http_request_firewall_custom/entrypoint").Build();

        var finding = _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example",
            containing: "the http_request_firewall_custom entrypoint (custom rules) of zone shop.example could not be read: GET /zones/z-1/rulesets/phases/http_request_firewall_custom/entrypoint failed (403 Forbidden); the credential lacks the 'Zone WAF Read' permission");
        Assert.Contains("'Zone WAF Read'", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_the_rulesets_list_was_refused()
    {
        var snapshot = new SnapshotBuilder()
            .Zone("shop.example", s => s with { Entrypoints = new Dictionary<string, PhaseEntrypoint?>() }, id: "z-1")
            .Gap("infra", "ruleset", "z-1", missingPermission: "Firewall Services Read", what: "GET /zones/z-1/rulesets").Build();

        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "GET /zones/z-1/rulesets failed (403 Forbidden); the credential lacks the 'Firewall Services Read' permission");
    }
}
