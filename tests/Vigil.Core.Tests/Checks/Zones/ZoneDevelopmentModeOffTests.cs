using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneDevelopmentModeOffTests
{
    private readonly ZoneDevelopmentModeOff _check = new();

    [Fact]
    public void Passes_when_off()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures()).Build()))
            .ShouldPass("shop.example", containing: "Development Mode off");
    }

    [Fact]
    public void Fails_when_on_naming_the_zone_the_value_and_the_fix()
    {
        var finding = _check.Run(Context(new SnapshotBuilder()
                .Zone("shop.example", s => s.WithSetting("development_mode", "on"))
                .Zone("blog.example", s => s.WithFeatures())
                .Build()))
            .ShouldFail("shop.example", containing: "zone shop.example has Development Mode on");

        Assert.Contains("Caching > Configuration > Development Mode", finding.Remediation);
        Assert.Contains("/settings/development_mode", finding.Remediation);
        _check.Run(Context(new SnapshotBuilder().Zone("blog.example", s => s.WithFeatures()).Build())).ShouldPass("blog.example");
    }

    [Fact]
    public void Skips_zones_that_do_not_serve_traffic_through_cloudflare()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("old.example", s => s.WithSetting("development_mode", "on"), paused: true).Build()))
            .ShouldBeSkipped("old.example", containing: "paused");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_setting_read_was_refused()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s.WithSetting("development_mode", null), id: "z1")
            .Gap("infra", "zone_setting", "z1", missingPermission: "Zone Settings Read", what: "GET /zones/z1/settings/development_mode").Build();

        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "'Zone Settings Read'");
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_reported()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Features = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "the development_mode setting of zone shop.example was not reported");
    }
}
