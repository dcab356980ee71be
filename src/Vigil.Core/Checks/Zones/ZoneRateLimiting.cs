using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>
/// The zone limits request rates: at least one enabled rate limiting rule (phase http_ratelimit) that acts on the
/// traffic over its limit. Every plan has rate limiting rules (the Free plan one rule), so no zone is skipped for its plan.
/// </summary>
/// <remarks>
/// Account-level rate limiting rulesets (an Enterprise feature deployed from the account's http_ratelimit entrypoint)
/// are not read: their rules live in separate custom rulesets, one more read each.
/// </remarks>
internal sealed class ZoneRateLimiting : ICheck
{
    private static readonly ZoneRead Read = new("ruleset", $"the {RulesetPhases.RateLimit} entrypoint (rate limiting rules)", "Zone WAF Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-rate-limiting",
        Title: "Zone has an enabled rate limiting rule",
        Severity: Severity.Medium,
        Asserts: "Each active zone has at least one enabled rate limiting rule (phase http_ratelimit) whose action blocks or challenges clients over the limit; " +
                 "a rule that only logs does not limit anything. Rate limiting rules are available on every plan (one rule on Free).",
        Remediation: "Create a rate limiting rule in the Cloudflare dashboard under Security > WAF > Rate limiting rules " +
                     "(or PUT /zones/{zone_id}/rulesets/phases/http_ratelimit/entrypoint), e.g. for the login path.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_2, Iso27001.A8_20, Iso27001.A8_26, PciDss.R6_4_1, PciDss.R6_4_2],
        Needs: DataNeeds.Zones | DataNeeds.Rulesets,
        Phases: [RulesetPhases.RateLimit]);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => Judge(context, zone, security));

    private static Finding Judge(EvaluationContext context, Zone zone, ZoneSecurity security)
    {
        if (!security.Entrypoints.TryGetValue(RulesetPhases.RateLimit, out var entrypoint))
        {
            return RulesetReads.Unreadable(context, zone, Read, RulesetPhases.RateLimit);
        }

        // Built only for a finding that needs it: most zones pass.
        string Remediation() => $"Add a rate limiting rule with action Block or Managed Challenge: Cloudflare dashboard > {zone.Name} > Security > WAF > Rate limiting rules > Create rule " +
                          $"(API: PUT /zones/{zone.Id}/rulesets/phases/{RulesetPhases.RateLimit}/entrypoint); the {PlanFeatures.Describe(zone.PlanLegacyId)} plan allows at least one.";
        if (entrypoint is null)
        {
            return zone.Fail($"zone {zone.Name} has no {RulesetPhases.RateLimit} entrypoint: it has no rate limiting rules", Remediation());
        }

        var limiting = entrypoint.Rules.Where(r => r.Enabled && !string.Equals(r.Action, "log", StringComparison.OrdinalIgnoreCase)).ToList();
        if (limiting.Count > 0)
        {
            var listed = string.Join(", ", limiting.Take(5).Select(r => $"{r.Id} {r.Action}")) + (limiting.Count > 5 ? $", and {limiting.Count - 5} more" : "");
            return zone.Pass($"zone {zone.Name} has {(limiting.Count == 1 ? "1 enabled rate limiting rule" : $"{limiting.Count} enabled rate limiting rules")} ({listed})");
        }

        var others = entrypoint.Rules.Select(r => $"{r.Id} {(r.Enabled ? "logs only" : r.Action + " disabled")}").ToList();
        return zone.Fail(others.Count == 0
                ? $"zone {zone.Name} has an empty {RulesetPhases.RateLimit} entrypoint: no rate limiting rules"
                : $"zone {zone.Name} has no enabled rate limiting rule that acts: {string.Join(", ", others)}",
            Remediation());
    }
}
