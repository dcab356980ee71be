using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>Web-facing hostnames go through Cloudflare (orange cloud), so the WAF, TLS settings and DDoS protection apply and the origin stays hidden.</summary>
internal sealed class DnsProxied : ICheck
{
    /// <summary>First labels of hostnames that serve mail, file transfer, remote access or name service rather than the web: these cannot be proxied over HTTP.</summary>
    private static readonly HashSet<string> NonWebLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        "mail", "smtp", "imap", "pop", "pop3", "mx", "webmail-smtp", "autodiscover", "autoconfig", "ftp", "sftp", "ssh", "vpn", "ns", "ns1", "ns2", "ns3", "ns4",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NonWebFirstLabels = NonWebLabels.GetAlternateLookup<ReadOnlySpan<char>>();

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.dns-proxied",
        Title: "Web-facing DNS records are proxied through Cloudflare",
        Severity: Severity.Medium,
        Asserts: "Every web-facing A, AAAA or CNAME record of an active zone whose DNS Cloudflare serves is proxied (orange cloud), so Cloudflare's WAF, TLS settings and DDoS protection apply and the origin address stays hidden. Not web-facing, and not judged: records Cloudflare reports as not proxiable, names with a label starting with \"_\" (service and verification records), names that are the zone's MX targets or start with a mail, file-transfer, remote-access or name-server label (mail, smtp, imap, pop, autodiscover, ftp, ssh, vpn, ns1...), and records at internal addresses. Each DNS-only record is a finding named by the record's name, so an exception can excuse it. Partial and secondary zones are skipped.",
        Remediation: "Turn on the proxy (orange cloud) for the record in Cloudflare dashboard > DNS > Records, or record an exception when it must stay DNS-only.",
        Frameworks: [Soc2.CC6_6, Soc2.CC6_7, Iso27001.A8_20, Iso27001.A8_21, PciDss.R1_4_1, PciDss.R6_4_1],
        Needs: DataNeeds.Zones | DataNeeds.DnsRecords);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => DnsScope.Evaluate(context, Judge);

    private static IEnumerable<Finding> Judge(Zone zone, IReadOnlyList<DnsRecord> records)
    {
        HashSet<string>? mailTargets = null;
        foreach (var record in records)
        {
            if (record.IsType("MX"))
            {
                (mailTargets ??= new(StringComparer.OrdinalIgnoreCase)).Add(record.Content.Trim().TrimEnd('.'));
            }
        }
        var judged = 0;
        var failed = false;
        foreach (var record in records.Where(r => IsWebFacing(r, mailTargets)))
        {
            judged++;
            if (record.Proxied != true)
            {
                failed = true;
                yield return DnsScope.Finding(zone, record, FindingStatus.Fail,
                    $"{record.Type} record {record.Name} in zone {zone.Name} is DNS-only (not proxied): traffic to it bypasses Cloudflare and reveals {record.Content.Trim()}",
                    $"In {DnsScope.Dashboard(zone)}, turn on the proxy (orange cloud) for {record.Name}, or record an exception for {record.Name} when it must stay DNS-only.");
            }
        }
        if (!failed)
        {
            yield return zone.Pass(judged == 0
                ? $"zone {zone.Name} has no web-facing A, AAAA or CNAME record"
                : $"zone {zone.Name} proxies all {judged} web-facing A, AAAA and CNAME record{(judged == 1 ? "" : "s")}");
        }
    }

    private static bool IsWebFacing(DnsRecord record, HashSet<string>? mailTargets)
    {
        if (!(record.IsType("A") || record.IsType("AAAA") || record.IsType("CNAME")) || record.Proxiable == false)
        {
            return false;
        }
        var name = record.Name.AsSpan().TrimEnd('.');
        var dot = name.IndexOf('.');
        var firstLabel = dot < 0 ? name : name[..dot];
        if (name.StartsWith("_") || name.Contains("._", StringComparison.Ordinal) || NonWebFirstLabels.Contains(firstLabel)
            || (mailTargets is not null && mailTargets.Contains(record.Name.TrimEnd('.'))))
        {
            return false;
        }
        return DnsNoInternalTargets.InternalKind(record.Content) is null;
    }
}
