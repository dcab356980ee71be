using Vigil.Core.Checks;
using Vigil.Core.Checks.Dns;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.DnsSpec;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

public sealed class DnsDanglingTests
{
    private readonly DnsDangling _check = new();

    [Fact]
    public void Passes_with_cnames_to_names_that_exist()
    {
        var snapshot = new SnapshotBuilder()
            .DnsZone("shop.example", [A("@", "203.0.113.10"), Cname("www", "shop.example"), Cname("cdn", "assets.static.example"), Cname("img", "x.img.static.example")])
            .DnsZone("static.example", [A("assets", "203.0.113.50"), A("*.img", "203.0.113.51")]).Build();

        _check.Run(Context(snapshot)).ShouldPass("shop.example", containing: "3 CNAME records, none at a takeover-prone");
    }

    [Theory]
    [InlineData("shop-assets.s3-website-us-east-1.amazonaws.com", "AWS S3 website endpoint")]
    [InlineData("shop-assets.s3-website.eu-central-1.amazonaws.com", "AWS S3 website endpoint")]
    [InlineData("shop.azurewebsites.net", "Azure App Service")]
    [InlineData("shop.cloudapp.net", "Azure Cloud Services")]
    [InlineData("shop.trafficmanager.net", "Azure Traffic Manager")]
    [InlineData("shopfiles.blob.core.windows.net", "Azure Blob Storage")]
    [InlineData("shop-123.herokuapp.com", "Heroku")]
    [InlineData("acme.github.io.", "GitHub Pages")]
    [InlineData("Shop-Assets.S3-Website-US-East-1.AmazonAWS.com", "AWS S3 website endpoint")]
    [InlineData(" SHOP.AzureWebsites.NET. ", "Azure App Service")]
    public void Fails_cnames_to_takeover_prone_hosting_as_risks_to_verify(string target, string provider)
    {
        var finding = _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Cname("promo", target, proxied: false)]).Build()))
            .ShouldFail("promo.shop.example", containing: $"({provider}, ");

        Assert.Contains("takeover risk to verify", finding.Reason);
        Assert.Equal("promo.shop.example", finding.ResourceId);
        Assert.Contains("exception", finding.Remediation);
    }

    [Fact]
    public void Does_not_flag_other_amazonaws_names()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Cname("lb", "my-lb-1234.eu-west-1.elb.amazonaws.com")]).Build()))
            .ShouldPass("shop.example");
    }

    [Theory]
    [InlineData("azurewebsites.net")]
    [InlineData("shop.notazurewebsites.net")]
    public void Does_not_flag_a_hosting_suffix_itself_or_a_name_that_only_ends_in_its_letters(string target)
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Cname("promo", target)]).Build()))
            .ShouldPass("shop.example");
    }

    [Fact]
    public void Fails_a_cname_to_a_missing_name_in_its_own_zone()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Cname("www", "shop.example")]).Build()))
            .ShouldFail("www.shop.example", containing: "which has no record in zone shop.example");
    }

    [Fact]
    public void Fails_a_cname_to_a_missing_name_in_a_zone_vigil_knows()
    {
        var snapshot = new SnapshotBuilder()
            .DnsZone("shop.example", [Cname("old", "gone.static.example")])
            .DnsZone("static.example", [A("assets", "203.0.113.50")]).Build();

        _check.Run(Context(snapshot)).ShouldFail("old.shop.example", containing: "points at gone.static.example, which has no record in zone static.example: the CNAME dangles");
    }

    [Fact]
    public void Is_unknown_for_a_cname_into_a_known_zone_whose_records_were_not_read()
    {
        var snapshot = new SnapshotBuilder()
            .DnsZone("shop.example", [Cname("old", "x.static.example")])
            .Zone("static.example").Build();

        _check.Run(Context(snapshot)).ShouldBeUnknown("old.shop.example", containing: "whose records Vigil did not read");
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
