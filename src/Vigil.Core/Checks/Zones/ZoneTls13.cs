using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Visitors can negotiate TLS 1.3 at the edge.</summary>
internal sealed class ZoneTls13 : ICheck, INeedsZoneSettings
{
    private const string Setting = "tls_1_3";

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-tls-1-3",
        Title: "Zone offers TLS 1.3",
        Severity: Severity.Low,
        Asserts: "Each active zone has TLS 1.3 enabled at the edge (setting tls_1_3 = on, or zrt: TLS 1.3 with 0-RTT), so clients that support it get the current protocol with forward secrecy only.",
        Remediation: "Turn on TLS 1.3 in the Cloudflare dashboard under SSL/TLS > Edge Certificates, or PATCH /zones/{zone_id}/settings/tls_1_3 with {\"value\": \"on\"}.",
        Frameworks: [Soc2.CC6_7, Iso27001.A8_24, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IReadOnlyList<string> ZoneSettings { get; } = [Setting];

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneFeatureScope.EvaluateSetting(context, Setting, "TLS 1.3", (zone, value) => value.ToLowerInvariant() switch
        {
            "on" => zone.Pass($"zone {zone.Name} has TLS 1.3 on"),
            "zrt" => zone.Pass($"zone {zone.Name} has TLS 1.3 on with 0-RTT (zrt)"),
            _ => zone.Fail($"zone {zone.Name} has TLS 1.3 {value}; clients are held to TLS 1.2 or lower",
                $"Turn on Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates > TLS 1.3 (or PATCH /zones/{zone.Id}/settings/tls_1_3 with {{\"value\": \"on\"}})."),
        });
}
