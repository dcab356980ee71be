using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>The zone's DNS answers are signed and the signature chain is in place at the registrar.</summary>
internal sealed class ZoneDnssec : ICheck
{
    private static readonly ZoneRead Read = new("dnssec", "the DNSSEC status", "DNS Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-dnssec",
        Title: "Zone has DNSSEC active",
        Severity: Severity.Medium,
        Asserts: "Each active zone whose DNS Cloudflare serves (type full) has DNSSEC status active: Cloudflare signs its records and the registrar publishes the DS record, so resolvers can detect forged answers. Partial (CNAME setup) and secondary zones are skipped: their DNS is signed by the authoritative provider.",
        Remediation: "Enable DNSSEC in the Cloudflare dashboard under DNS > Settings and add the DS record it shows at the domain's registrar.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_1, Iso27001.A8_20, Iso27001.A8_21, Iso27001.A8_9, PciDss.R2_2],
        Needs: DataNeeds.Zones | DataNeeds.Dnssec);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => IsServedElsewhere(zone)
            ? zone.Skip($"zone {zone.Name} is a {zone.Type} zone: DNS is served elsewhere: DNSSEC is the authoritative provider's job")
            : security.DnssecStatus is { Length: > 0 } status ? Judge(zone, status) : ZoneScope.Unreadable(context, zone, Read));

    private static bool IsServedElsewhere(Zone zone) => Zone.ServesDnsElsewhere(zone.Type);

    private static Finding Judge(Zone zone, string status) => status.ToLowerInvariant() switch
        {
            "active" => zone.Pass($"zone {zone.Name} has DNSSEC active"),
            "pending" => zone.Fail($"zone {zone.Name} has DNSSEC pending: the registrar does not publish the DS record yet",
                $"Add the DS record shown in Cloudflare dashboard > {zone.Name} > DNS > Settings > DNSSEC at the domain's registrar."),
            "error" => zone.Fail($"zone {zone.Name} has DNSSEC in error: the DS record at the registrar does not match",
                $"Replace the DS record at the domain's registrar with the one shown in Cloudflare dashboard > {zone.Name} > DNS > Settings > DNSSEC."),
            _ => zone.Fail($"zone {zone.Name} has DNSSEC {status}",
                $"Enable DNSSEC in Cloudflare dashboard > {zone.Name} > DNS > Settings, then add the DS record it shows at the domain's registrar."),
        };
}
