using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>
/// The shared frame of the DNS checks, written once: the zone frame of <see cref="ZoneScope"/> (no data, unlisted zones,
/// inactive zones skipped), then partial and secondary zones skipped (another provider serves their DNS) and zones whose
/// records were not read Unknown, naming the failed read and the 'DNS Read' permission. A check supplies only the
/// judgement of one zone's records.
/// </summary>
internal static class DnsScope
{
    public static readonly ZoneRead Read = new("dns_records", "the DNS records", "DNS Read");

    public static IEnumerable<Finding> Evaluate(EvaluationContext context, Func<Zone, IReadOnlyList<DnsRecord>, IEnumerable<Finding>> judge) =>
        ZoneScope.EvaluateZones(context, zone =>
            !zone.IsMonitored ? [zone.Skip(ZoneScope.NotMonitoredReason(zone))]
            : Zone.ServesDnsElsewhere(zone.Type)
                ? [zone.Skip($"zone {zone.Name} is a {zone.Type} zone: another provider is authoritative for its DNS, so its records are judged there")]
            : zone.Security?.Features?.DnsRecordCount is null ? [ZoneScope.Unreadable(context, zone, Read)]
            : judge(zone, context.DnsRecordListOf(zone.Id)));

    /// <summary>A finding on one record, its resource id the record's name so that an exception can name it.</summary>
    public static Finding Finding(Zone zone, DnsRecord record, FindingStatus status, string reason, string? remediation) =>
        new(status, ResourceTypes.DnsRecord, record.Name, zone.AccountId, record.Name, reason, remediation);

    /// <summary>Records at the zone's apex (name equal to the zone name).</summary>
    public static IEnumerable<DnsRecord> AtApex(Zone zone, IEnumerable<DnsRecord> records) =>
        records.Where(r => SameName(r.Name, zone.Name));

    /// <summary>Names compared as DNS does (case-insensitive, a trailing dot ignored), without allocating: 200,000 records are compared per check.</summary>
    public static bool SameName(string a, string b) =>
        a.AsSpan().TrimEnd('.').Equals(b.AsSpan().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A TXT record's text: Cloudflare may return it in quotes, and long values as several quoted strings
    /// (<c>"v=spf1 ..." "... -all"</c>), which DNS joins without a separator.
    /// </summary>
    public static string TxtText(DnsRecord record)
    {
        var content = record.Content.Trim();
        if (!content.StartsWith('"'))
        {
            return content;
        }
        var text = new System.Text.StringBuilder(content.Length);
        var inQuotes = false;
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == '\\' && inQuotes && i + 1 < content.Length)
            {
                text.Append(content[++i]);
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (inQuotes)
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    /// <summary>The SPF records at the zone's apex (TXT beginning "v=spf1", RFC 7208 section 4.5), as text.</summary>
    public static List<string> SpfRecords(Zone zone, IEnumerable<DnsRecord> records) =>
        [.. AtApex(zone, records).Where(r => r.IsType("TXT")).Select(TxtText)
            .Where(t => t.Equals("v=spf1", StringComparison.OrdinalIgnoreCase) || t.StartsWith("v=spf1 ", StringComparison.OrdinalIgnoreCase))];

    /// <summary>
    /// A zone that sends no mail: no MX record at its apex, and its only SPF record is "v=spf1 -all" (no sender may use
    /// the domain). Such a zone passes the mail checks.
    /// </summary>
    public static bool SendsNoMail(Zone zone, IReadOnlyList<DnsRecord> records)
    {
        if (AtApex(zone, records).Any(r => r.IsType("MX")))
        {
            return false;
        }
        var spf = SpfRecords(zone, records);
        return spf.Count == 1 && string.Join(' ', spf[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)).Equals("v=spf1 -all", StringComparison.OrdinalIgnoreCase);
    }

    public static string NoMailReason(Zone zone) => $"zone {zone.Name} sends no mail: it has no MX record and its SPF record is \"v=spf1 -all\"";

    public static string Dashboard(Zone zone) => $"Cloudflare dashboard > {zone.Name} > DNS > Records";
}
