using Vigil.Core.Checks;
using Vigil.Core.Checks.Dns;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.DnsSpec;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

public sealed class DnsCaaTests
{
    private readonly DnsCaa _check = new();

    [Fact]
    public void Passes_when_caa_names_a_cloudflare_ca_and_says_the_ca_is_not_known()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", Compliant("shop.example")).Build()))
            .ShouldPass("shop.example", containing: "allowing letsencrypt.org; Vigil does not know which CA issues this zone's edge certificates");
    }

    [Fact]
    public void Reads_caa_from_content_when_data_is_absent_and_ignores_parameters()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [new DnsSpec("CAA", "@", "0 issue \"pki.goog; cansignhttpexchanges=yes\"")]).Build()))
            .ShouldPass("shop.example", containing: "pki.goog");
    }

    [Fact]
    public void Fails_without_caa()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [A("@", "203.0.113.1")]).Build()))
            .ShouldFail("shop.example", containing: "no CAA record at its apex");
    }

    [Fact]
    public void Fails_when_caa_names_only_other_cas()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("@", "issue", "entrust.net"), Caa("@", "iodef", "mailto:sec@shop.example")]).Build()))
            .ShouldFail("shop.example", containing: "naming entrust.net but none of Cloudflare's CAs");
    }

    [Fact]
    public void Ignores_caa_on_subdomains()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("www", "issue", "letsencrypt.org")]).Build()))
            .ShouldFail("shop.example", containing: "no CAA record at its apex");
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
