using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>Clients cannot connect with the broken TLS 1.0 and 1.1 protocols, on any hostname of the zone.</summary>
/// <remarks>
/// The zone's min_tls_version is only the default: per-hostname TLS settings
/// (GET /zones/{zone_id}/hostnames/settings/min_tls_version) can set a lower minimum for single hostnames.
/// </remarks>
internal sealed class ZoneMinTls12 : ICheck
{
    private static readonly ZoneRead Read = ZoneRead.Setting("min_tls_version");
    private static readonly Version Minimum = new(1, 2);

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-min-tls-1-2",
        Title: "Zone requires TLS 1.2 or higher",
        Severity: Severity.High,
        Asserts: "Each active zone's minimum TLS version (setting min_tls_version) is 1.2 or higher, and no hostname of the zone has a per-hostname minimum TLS override below 1.2, so visitors cannot negotiate TLS 1.0 or 1.1.",
        Remediation: "Set Minimum TLS Version to TLS 1.2 or higher in the Cloudflare dashboard under SSL/TLS > Edge Certificates, and remove per-hostname overrides below it.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_24, Iso27001.A8_9, PciDss.R4_2_1],
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
            var weakHostnames = (zone.Security!.HostnameMinTls ?? [])
                .Where(h => !Version.TryParse(h.Value, out var v) || v < Minimum)
                .Select(h => $"{h.Hostname} accepts TLS {h.Value}")
                .ToList();
            var hostnameRemediation = $"Remove or raise the per-hostname minimum TLS overrides to {minimum}: PUT /zones/{zone.Id}/hostnames/settings/min_tls_version/HOSTNAME with {{\"value\":\"{minimum}\"}}, or DELETE it to inherit the zone's setting.";
            if (parsed < Minimum)
            {
                var hostnames = weakHostnames.Count == 0 ? "" : $"; hostnames: {string.Join(", ", weakHostnames)}";
                return zone.Fail($"zone {zone.Name} accepts TLS {version}; minimum is {minimum}{hostnames}",
                    $"Set Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates > Minimum TLS Version to TLS {minimum} or higher."
                    + (weakHostnames.Count == 0 ? "" : " " + hostnameRemediation));
            }

            if (weakHostnames.Count > 0)
            {
                return zone.Fail($"zone {zone.Name} requires TLS {version}, but per-hostname overrides lower it: {string.Join(", ", weakHostnames)}; minimum is {minimum}",
                    hostnameRemediation);
            }

            return zone.Pass(string.Create(CultureInfo.InvariantCulture, $"zone {zone.Name} requires TLS {version} or higher{HostnameNote(context, zone)}"));
        });

    private static string HostnameNote(EvaluationContext context, Zone zone)
    {
        if (zone.Security!.HostnameMinTls is { } overrides)
        {
            return overrides.Count == 0 ? "; no hostname overrides it" : $"; {overrides.Count} per-hostname override{(overrides.Count == 1 ? "" : "s")}, none below {Minimum.ToString(2)}";
        }

        if (ZoneScope.GapOf(context, zone, "hostname_tls") is { } gap)
        {
            return $"; per-hostname overrides could not be read ({Findings.Describe(gap)})";
        }

        return Zone.PlanMayOverrideTlsPerHostname(zone.PlanLegacyId)
            ? "; per-hostname overrides were not read"
            : $"; per-hostname overrides not read: the {zone.PlanLegacyId ?? "unreported"} plan has no per-hostname TLS settings without the paid Advanced Certificate Manager";
    }
}
