using Vigil.Core.Checks;
using Vigil.Core.Checks.Dns;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.DnsSpec;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

public sealed class DnsNoWildcardTests
{
    private readonly DnsNoWildcard _check = new();

    [Fact]
    public void Passes_without_wildcards()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", Compliant("shop.example")).Build()))
            .ShouldPass("shop.example", containing: "no wildcard records among its 7 records");
    }

    [Fact]
    public void Fails_each_wildcard_naming_the_record()
    {
        var result = _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [A("@", "203.0.113.10"), A("*", "203.0.113.10"), Cname("*.dev", "dev.host.example")]).Build()));

        var finding = result.ShouldFail("*.shop.example", containing: "wildcard A record *.shop.example");
        Assert.Equal("*.shop.example", finding.ResourceId);
        result.ShouldFail("*.dev.shop.example", containing: "wildcard CNAME");
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
