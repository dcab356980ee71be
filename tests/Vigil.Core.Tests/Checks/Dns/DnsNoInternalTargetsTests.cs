using Vigil.Core.Checks;
using Vigil.Core.Checks.Dns;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.DnsSpec;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

public sealed class DnsNoInternalTargetsTests
{
    private readonly DnsNoInternalTargets _check = new();

    [Fact]
    public void Passes_with_public_addresses_only()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [A("@", "203.0.113.10"), Aaaa("v6", "2001:db8::1"), A("edge", "172.32.0.1")]).Build()))
            .ShouldPass("shop.example", containing: "3 A/AAAA records, none at a private");
    }

    [Theory]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.5", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("::1", "loopback")]
    [InlineData("fd12:3456::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("::ffff:10.0.0.1", "private")]
    public void Fails_each_record_at_an_internal_address_naming_the_record(string ip, string kind)
    {
        var type = ip.Contains(':', StringComparison.Ordinal) ? "AAAA" : "A";
        var result = _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [A("@", "203.0.113.10"), new DnsSpec(type, "intranet", ip, false)]).Build()));

        var finding = result.ShouldFail("intranet.shop.example", containing: $"points at {ip}, a {kind}");
        Assert.Equal(ResourceTypes.DnsRecord, finding.ResourceType);
        Assert.Equal("intranet.shop.example", finding.ResourceId);
        Assert.DoesNotContain(result.Findings, f => f.Status == FindingStatus.Pass);
    }

    [Theory]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("fbff::1")]
    public void Does_not_flag_addresses_just_outside_the_ranges(string ip)
    {
        Assert.Null(DnsNoInternalTargets.InternalKind(ip));
    }

    [Fact]
    public void Is_unknown_naming_dns_read_when_the_records_could_not_be_read() => DnsTestCases.Is_unknown_naming_dns_read_when_the_records_could_not_be_read(_check);

    [Fact]
    public void Is_unknown_when_the_records_were_never_read() => DnsTestCases.Is_unknown_when_the_records_were_never_read(_check);

    [Theory]
    [InlineData("partial")]
    [InlineData("secondary")]
    public void Skips_zones_whose_dns_is_served_elsewhere(string type) => DnsTestCases.Skips_zones_whose_dns_is_served_elsewhere(_check, type);

    [Fact]
    public void Skips_paused_zones() => DnsTestCases.Skips_paused_zones(_check);
}
