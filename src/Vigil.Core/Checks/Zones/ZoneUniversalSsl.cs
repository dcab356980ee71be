using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Cloudflare issues and renews the zone's edge certificate.</summary>
internal sealed class ZoneUniversalSsl : ICheck
{
    private static readonly ZoneRead Read = new("universal_ssl", "the Universal SSL setting", "SSL and Certificates Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-universal-ssl",
        Title: "Zone has Universal SSL enabled",
        Severity: Severity.Medium,
        Asserts: "Each active zone has Universal SSL enabled (GET /zones/{zone_id}/ssl/universal/settings: enabled = true), so Cloudflare keeps a valid edge certificate issued and renewed for it. With Universal SSL off and no advanced or custom certificate, visitors cannot reach the zone over HTTPS.",
        Remediation: "Enable Universal SSL in the Cloudflare dashboard under SSL/TLS > Edge Certificates, or PATCH /zones/{zone_id}/ssl/universal/settings with {\"enabled\": true}. A zone served by an advanced or custom certificate instead can be excepted with that evidence.",
        Frameworks: [Soc2.CC6_7, Iso27001.A8_24, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.UniversalSsl);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneFeatureScope.EvaluateFlag(context, Read, "universal_ssl", "Universal SSL", "/ssl/universal/settings", f => f.UniversalSslEnabled,
            (zone, _, enabled) => enabled
                ? zone.Pass($"zone {zone.Name} has Universal SSL enabled")
                : zone.Fail($"zone {zone.Name} has Universal SSL disabled; unless an advanced or custom certificate covers its hostnames, visitors get certificate errors over HTTPS",
                    $"Enable Universal SSL in Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates (or PATCH /zones/{zone.Id}/ssl/universal/settings with {{\"enabled\": true}}); if an advanced or custom certificate serves the zone, record an exception naming it."));
}
