using System.Net;
using System.Net.Sockets;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>No public DNS record gives away an internal address (private, loopback, link-local or carrier-grade NAT).</summary>
internal sealed class DnsNoInternalTargets : ICheck
{
    /// <summary>The ranges that are not reachable from the internet: RFC 1918, loopback, link-local, RFC 6598 shared (CGNAT), IPv6 loopback, unique local and link-local.</summary>
    private static readonly (IPNetwork Network, string Kind)[] InternalRanges =
    [
        (IPNetwork.Parse("10.0.0.0/8"), "private (RFC 1918)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private (RFC 1918)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private (RFC 1918)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT (RFC 6598)"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fc00::/7"), "unique local (RFC 4193)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
    ];

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.dns-no-internal-targets",
        Title: "Zone has no public record pointing at an internal address",
        Severity: Severity.Medium,
        Asserts: "No A or AAAA record of an active zone whose DNS Cloudflare serves points at a private (10/8, 172.16/12, 192.168/16), loopback (127/8, ::1), link-local (169.254/16, fe80::/10), carrier-grade NAT (100.64/10) or unique local (fc00::/7) address: such records map the internal network for anyone who asks and cannot serve the public. Each offending record is a finding named by the record's name. Partial and secondary zones are skipped.",
        Remediation: "Delete the record from the public zone in Cloudflare dashboard > DNS > Records, or move it to internal DNS.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_1, Iso27001.A8_20, Iso27001.A8_22, PciDss.R1_2_1, PciDss.R1_4_1],
        Needs: DataNeeds.Zones | DataNeeds.DnsRecords);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => DnsScope.Evaluate(context, Judge);

    private static IEnumerable<Finding> Judge(Zone zone, IReadOnlyList<DnsRecord> records)
    {
        var addresses = 0;
        var failed = false;
        foreach (var record in records.Where(r => r.IsType("A") || r.IsType("AAAA")))
        {
            addresses++;
            if (InternalKind(record.Content) is { } kind)
            {
                failed = true;
                yield return DnsScope.Finding(zone, record, FindingStatus.Fail,
                    $"{record.Type} record {record.Name} in zone {zone.Name} points at {record.Content.Trim()}, a {kind} address",
                    $"In {DnsScope.Dashboard(zone)}, delete the {record.Type} record {record.Name} → {record.Content.Trim()} or move it to internal DNS.");
            }
        }
        if (!failed)
        {
            yield return zone.Pass($"zone {zone.Name} has {addresses} A/AAAA record{(addresses == 1 ? "" : "s")}, none at a private, loopback, link-local or CGNAT address");
        }
    }

    /// <summary>The kind of internal range the address is in; null for a public address or content that is not an address.</summary>
    internal static string? InternalKind(string content)
    {
        // A loop, not a query: two checks ask this of every A, AAAA and CNAME record.
        if (!IPAddress.TryParse(content.AsSpan().Trim(), out var address))
        {
            return null;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var (network, kind) in InternalRanges)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return kind;
            }
        }
        return null;
    }
}
