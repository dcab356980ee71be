using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>The zone publishes one SPF record that ends by refusing (or soft-failing) every sender it does not list.</summary>
internal sealed class DnsSpf : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.dns-spf",
        Title: "Zone publishes an SPF record that rejects unlisted senders",
        Severity: Severity.Medium,
        Asserts: "Each active zone whose DNS Cloudflare serves has exactly one SPF record (a TXT record at the zone apex beginning \"v=spf1\", RFC 7208) ending in \"-all\" or \"~all\" (or delegating with redirect=), so mail servers can reject mail that forges the domain. A zone that sends no mail (no MX record and SPF \"v=spf1 -all\") passes. Partial and secondary zones are skipped.",
        Remediation: "Add one TXT record at the zone apex listing the zone's mail senders and ending in \"-all\" (or \"v=spf1 -all\" for a domain that sends no mail) in Cloudflare dashboard > DNS > Records.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_1, Iso27001.A8_20, Iso27001.A8_21, PciDss.R2_2],
        Needs: DataNeeds.Zones | DataNeeds.DnsRecords);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => DnsScope.Evaluate(context, (zone, records) => [Judge(zone, records)]);

    private static Finding Judge(Zone zone, IReadOnlyList<DnsRecord> records)
    {
        if (DnsScope.SendsNoMail(zone, records))
        {
            return zone.Pass(DnsScope.NoMailReason(zone));
        }
        var spf = DnsScope.SpfRecords(zone, records);
        var hasMx = DnsScope.AtApex(zone, records).Any(r => r.IsType("MX"));
        if (spf.Count == 0)
        {
            return zone.Fail($"zone {zone.Name} has no SPF record{(hasMx ? " although it has MX records" : "")}: anyone can send mail as {zone.Name}",
                $"In {DnsScope.Dashboard(zone)}, add a TXT record at {zone.Name} such as \"v=spf1 include:<your mail provider> -all\" (\"v=spf1 -all\" if the domain sends no mail).");
        }
        if (spf.Count > 1)
        {
            return zone.Fail($"zone {zone.Name} has {spf.Count} SPF records; RFC 7208 makes that a permanent error, so receivers ignore SPF for {zone.Name}",
                $"In {DnsScope.Dashboard(zone)}, merge the SPF TXT records at {zone.Name} into one.");
        }
        var record = spf[0];
        var terms = record.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var all = terms.LastOrDefault(t => t.TrimStart('+', '-', '~', '?').Equals("all", StringComparison.OrdinalIgnoreCase));
        if (all is null)
        {
            return terms.Any(t => t.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase))
                ? zone.Pass($"zone {zone.Name} has SPF \"{record}\", which delegates its policy with redirect=")
                : zone.Fail($"zone {zone.Name} has SPF \"{record}\" with no \"all\" mechanism: unlisted senders are neutral, not rejected",
                    $"In {DnsScope.Dashboard(zone)}, end the SPF record of {zone.Name} with \"-all\".");
        }
        return all[0] switch
        {
            '-' or '~' => zone.Pass($"zone {zone.Name} has SPF \"{record}\""),
            _ => zone.Fail($"zone {zone.Name} has SPF \"{record}\": \"{all}\" lets any sender pass or stay neutral",
                $"In {DnsScope.Dashboard(zone)}, end the SPF record of {zone.Name} with \"-all\" (or \"~all\" while you roll it out)."),
        };
    }
}
