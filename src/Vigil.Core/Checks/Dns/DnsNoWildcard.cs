using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>The zone answers only for names it defines: no wildcard record.</summary>
internal sealed class DnsNoWildcard : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.dns-no-wildcard",
        Title: "Zone has no wildcard DNS records",
        Severity: Severity.Low,
        Asserts: "No record of an active zone whose DNS Cloudflare serves is a wildcard (\"*.ZONE\" or \"*.sub.ZONE\"): a wildcard answers for every name nobody defined, which widens the attack surface, helps phishing lookalikes and hides mistyped or forgotten hostnames. Each wildcard is a finding named by the record's name, so an exception can excuse it. Partial and secondary zones are skipped.",
        Remediation: "Replace the wildcard with records for the hostnames in use in Cloudflare dashboard > DNS > Records, or record an exception for it.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_1, Iso27001.A8_9, Iso27001.A8_20, PciDss.R2_2, PciDss.R1_2_1],
        Needs: DataNeeds.Zones | DataNeeds.DnsRecords);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => DnsScope.Evaluate(context, Judge);

    private static IEnumerable<Finding> Judge(Zone zone, IReadOnlyList<DnsRecord> records)
    {
        var failed = false;
        foreach (var record in records.Where(r => r.IsWildcard))
        {
            failed = true;
            yield return DnsScope.Finding(zone, record, FindingStatus.Fail,
                $"zone {zone.Name} has wildcard {record.Type} record {record.Name} → {record.Content.Trim()}: it answers for every undefined name under it",
                $"In {DnsScope.Dashboard(zone)}, replace {record.Name} with records for the hostnames in use, or record an exception for {record.Name}.");
        }
        if (!failed)
        {
            yield return zone.Pass($"zone {zone.Name} has no wildcard records among its {records.Count} record{(records.Count == 1 ? "" : "s")}");
        }
    }
}
