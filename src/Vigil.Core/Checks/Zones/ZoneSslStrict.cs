using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>Cloudflare encrypts traffic to the origin and validates the origin's certificate, for every hostname and path.</summary>
/// <remarks>
/// The zone's ssl setting is only the default: Configuration Rules (set_config rules with an ssl value in the
/// http_config_settings entrypoint) and Page Rules (action "ssl") set another mode for the hostnames and paths they
/// match, so a zone in Full (strict) can still reach part of its origin over plain HTTP.
/// </remarks>
internal sealed class ZoneSslStrict : ICheck
{
    private static readonly ZoneRead Read = ZoneRead.Setting("ssl");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-ssl-strict",
        Title: "Zone encrypts origin traffic with Full (strict) SSL",
        Severity: Severity.High,
        Asserts: "Each active zone's SSL/TLS encryption mode is Full (strict) or Strict (SSL-Only Origin Pull) (setting ssl = strict or origin_pull), "
            + "and no enabled Configuration Rule or active Page Rule sets a weaker mode for any hostname or path: traffic from Cloudflare to the origin is encrypted and the origin's certificate is validated.",
        Remediation: "Set the encryption mode to Full (strict) in the Cloudflare dashboard under SSL/TLS > Overview, after installing a valid certificate on the origin, and remove Configuration Rules and Page Rules that lower it.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_24, Iso27001.A8_9, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings | DataNeeds.Rulesets);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => Judge(context, zone, security));

    /// <summary>The modes that validate the origin's certificate: Full (strict), and Strict (SSL-Only Origin Pull) on Enterprise.</summary>
    private static bool IsStrict(string mode) =>
        mode.Equals("strict", StringComparison.OrdinalIgnoreCase) || mode.Equals("origin_pull", StringComparison.OrdinalIgnoreCase);

    private static Finding Judge(EvaluationContext context, Zone zone, ZoneSecurity security)
    {
        if (security.Ssl is not { Length: > 0 } ssl)
        {
            return ZoneScope.Unreadable(context, zone, Read);
        }

        if (!IsStrict(ssl))
        {
            return zone.Fail($"zone {zone.Name} uses SSL mode {ssl}; required is strict (Full (strict)) or origin_pull",
                $"Install a certificate the origin presents for {zone.Name} (e.g. a Cloudflare Origin CA certificate), then set Cloudflare dashboard > {zone.Name} > SSL/TLS > Overview > encryption mode to Full (strict).");
        }

        var lowering = new List<string>();
        var notRead = new List<string>();

        if (security.Entrypoints.TryGetValue(RulesetPhases.ConfigSettings, out var config))
        {
            foreach (var rule in config?.Rules ?? [])
            {
                if (rule.Enabled && rule.Action == "set_config" && rule.SetsSsl is { Length: > 0 } mode && !IsStrict(mode))
                {
                    lowering.Add($"Configuration Rule {Name(rule)} sets SSL mode {mode} for {rule.Expression ?? "all traffic"}");
                }
            }
        }
        else
        {
            notRead.Add($"Configuration Rules were not read{Why(ZoneScope.GapOf(context, zone, "ruleset", RulesetPhases.ConfigSettings))}");
        }

        if (security.SslPageRules is { } pageRules)
        {
            lowering.AddRange(pageRules.Where(r => r.IsActive && !IsStrict(r.Ssl))
                .Select(r => $"Page Rule {r.Id} sets SSL mode {r.Ssl} for {r.Target}"));
        }
        else
        {
            notRead.Add($"Page Rules were not read{Why(ZoneScope.GapOf(context, zone, "page_rules"))}");
        }

        if (lowering.Count > 0)
        {
            return zone.Fail($"zone {zone.Name} uses SSL mode {ssl}, but {string.Join("; ", lowering)}",
                $"Remove the SSL setting from these rules or set it to Full (strict): Cloudflare dashboard > {zone.Name} > Rules > Configuration Rules / Page Rules.");
        }

        var rulesNote = notRead.Count == 0
            ? "; no Configuration Rule or Page Rule lowers it"
            : $"; {string.Join("; ", notRead)}, so modes they may set for some hostnames or paths are not known";
        return zone.Pass($"zone {zone.Name} uses SSL mode {ssl} ({(ssl.Equals("strict", StringComparison.OrdinalIgnoreCase) ? "Full (strict)" : "Strict (SSL-Only Origin Pull)")}){rulesNote}");
    }

    private static string Name(RulesetRule rule) =>
        rule.Description is { Length: > 0 } description ? $"\"{description}\" ({rule.Id})" : rule.Id;

    private static string Why(Sync.ReadGap? gap) => gap is null ? "" : $" ({Findings.Describe(gap)})";
}
