using Vigil.Core.Checks;
using Vigil.Core.Checks.Dns;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.DnsSpec;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

public sealed class DnsDmarcTests
{
    private readonly DnsDmarc _check = new();

    [Theory]
    [InlineData("reject")]
    [InlineData("quarantine")]
    public void Passes_an_enforcing_policy(string policy)
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Mx("@", "mx.mail.example"), Txt("@", "v=spf1 mx -all"), Txt("_dmarc", $"\"v=DMARC1; p={policy}; pct=100\"")]).Build()))
            .ShouldPass("shop.example", containing: $"p={policy}");
    }

    [Fact]
    public void Passes_a_zone_that_sends_no_mail()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("parked.example", [Txt("@", "v=spf1 -all")]).Build()))
            .ShouldPass("parked.example", containing: "sends no mail");
    }

    [Fact]
    public void Fails_p_none()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Mx("@", "mx.mail.example"), Txt("_dmarc", "\"v=DMARC1; p=none; rua=mailto:d@shop.example\"")]).Build()))
            .ShouldFail("shop.example", containing: "p=none: mail that fails authentication is still delivered");
    }

    [Fact]
    public void Fails_without_a_dmarc_record()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Mx("@", "mx.mail.example"), Txt("@", "v=spf1 mx -all")]).Build()))
            .ShouldFail("shop.example", containing: "no DMARC record at _dmarc.shop.example");
        Assert.Contains("p=reject", finding.Remediation);
    }

    [Fact]
    public void Fails_an_spf_minus_all_zone_that_still_has_mx()
    {
        // MX records mean the zone receives (and usually sends) mail: SPF -all alone does not make it mail-free.
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Mx("@", "mx.mail.example"), Txt("@", "v=spf1 -all")]).Build()))
            .ShouldFail("shop.example", containing: "no DMARC record");
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
