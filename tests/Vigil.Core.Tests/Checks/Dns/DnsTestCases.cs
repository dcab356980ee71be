using Vigil.Core.Checks;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

/// <summary>The cases every DNS check shares: records not read (Unknown naming DNS Read), zones whose DNS is served elsewhere, inactive zones.</summary>
internal static class DnsTestCases
{
    public static void Is_unknown_naming_dns_read_when_the_records_could_not_be_read(ICheck check)
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", id: "z-1")
            .Gap("infra", "dns_records", "z-1", missingPermission: "DNS Read", what: "GET /zones/z-1/dns_records").Build();

        var finding = check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "GET /zones/z-1/dns_records failed (403 Forbidden); the credential lacks the 'DNS Read' permission");
        Assert.Contains("'DNS Read'", finding.Remediation);
    }

    public static void Is_unknown_when_the_records_were_never_read(ICheck check) =>
        check.Run(Context(new SnapshotBuilder().Zone("shop.example").Build()))
            .ShouldBeUnknown("shop.example", containing: "the DNS records of zone shop.example was not reported");

    public static void Skips_zones_whose_dns_is_served_elsewhere(ICheck check, string type)
    {
        var result = check.Run(Context(new SnapshotBuilder().DnsZone("docs.example", [], type: type).Build()));

        result.ShouldBeSkipped("docs.example", containing: "another provider is authoritative for its DNS");
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    public static void Skips_paused_zones(ICheck check) =>
        check.Run(Context(new SnapshotBuilder().DnsZone("old.example", [], paused: true).Build()))
            .ShouldBeSkipped("old.example", containing: "paused");
}
