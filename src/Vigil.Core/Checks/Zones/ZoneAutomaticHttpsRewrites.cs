using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Links to plain-HTTP resources are rewritten to HTTPS, so pages do not load mixed content.</summary>
internal sealed class ZoneAutomaticHttpsRewrites : ICheck, INeedsZoneSettings
{
    private const string Setting = "automatic_https_rewrites";

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-automatic-https-rewrites",
        Title: "Zone rewrites plain-HTTP links to HTTPS",
        Severity: Severity.Low,
        Asserts: "Each active zone has Automatic HTTPS Rewrites on (setting automatic_https_rewrites = on): links in its pages to resources that can be served over HTTPS are rewritten, so browsers do not fetch mixed (unencrypted) content.",
        Remediation: "Turn on Automatic HTTPS Rewrites in the Cloudflare dashboard under SSL/TLS > Edge Certificates, or PATCH /zones/{zone_id}/settings/automatic_https_rewrites with {\"value\": \"on\"}.",
        Frameworks: [Soc2.CC6_7, Iso27001.A8_24, Iso27001.A8_26, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IReadOnlyList<string> ZoneSettings { get; } = [Setting];

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneFeatureScope.EvaluateSetting(context, Setting, "Automatic HTTPS Rewrites", (zone, value) => value.Equals("on", StringComparison.OrdinalIgnoreCase)
            ? zone.Pass($"zone {zone.Name} has Automatic HTTPS Rewrites on")
            : zone.Fail($"zone {zone.Name} has Automatic HTTPS Rewrites {value}; its pages may load resources over plain HTTP",
                $"Turn on Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates > Automatic HTTPS Rewrites (or PATCH /zones/{zone.Id}/settings/automatic_https_rewrites with {{\"value\": \"on\"}})."));
}
