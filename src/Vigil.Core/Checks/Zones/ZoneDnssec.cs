using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>The zone's DNS answers are signed and the signature chain is in place at the registrar.</summary>
internal sealed class ZoneDnssec : ICheck
{
    private static readonly ZoneRead Read = new("dnssec", "the DNSSEC status", "DNS Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-dnssec",
        Title: "Zone has DNSSEC active",
        Severity: Severity.Medium,
        Asserts: "Each active zone's DNSSEC status is active: Cloudflare signs its records and the registrar publishes the DS record, so resolvers can detect forged answers.",
        Remediation: "Enable DNSSEC in the Cloudflare dashboard under DNS > Settings and add the DS record it shows at the domain's registrar.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_1, Iso27001.A8_20, Iso27001.A8_21, Iso27001.A8_9],
        Needs: DataNeeds.Zones | DataNeeds.Dnssec);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.EvaluateSetting(context, Read, s => s.DnssecStatus, (zone, status) => status.ToLowerInvariant() switch
        {
            "active" => zone.Pass($"zone {zone.Name} has DNSSEC active"),
            "pending" => zone.Fail($"zone {zone.Name} has DNSSEC pending: the registrar does not publish the DS record yet",
                $"Add the DS record shown in Cloudflare dashboard > {zone.Name} > DNS > Settings > DNSSEC at the domain's registrar."),
            "error" => zone.Fail($"zone {zone.Name} has DNSSEC in error: the DS record at the registrar does not match",
                $"Replace the DS record at the domain's registrar with the one shown in Cloudflare dashboard > {zone.Name} > DNS > Settings > DNSSEC."),
            _ => zone.Fail($"zone {zone.Name} has DNSSEC {status}",
                $"Enable DNSSEC in Cloudflare dashboard > {zone.Name} > DNS > Settings, then add the DS record it shows at the domain's registrar."),
        });
}
