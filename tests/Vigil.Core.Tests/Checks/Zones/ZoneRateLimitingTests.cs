using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneRateLimitingTests
{
    private readonly ZoneRateLimiting _check = new();

    private static Func<ZoneSecurity, ZoneSecurity> RateLimit(PhaseEntrypoint? entrypoint) =>
        s => s with { Entrypoints = new Dictionary<string, PhaseEntrypoint?>(s.Entrypoints) { [RulesetPhases.RateLimit] = entrypoint } };

    private static RulesetRule Rule(string id, string action, bool enabled = true) =>
        new(id, action, enabled, null, OverridesDisableRuleset: false, null, Expression: "http.request.uri.path eq \"/login\"");

    [Theory]
    [InlineData("free")]
    [InlineData("pro")]
    [InlineData("enterprise")]
    public void Passes_with_an_enabled_rule_on_any_plan(string plan)
    {
        var entrypoint = new PhaseEntrypoint(RulesetPhases.RateLimit, "rs-1", [Rule("r-login", "managed_challenge")]);

        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", RateLimit(entrypoint), planLegacyId: plan).Build()))
            .ShouldPass("shop.example", containing: "zone shop.example has 1 enabled rate limiting rule (r-login managed_challenge)");
    }

    [Fact]
    public void Fails_on_the_free_plan_without_an_entrypoint_naming_the_quota()
    {
        // Every plan has rate limiting rules (Free: one), so a Free zone without any fails rather than being skipped.
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", RateLimit(null), planLegacyId: "free", id: "z-1").Build()))
            .ShouldFail("shop.example", containing: "zone shop.example has no http_ratelimit entrypoint: it has no rate limiting rules");

        Assert.Contains("Security > WAF > Rate limiting rules", finding.Remediation);
        Assert.Contains("the Free plan allows at least one", finding.Remediation);
        Assert.Contains("PUT /zones/z-1/rulesets/phases/http_ratelimit/entrypoint", finding.Remediation);
    }

    [Fact]
    public void Fails_when_every_rule_is_disabled_or_logs_only()
    {
        var entrypoint = new PhaseEntrypoint(RulesetPhases.RateLimit, "rs-1", [Rule("r-off", "block", enabled: false), Rule("r-log", "log")]);

        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", RateLimit(entrypoint)).Build()))
            .ShouldFail("shop.example", containing: "has no enabled rate limiting rule that acts: r-off block disabled, r-log logs only");
    }

    [Fact]
    public void Skips_a_pending_zone()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("new.example", RateLimit(null), status: "pending").Build()))
            .ShouldBeSkipped("new.example", containing: "is pending, not active");
    }

    [Fact]
    public void Is_unknown_when_the_phase_was_not_read()
    {
        var snapshot = new SnapshotBuilder()
            .Zone("shop.example", s => s with { Entrypoints = new Dictionary<string, PhaseEntrypoint?>(s.Entrypoints.Where(e => e.Key != RulesetPhases.RateLimit)) }, id: "z-1")
            .Build();

        var finding = _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "the http_ratelimit entrypoint (rate limiting rules) of zone shop.example was not read");
        Assert.Contains("'Zone WAF Read'", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_naming_the_missing_permission()
    {
        var snapshot = new SnapshotBuilder()
            .Zone("shop.example", s => s with { Entrypoints = new Dictionary<string, PhaseEntrypoint?>(s.Entrypoints.Where(e => e.Key != RulesetPhases.RateLimit)) }, id: "z-1")
            .Gap("infra", "ruleset", "z-1", missingPermission: "Zone WAF Read", what: "GET /zones/z-1/rulesets/phases/http_ratelimit/entrypoint")
            .Gap("infra", "ruleset", "z-1", missingPermission: "Other", what: "GET /zones/z-1/rulesets/phases/http_config_settings/entrypoint").Build();

        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "http_ratelimit/entrypoint failed (403 Forbidden); the credential lacks the 'Zone WAF Read' permission");
    }
}
