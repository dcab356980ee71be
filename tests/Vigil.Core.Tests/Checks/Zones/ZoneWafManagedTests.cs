using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneWafManagedTests
{
    private readonly ZoneWafManaged _check = new();

    private static Func<ZoneSecurity, ZoneSecurity> Managed(PhaseEntrypoint? entrypoint, string? legacyWaf = "off") =>
        s => s with { LegacyWaf = legacyWaf, Entrypoints = new Dictionary<string, PhaseEntrypoint?> { [RulesetPhases.ManagedWaf] = entrypoint, [RulesetPhases.CustomFirewall] = null } };

    private static PhaseEntrypoint Entrypoint(params RulesetRule[] rules) => new(RulesetPhases.ManagedWaf, "rs-1", rules);

    [Fact]
    public void Passes_for_an_enabled_execute_rule()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example").Build()))
            .ShouldPass("shop.example", containing: "deploys the Cloudflare Managed Ruleset through rule rule-cf-managed of its zone-level http_request_firewall_managed entrypoint");
    }

    [Fact]
    public void The_legacy_waf_setting_alone_no_longer_passes()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Managed(null, legacyWaf: "on")).Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "legacy waf setting is on, but Cloudflare has deprecated the legacy WAF");
    }

    [Fact]
    public void Fails_when_the_execute_rule_is_disabled()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Managed(Entrypoint(new RulesetRule("r-1", "execute", Enabled: false, ManagedRulesets.CloudflareManaged, false, null)))).Build();
        var finding = _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "rule r-1 deploys the Cloudflare Managed Ruleset but is disabled");

        Assert.Contains("Security > WAF > Managed rules", finding.Remediation);
    }

    [Fact]
    public void Fails_when_overrides_disable_the_ruleset()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Managed(Entrypoint(new RulesetRule("r-1", "execute", true, ManagedRulesets.CloudflareManaged, OverridesDisableRuleset: true, null)))).Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "rule r-1 deploys the Cloudflare Managed Ruleset but has overrides that disable its ruleset");
    }

    [Fact]
    public void Fails_with_no_entrypoint_and_legacy_waf_off()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Managed(null, legacyWaf: "off")).Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "has no http_request_firewall_managed entrypoint, and the legacy waf setting is off");
    }

    [Fact]
    public void Fails_when_the_entrypoint_has_only_other_actions()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Managed(Entrypoint(new RulesetRule("r-1", "skip", true, null, false, null)))).Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "has no execute rule");
    }

    [Fact]
    public void Is_unknown_when_the_entrypoint_was_not_read()
    {
        var snapshot = new SnapshotBuilder()
            .Zone("shop.example", s => s with { LegacyWaf = "off", Entrypoints = new Dictionary<string, PhaseEntrypoint?>() }, id: "z-1")
            .Gap("infra", "ruleset", "z-1", missingPermission: "Zone WAF Read").Build();
        var result = _check.Run(Context(snapshot));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("shop.example", containing: "'Zone WAF Read'");
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }
}
