using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Cloudflare encrypts traffic to the origin and validates the origin's certificate.</summary>
internal sealed class ZoneSslStrict : ICheck
{
    private static readonly ZoneRead Read = ZoneRead.Setting("ssl");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-ssl-strict",
        Title: "Zone encrypts origin traffic with Full (strict) SSL",
        Severity: Severity.High,
        Asserts: "Each active zone's SSL/TLS encryption mode is Full (strict) (setting ssl = strict): traffic from Cloudflare to the origin is encrypted and the origin's certificate is validated.",
        Remediation: "Set the encryption mode to Full (strict) in the Cloudflare dashboard under SSL/TLS > Overview, after installing a valid certificate on the origin.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_24, Iso27001.A8_9],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.EvaluateSetting(context, Read, s => s.Ssl, (zone, ssl) => ssl.Equals("strict", StringComparison.OrdinalIgnoreCase)
            ? zone.Pass($"zone {zone.Name} uses SSL mode strict (Full (strict))")
            : zone.Fail($"zone {zone.Name} uses SSL mode {ssl}; required is strict (Full (strict))",
                $"Install a certificate the origin presents for {zone.Name} (e.g. a Cloudflare Origin CA certificate), then set Cloudflare dashboard > {zone.Name} > SSL/TLS > Overview > encryption mode to Full (strict)."));
}
