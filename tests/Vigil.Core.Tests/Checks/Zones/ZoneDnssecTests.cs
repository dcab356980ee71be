using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneDnssecTests
{
    private readonly ZoneDnssec _check = new();

    [Fact]
    public void Passes_when_active()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example").Build())).ShouldPass("shop.example", containing: "DNSSEC active");
    }

    [Theory]
    [InlineData("disabled", "DNSSEC disabled")]
    [InlineData("pending", "registrar does not publish the DS record")]
    [InlineData("pending-disabled", "DNSSEC pending-disabled")]
    [InlineData("error", "does not match")]
    public void Fails_for_any_other_status(string status, string expected)
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { DnssecStatus = status }).Build()))
            .ShouldFail("shop.example", containing: expected);

        Assert.Contains("DNS > Settings", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_naming_the_missing_permission()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { DnssecStatus = null }, id: "z-1")
            .Gap("infra", "zone_setting", "z-1", missingPermission: "Zone Settings Read")
            .Gap("infra", "dnssec", "z-1", missingPermission: "DNS Read", what: "GET /zones/z-1/dnssec").Build();
        var finding = _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "GET /zones/z-1/dnssec failed (403 Forbidden); the credential lacks the 'DNS Read' permission");

        Assert.Contains("'DNS Read'", finding.Remediation);
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }

    [Theory]
    [InlineData("partial")]
    [InlineData("secondary")]
    public void Skips_zones_whose_dns_is_served_elsewhere(string type)
    {
        // A partial (CNAME setup) zone has no DNSSEC at Cloudflare: failing it was a false fail.
        var result = _check.Run(Context(new SnapshotBuilder().Zone("docs.example", s => s with { DnssecStatus = null }, type: type).Build()));

        result.ShouldBeSkipped("docs.example", containing: "DNS is served elsewhere: DNSSEC is the authoritative provider's job");
        Assert.Equal(Vigil.Core.Checks.CheckStatus.Pass, result.Status);
    }

    [Fact]
    public void Still_judges_full_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { DnssecStatus = "disabled" }, type: "full").Build()))
            .ShouldFail("shop.example", containing: "DNSSEC disabled");
    }
}
