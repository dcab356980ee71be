using System.Globalization;
using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Clients cannot connect with the broken TLS 1.0 and 1.1 protocols.</summary>
internal sealed class ZoneMinTls12 : ICheck
{
    private static readonly ZoneRead Read = ZoneRead.Setting("min_tls_version");
    private static readonly Version Minimum = new(1, 2);

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-min-tls-1-2",
        Title: "Zone requires TLS 1.2 or higher",
        Severity: Severity.High,
        Asserts: "Each active zone's minimum TLS version (setting min_tls_version) is 1.2 or higher, so visitors cannot negotiate TLS 1.0 or 1.1.",
        Remediation: "Set Minimum TLS Version to TLS 1.2 or higher in the Cloudflare dashboard under SSL/TLS > Edge Certificates.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_24, Iso27001.A8_9],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.EvaluateSetting(context, Read, s => s.MinTlsVersion, (zone, version) =>
        {
            if (!Version.TryParse(version, out var parsed))
            {
                return zone.Unknown($"zone {zone.Name} reports minimum TLS version '{version}', which Vigil does not recognise",
                    $"Check Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates > Minimum TLS Version.");
            }

            var minimum = Minimum.ToString(2);
            return parsed >= Minimum
                ? zone.Pass(string.Create(CultureInfo.InvariantCulture, $"zone {zone.Name} requires TLS {version} or higher"))
                : zone.Fail($"zone {zone.Name} accepts TLS {version}; minimum is {minimum}",
                    $"Set Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates > Minimum TLS Version to TLS {minimum} or higher.");
        });
}
