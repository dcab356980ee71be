using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneAutomaticHttpsRewritesTests
{
    private readonly ZoneAutomaticHttpsRewrites _check = new();

    [Fact]
    public void Passes_when_on()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures()).Build()))
            .ShouldPass("shop.example", containing: "Automatic HTTPS Rewrites on");
    }

    [Fact]
    public void Fails_when_off_naming_the_zone_the_value_and_the_fix()
    {
        var finding = _check.Run(Context(new SnapshotBuilder()
                .Zone("shop.example", s => s.WithSetting("automatic_https_rewrites", "off"))
                .Zone("blog.example", s => s.WithFeatures())
                .Build()))
            .ShouldFail("shop.example", containing: "zone shop.example has Automatic HTTPS Rewrites off");

        Assert.Contains("SSL/TLS > Edge Certificates > Automatic HTTPS Rewrites", finding.Remediation);
        Assert.Contains("/settings/automatic_https_rewrites", finding.Remediation);
        _check.Run(Context(new SnapshotBuilder().Zone("blog.example", s => s.WithFeatures()).Build())).ShouldPass("blog.example");
    }

    [Fact]
    public void Skips_zones_that_do_not_serve_traffic_through_cloudflare()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("old.example", s => s.WithSetting("automatic_https_rewrites", "off"), paused: true).Build()))
            .ShouldBeSkipped("old.example", containing: "paused");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_setting_read_was_refused()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s.WithSetting("automatic_https_rewrites", null), id: "z1")
            .Gap("infra", "zone_setting", "z1", missingPermission: "Zone Settings Read", what: "GET /zones/z1/settings/automatic_https_rewrites").Build();

        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "'Zone Settings Read'");
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_reported()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Features = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "the automatic_https_rewrites setting of zone shop.example was not reported");
    }
}
