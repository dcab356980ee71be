using Vigil.Core.Inventory;
using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneSslStrictTests
{
    private readonly ZoneSslStrict _check = new();

    [Fact]
    public void Passes_for_strict()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Ssl = "strict" }).Build()))
            .ShouldPass("shop.example", containing: "strict");
    }

    [Theory]
    [InlineData("full")]
    [InlineData("flexible")]
    [InlineData("off")]
    public void Fails_for_weaker_modes(string mode)
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Ssl = mode }).Build()))
            .ShouldFail("shop.example", containing: $"uses SSL mode {mode}; required is strict");

        Assert.Contains("SSL/TLS > Overview", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_read()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Ssl = null }, id: "z-1")
            .Gap("infra", "zone_setting", "z-1", missingPermission: "Zone Settings Read").Build();
        var result = _check.Run(Context(snapshot));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("shop.example", containing: "the ssl setting of zone shop.example could not be read");
    }

    [Fact]
    public void Is_unknown_without_a_gap_saying_the_api_did_not_report_it()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Ssl = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "was not reported by the Cloudflare API");
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }

    [Fact]
    public void Passes_for_origin_pull()
    {
        // Strict (SSL-Only Origin Pull), Enterprise: validates the origin like Full (strict); it used to fail.
        _check.Run(Context(new SnapshotBuilder().Zone("pay.example", s => s with { Ssl = "origin_pull" }).Build()))
            .ShouldPass("pay.example", containing: "uses SSL mode origin_pull (Strict (SSL-Only Origin Pull)); no Configuration Rule or Page Rule lowers it");
    }

    [Theory]
    [InlineData("flexible")]
    [InlineData("full")]
    [InlineData("off")]
    public void Fails_a_configuration_rule_that_lowers_ssl_naming_rule_and_expression(string mode)
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Entrypoints = WithConfigRules(s,
            new RulesetRule("cfg-1", "set_config", Enabled: true, null, false, "Legacy checkout", Expression: "(http.request.uri.path wildcard \"/legacy/*\")", SetsSsl: mode)) }).Build();

        var finding = _check.Run(Context(snapshot)).ShouldFail("shop.example",
            containing: $"Configuration Rule \"Legacy checkout\" (cfg-1) sets SSL mode {mode} for (http.request.uri.path wildcard \"/legacy/*\")");
        Assert.Contains("uses SSL mode strict, but", finding.Reason);
        Assert.Contains("Configuration Rules", finding.Remediation);
    }

    [Fact]
    public void Ignores_disabled_configuration_rules_and_rules_keeping_a_strict_mode()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Entrypoints = WithConfigRules(s,
            new RulesetRule("cfg-off", "set_config", Enabled: false, null, false, null, Expression: "true", SetsSsl: "flexible"),
            new RulesetRule("cfg-strict", "set_config", Enabled: true, null, false, null, Expression: "true", SetsSsl: "strict"),
            new RulesetRule("cfg-pull", "set_config", Enabled: true, null, false, null, Expression: "true", SetsSsl: "origin_pull"),
            new RulesetRule("cfg-other", "set_config", Enabled: true, null, false, null, Expression: "true")) }).Build();

        _check.Run(Context(snapshot)).ShouldPass("shop.example", containing: "no Configuration Rule or Page Rule lowers it");
    }

    [Fact]
    public void Fails_an_active_page_rule_that_lowers_ssl_naming_its_target()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with
        {
            SslPageRules = [new PageRuleSsl("pr-1", "*shop.example/old/*", "flexible", "active"), new PageRuleSsl("pr-2", "*shop.example/x/*", "off", "disabled")],
        }).Build();

        var finding = _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "Page Rule pr-1 sets SSL mode flexible for *shop.example/old/*");
        Assert.DoesNotContain("pr-2", finding.Reason);
    }

    [Fact]
    public void Says_when_configuration_rules_and_page_rules_were_not_read()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with
            {
                Entrypoints = s.Entrypoints.Where(e => e.Key != RulesetPhases.ConfigSettings).ToDictionary(),
                SslPageRules = null,
            }, id: "z-1")
            .Gap("infra", "page_rules", "z-1", missingPermission: "Zone Read", what: "GET /zones/z-1/pagerules").Build();

        var finding = _check.Run(Context(snapshot)).ShouldPass("shop.example", containing: "Configuration Rules were not read");
        Assert.Contains("Page Rules were not read (GET /zones/z-1/pagerules failed", finding.Reason);
    }

    private static Dictionary<string, PhaseEntrypoint?> WithConfigRules(ZoneSecurity security, params RulesetRule[] rules) =>
        new(security.Entrypoints) { [RulesetPhases.ConfigSettings] = new PhaseEntrypoint(RulesetPhases.ConfigSettings, "rs-config", rules) };
}
