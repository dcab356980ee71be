using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>
/// The zone filters its own traffic: at least one enabled custom rule (phase http_request_firewall_custom) blocks or
/// challenges requests. Custom rules exist on every plan, so no zone is skipped for its plan.
/// </summary>
internal sealed class ZoneCustomRulesPresent : ICheck
{
    private static readonly ZoneRead Read = new("ruleset", $"the {RulesetPhases.CustomFirewall} entrypoint (custom rules)", "Zone WAF Read");

    /// <summary>Actions that stop or challenge a request; skip, log and execute do not.</summary>
    internal static readonly IReadOnlyList<string> Enforcing = ["block", "challenge", "js_challenge", "managed_challenge"];

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-custom-rules-present",
        Title: "Zone has enabled custom rules that block or challenge",
        Severity: Severity.Medium,
        Asserts: "Each active zone has at least one enabled custom rule (phase http_request_firewall_custom, of the zone or of its account's entrypoint applying to it) " +
                 "whose action is block, challenge, js_challenge or managed_challenge, so traffic the organisation has decided to refuse is refused at the edge. " +
                 "Rules that only skip or log do not count.",
        Remediation: "Create a custom rule with action Block or Managed Challenge in the Cloudflare dashboard under Security > WAF > Custom rules " +
                     "(or PUT /zones/{zone_id}/rulesets/phases/http_request_firewall_custom/entrypoint).",
        Frameworks: [Soc2.CC6_6, Soc2.CC6_8, Iso27001.A8_20, Iso27001.A8_26, PciDss.R6_4_1, PciDss.R6_4_2, PciDss.R1_4_2],
        Needs: DataNeeds.Zones | DataNeeds.Rulesets,
        Phases: [RulesetPhases.CustomFirewall]);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => Judge(context, zone, security));

    private static Finding Judge(EvaluationContext context, Zone zone, ZoneSecurity security)
    {
        if (!security.Entrypoints.TryGetValue(RulesetPhases.CustomFirewall, out var entrypoint))
        {
            return RulesetReads.Unreadable(context, zone, Read, RulesetPhases.CustomFirewall);
        }

        // Built only for a finding that needs it: most zones pass.
        string Remediation() => $"Add a custom rule with action Block or Managed Challenge: Cloudflare dashboard > {zone.Name} > Security > WAF > Custom rules > Create rule " +
                          $"(API: PUT /zones/{zone.Id}/rulesets/phases/{RulesetPhases.CustomFirewall}/entrypoint).";
        var enforcing = (entrypoint?.Rules ?? []).Where(IsEnforcing).ToList();
        var account = context.Snapshot.AccountRulesets?.FirstOrDefault(a => a.AccountId == zone.AccountId);
        PhaseEntrypoint? accountEntrypoint = null;
        account?.Entrypoints.TryGetValue(RulesetPhases.CustomFirewall, out accountEntrypoint);
        var accountEnforcing = (accountEntrypoint?.Rules ?? [])
            .Where(r => IsEnforcing(r) && ZoneWafManaged.Scope(r.Expression, zone, accountLevel: true).Applies).ToList();

        if (enforcing.Count + accountEnforcing.Count > 0)
        {
            var parts = new List<string>();
            if (enforcing.Count > 0)
            {
                parts.Add($"{Count(enforcing.Count, "enabled custom rule")} that block or challenge ({Describe(enforcing)})");
            }
            if (accountEnforcing.Count > 0)
            {
                parts.Add($"{Count(accountEnforcing.Count, "account-level custom rule")} applying to it ({Describe(accountEnforcing)})");
            }
            return zone.Pass($"zone {zone.Name} has {string.Join(" and ", parts)}");
        }

        if (entrypoint is null)
        {
            return zone.Fail($"zone {zone.Name} has no {RulesetPhases.CustomFirewall} entrypoint: it has no custom rules", Remediation());
        }
        var others = entrypoint.Rules.Select(r => $"{r.Id} {r.Action}{(r.Enabled ? "" : " (disabled)")}").ToList();
        return zone.Fail(others.Count == 0
                ? $"zone {zone.Name} has an empty {RulesetPhases.CustomFirewall} entrypoint: no custom rules"
                : $"zone {zone.Name} has {Count(others.Count, "custom rule")}, none enabled that blocks or challenges: {string.Join(", ", others)}",
            Remediation());
    }

    private static bool IsEnforcing(RulesetRule rule) => rule.Enabled && Enforcing.Contains(rule.Action, StringComparer.OrdinalIgnoreCase);

    private static string Describe(IReadOnlyList<RulesetRule> rules) =>
        string.Join(", ", rules.Take(5).Select(r => $"{r.Id} {r.Action}")) + (rules.Count > 5 ? $", and {rules.Count - 5} more" : "");

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
}
