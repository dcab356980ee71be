using Vigil.Core.Checks;
using Vigil.Core.Checks.Dns;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.DnsSpec;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

public sealed class DnsProxiedTests
{
    private readonly DnsProxied _check = new();

    [Fact]
    public void Passes_when_web_records_are_proxied_and_leaves_mail_and_service_names_alone()
    {
        var records = Compliant("shop.example").Concat([Cname("_acme-challenge", "x.acme.example", proxied: false), A("ftp", "203.0.113.30", proxied: false),
            new DnsSpec("A", "legacy", "203.0.113.40", Proxied: false, Proxiable: false), A("vpn-int", "10.0.0.9", proxied: false)]);

        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", records).Build()))
            .ShouldPass("shop.example", containing: "proxies all 2 web-facing");
    }

    [Fact]
    public void Fails_each_dns_only_web_record_naming_it()
    {
        var result = _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [A("@", "203.0.113.10"), A("api", "203.0.113.11", proxied: false), Cname("blog", "blog.host.example", proxied: false)]).Build()));

        var finding = result.ShouldFail("api.shop.example", containing: "is DNS-only (not proxied)");
        Assert.Equal("api.shop.example", finding.ResourceId);
        Assert.Contains("exception", finding.Remediation);
        result.ShouldFail("blog.shop.example", containing: "reveals blog.host.example");
    }

    [Fact]
    public void Passes_a_zone_without_web_records()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("mailonly.example", [Mx("@", "mx.mail.example"), Txt("@", "v=spf1 mx -all")]).Build()))
            .ShouldPass("mailonly.example", containing: "no web-facing");
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
