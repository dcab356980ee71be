using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Email addresses in the zone's pages are hidden from address harvesters.</summary>
internal sealed class ZoneEmailObfuscation : ICheck, INeedsZoneSettings
{
    private const string Setting = "email_obfuscation";

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-email-obfuscation",
        Title: "Zone obfuscates email addresses in its pages",
        Severity: Severity.Low,
        Asserts: "Each active zone has Email Address Obfuscation on (setting email_obfuscation = on): addresses in its HTML are encoded so that bots harvesting them for spam and phishing cannot read them, while visitors still see them.",
        Remediation: "Turn on Email Address Obfuscation in the Cloudflare dashboard under Scrape Shield, or PATCH /zones/{zone_id}/settings/email_obfuscation with {\"value\": \"on\"}.",
        Frameworks: [Soc2.CC6_6, Iso27001.A8_26, Iso27001.A8_9, PciDss.R2_2],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IReadOnlyList<string> ZoneSettings { get; } = [Setting];

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneFeatureScope.EvaluateSetting(context, Setting, "Email Address Obfuscation", (zone, value) => value.Equals("on", StringComparison.OrdinalIgnoreCase)
            ? zone.Pass($"zone {zone.Name} has Email Address Obfuscation on")
            : zone.Fail($"zone {zone.Name} has Email Address Obfuscation {value}; email addresses in its pages are readable by harvesting bots",
                $"Turn on Cloudflare dashboard > {zone.Name} > Scrape Shield > Email Address Obfuscation (or PATCH /zones/{zone.Id}/settings/email_obfuscation with {{\"value\": \"on\"}})."));
}
