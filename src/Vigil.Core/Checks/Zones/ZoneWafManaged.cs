using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>A managed WAF ruleset inspects the zone's requests.</summary>
internal sealed class ZoneWafManaged : ICheck
{
    private static readonly ZoneRead Read = new("ruleset", $"the {RulesetPhases.ManagedWaf} entrypoint", "Zone WAF Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-waf-managed",
        Title: "Zone deploys a managed WAF ruleset",
        Severity: Severity.High,
        Asserts: "Each active zone's http_request_firewall_managed entrypoint has an enabled execute rule whose overrides do not disable the ruleset it deploys, or the zone has the legacy waf setting on.",
        Remediation: "Deploy the Cloudflare Managed Ruleset in the Cloudflare dashboard under Security > WAF > Managed rules.",
        Frameworks: [Soc2.CC6_6, Soc2.CC6_8, Soc2.CC7_1, Iso27001.A8_20, Iso27001.A8_26, Iso27001.A8_9],
        Needs: DataNeeds.Zones | DataNeeds.Rulesets | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => Judge(context, zone, security));

    private static Finding Judge(EvaluationContext context, Zone zone, ZoneSecurity security)
    {
        var read = security.Entrypoints.TryGetValue(RulesetPhases.ManagedWaf, out var entrypoint);
        var deploying = entrypoint?.Rules.Where(r => r.Action == "execute").ToList() ?? [];
        var active = deploying.FirstOrDefault(r => r.Enabled && !r.OverridesDisableRuleset);
        if (active is not null)
        {
            var ruleset = active.ExecutesRulesetId is { } id ? $"ruleset {id}" : "a managed ruleset";
            return zone.Pass($"zone {zone.Name} deploys {ruleset} through rule {active.Id} of its {RulesetPhases.ManagedWaf} entrypoint");
        }

        if (string.Equals(security.LegacyWaf, "on", StringComparison.OrdinalIgnoreCase))
        {
            return zone.Pass($"zone {zone.Name} has the legacy WAF setting on");
        }

        if (!read)
        {
            return ZoneScope.Unreadable(context, zone, Read);
        }

        var why = (entrypoint, deploying.Count) switch
        {
            (null, _) => $"has no {RulesetPhases.ManagedWaf} entrypoint",
            (_, 0) => $"has no execute rule in its {RulesetPhases.ManagedWaf} entrypoint",
            _ => $"has only disabled managed rulesets ({string.Join(", ", deploying.Select(DescribeInactive))})",
        };
        var legacy = security.LegacyWaf is null ? "the legacy waf setting was not reported" : $"the legacy waf setting is {security.LegacyWaf}";
        return zone.Fail($"zone {zone.Name} {why}, and {legacy}",
            $"Deploy the Cloudflare Managed Ruleset: Cloudflare dashboard > {zone.Name} > Security > WAF > Managed rules > Deploy (or enable the existing deployment and remove overrides that disable it).");
    }

    private static string DescribeInactive(RulesetRule rule) =>
        $"rule {rule.Id} {(rule.Enabled ? "has overrides that disable its ruleset" : "is disabled")}";
}
