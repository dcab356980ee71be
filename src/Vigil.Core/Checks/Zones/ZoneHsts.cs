using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>Browsers are told to use only HTTPS for the zone (HTTP Strict Transport Security).</summary>
internal sealed class ZoneHsts : ICheck
{
    private static readonly ZoneRead Read = ZoneRead.Setting("security_header");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-hsts",
        Title: "Zone sends HTTP Strict Transport Security",
        Severity: Severity.Medium,
        Asserts: "Each active zone has HSTS enabled in its security_header setting with a max-age above zero, so browsers refuse plain-HTTP connections to it.",
        Remediation: "Enable HSTS in the Cloudflare dashboard under SSL/TLS > Edge Certificates > HTTP Strict Transport Security (HSTS), with a max-age of at least 6 months.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_24, Iso27001.A8_26, Iso27001.A8_9],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => security.Hsts is { } hsts ? Judge(zone, hsts) : ZoneScope.Unreadable(context, zone, Read));

    private static Finding Judge(Zone zone, HstsPolicy hsts)
    {
        var remediation = $"Enable HSTS with a max-age of at least 6 months: Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates > HTTP Strict Transport Security (HSTS).";
        if (!hsts.Enabled)
        {
            return zone.Fail($"zone {zone.Name} does not send HSTS (strict_transport_security is disabled)", remediation);
        }

        if (hsts.MaxAgeSeconds <= 0)
        {
            return zone.Fail($"zone {zone.Name} sends HSTS with max-age {hsts.MaxAgeSeconds}, which tells browsers to drop the policy", remediation);
        }

        var flags = (hsts.IncludeSubdomains ? "; includeSubDomains" : "") + (hsts.Preload ? "; preload" : "");
        return zone.Pass($"zone {zone.Name} sends HSTS with max-age {hsts.MaxAgeSeconds} seconds{flags}");
    }
}
