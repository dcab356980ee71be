using Vigil.Core.Checks;
using Vigil.Core.Checks.Dns;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.DnsSpec;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

public sealed class DnsSpfTests
{
    private readonly DnsSpf _check = new();

    [Fact]
    public void Passes_with_one_spf_record_ending_in_dash_all()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", Compliant("shop.example")).Build()))
            .ShouldPass("shop.example", containing: "SPF \"v=spf1 mx -all\"");
    }

    [Fact]
    public void Passes_a_zone_that_sends_no_mail()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("parked.example", [Txt("@", "\"v=spf1 -all\"")]).Build()))
            .ShouldPass("parked.example", containing: "sends no mail: it has no MX record");
    }

    [Fact]
    public void Joins_quoted_strings_of_a_long_txt_record()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Mx("@", "mx.mail.example"), Txt("@", "\"v=spf1 include:_spf.mail.example \" \"~all\"")]).Build()))
            .ShouldPass("shop.example", containing: "~all");
    }

    [Theory]
    [InlineData("\"v=spf1 +all\"", "lets any sender pass")]
    [InlineData("\"v=spf1 mx ?all\"", "\"?all\"")]
    [InlineData("\"v=spf1 mx\"", "no \"all\" mechanism")]
    public void Fails_a_permissive_spf_record(string spf, string expected)
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Mx("@", "mx.mail.example"), Txt("@", spf)]).Build()))
            .ShouldFail("shop.example", containing: expected);
    }

    [Fact]
    public void Fails_without_spf()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Mx("@", "mx.mail.example"), Txt("@", "\"google-site-verification=abc\"")]).Build()))
            .ShouldFail("shop.example", containing: "no SPF record although it has MX records");
    }

    [Fact]
    public void Fails_with_two_spf_records()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Txt("@", "v=spf1 mx -all"), Txt("@", "v=spf1 include:x.example -all")]).Build()))
            .ShouldFail("shop.example", containing: "2 SPF records");
    }

    [Fact]
    public void Reads_only_the_apex()
    {
        // An SPF record on a subdomain does not cover the zone's own domain.
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Mx("@", "mx.mail.example"), Txt("news", "v=spf1 -all")]).Build()))
            .ShouldFail("shop.example", containing: "no SPF record");
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
