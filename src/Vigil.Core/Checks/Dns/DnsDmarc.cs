using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>The zone publishes a DMARC policy that quarantines or rejects mail failing authentication.</summary>
internal sealed class DnsDmarc : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.dns-dmarc",
        Title: "Zone publishes a DMARC policy that quarantines or rejects",
        Severity: Severity.Medium,
        Asserts: "Each active zone whose DNS Cloudflare serves has one DMARC record (a TXT record at _dmarc.ZONE beginning \"v=DMARC1\", RFC 7489) whose policy p= is quarantine or reject; p=none only monitors. A zone that sends no mail (no MX record and SPF \"v=spf1 -all\") passes. Partial and secondary zones are skipped.",
        Remediation: "Add a TXT record at _dmarc.ZONE such as \"v=DMARC1; p=reject; rua=mailto:...\" in Cloudflare dashboard > DNS > Records (or with Email Security > DMARC Management).",
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
        var name = "_dmarc." + zone.Name;
        var dmarc = records.Where(r => r.IsType("TXT") && DnsScope.SameName(r.Name, name)).Select(DnsScope.TxtText)
            .Where(t => t.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase)).ToList();
        // Built only for a finding that needs it: most zones pass.
        string Fix() => $"In {DnsScope.Dashboard(zone)}, set a TXT record at {name} to \"v=DMARC1; p=reject; rua=mailto:dmarc@{zone.Name}\" (p=quarantine while you roll it out).";
        if (dmarc.Count == 0)
        {
            return zone.Fail($"zone {zone.Name} has no DMARC record at {name}: receivers get no policy for mail that fails SPF and DKIM", Fix());
        }
        if (dmarc.Count > 1)
        {
            return zone.Fail($"zone {zone.Name} has {dmarc.Count} DMARC records at {name}; RFC 7489 has receivers ignore them all", $"In {DnsScope.Dashboard(zone)}, keep one DMARC record at {name}.");
        }
        var policy = Tag(dmarc[0], "p");
        return policy?.ToLowerInvariant() switch
        {
            "reject" or "quarantine" => zone.Pass($"zone {zone.Name} has DMARC policy p={policy.ToLowerInvariant()}"),
            null => zone.Fail($"zone {zone.Name} has a DMARC record without a p= policy: \"{dmarc[0]}\"", Fix()),
            _ => zone.Fail($"zone {zone.Name} has DMARC policy p={policy}: mail that fails authentication is still delivered", Fix()),
        };
    }

    /// <summary>The value of a DMARC tag ("p" in "v=DMARC1; p=reject"); null when absent.</summary>
    private static string? Tag(string record, string tag) =>
        record.Split(';').Select(part => part.Split('=', 2)).Where(kv => kv.Length == 2 && kv[0].Trim().Equals(tag, StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv[1].Trim()).FirstOrDefault();
}
