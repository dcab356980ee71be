using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Plain-HTTP requests are redirected to HTTPS at the edge.</summary>
internal sealed class ZoneAlwaysHttps : ICheck
{
    private static readonly ZoneRead Read = ZoneRead.Setting("always_use_https");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-always-https",
        Title: "Zone redirects every HTTP request to HTTPS",
        Severity: Severity.Medium,
        Asserts: "Each active zone has Always Use HTTPS on (setting always_use_https = on), so no content is served over plain HTTP.",
        Remediation: "Turn on Always Use HTTPS in the Cloudflare dashboard under SSL/TLS > Edge Certificates.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_24, Iso27001.A8_9, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.EvaluateSetting(context, Read, s => s.AlwaysUseHttps, (zone, value) => value.Equals("on", StringComparison.OrdinalIgnoreCase)
            ? zone.Pass($"zone {zone.Name} has Always Use HTTPS on")
            : zone.Fail($"zone {zone.Name} has Always Use HTTPS {value}; plain-HTTP requests are served without redirect",
                $"Turn on Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates > Always Use HTTPS."));
}
