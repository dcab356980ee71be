using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Cloudflare presents a client certificate to the origin, so the origin can refuse traffic that bypasses Cloudflare.</summary>
internal sealed class ZoneAuthenticatedOriginPulls : ICheck
{
    private static readonly ZoneRead Read = new("origin_pulls", "the Authenticated Origin Pulls setting", "SSL and Certificates Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-authenticated-origin-pulls",
        Title: "Zone authenticates its origin connections with Authenticated Origin Pulls",
        Severity: Severity.Medium,
        Asserts: "Each active zone whose SSL/TLS mode encrypts to the origin (Full, Full (strict) or Strict (SSL-Only Origin Pull)) has Authenticated Origin Pulls enabled (GET /zones/{zone_id}/origin_tls_client_auth/settings: enabled = true): Cloudflare presents a client certificate (mTLS) to the origin, which can then refuse requests that do not come through Cloudflare. Zones in Off or Flexible mode are not applicable: Cloudflare documents that Authenticated Origin Pulls does not apply there.",
        Remediation: "Enable Authenticated Origin Pulls in the Cloudflare dashboard under SSL/TLS > Origin Server, or PUT /zones/{zone_id}/origin_tls_client_auth/settings with {\"enabled\": true}, and configure the origin to require the client certificate.",
        Frameworks: [Soc2.CC6_6, Soc2.CC6_7, Iso27001.A8_20, Iso27001.A8_24, PciDss.R1_4_1, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.OriginPulls | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneFeatureScope.EvaluateFlag(context, Read, "authenticated_origin_pulls", "Authenticated Origin Pulls", "/origin_tls_client_auth/settings",
            f => f.AuthenticatedOriginPullsEnabled,
            (zone, security, enabled) => security.Ssl is "off" or "flexible"
                ? zone.Skip($"zone {zone.Name} has SSL/TLS mode {security.Ssl}: Authenticated Origin Pulls does not apply without an encrypted origin connection (see cloudflare.zone-ssl-strict)")
                : enabled
                    ? zone.Pass($"zone {zone.Name} has Authenticated Origin Pulls enabled")
                    : zone.Fail($"zone {zone.Name} has Authenticated Origin Pulls disabled; its origin cannot tell Cloudflare's requests from direct ones",
                        $"Enable Cloudflare dashboard > {zone.Name} > SSL/TLS > Origin Server > Authenticated Origin Pulls (or PUT /zones/{zone.Id}/origin_tls_client_auth/settings with {{\"enabled\": true}}), then make the origin require Cloudflare's client certificate."));
}
