using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Cloudflare's security features apply to the zone's traffic: the zone is not paused.</summary>
/// <remarks>
/// A paused zone (paused: true) keeps its DNS on Cloudflare but Cloudflare passes its traffic straight to the origin:
/// no WAF, no TLS settings, no DDoS protection, and the origin's addresses are exposed. The other zone checks skip
/// paused zones, because none of their settings apply; this check is the one that fails them.
/// </remarks>
internal sealed class ZoneNotPaused : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-not-paused",
        Title: "Zone passes its traffic through Cloudflare's security features",
        Severity: Severity.High,
        Asserts: "No zone is paused (paused = false): a paused zone's traffic goes to the origin without the WAF, TLS settings and DDoS protection the other checks verify.",
        Remediation: "Resume Cloudflare on the zone in the Cloudflare dashboard: Overview > Advanced actions > Resume Cloudflare on Site.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_1, Iso27001.A8_20, Iso27001.A8_21, Iso27001.A8_9, PciDss.R1_4_1, PciDss.R6_4_1],
        Needs: DataNeeds.Zones);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.EvaluateZones(context, zone => zone.Paused
            ? zone.Fail($"zone {zone.Name} is paused: Cloudflare passes its traffic through without security features",
                $"Resume Cloudflare on the zone: Cloudflare dashboard > {zone.Name} > Overview > Advanced actions > Resume Cloudflare on Site.")
            : zone.Status == "active"
                ? zone.Pass($"zone {zone.Name} is active and not paused")
                : zone.Skip(ZoneScope.NotMonitoredReason(zone)));
}
