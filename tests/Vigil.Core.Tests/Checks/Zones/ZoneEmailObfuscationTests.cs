using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneEmailObfuscationTests
{
    private readonly ZoneEmailObfuscation _check = new();

    [Fact]
    public void Passes_when_on()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures()).Build()))
            .ShouldPass("shop.example", containing: "Email Address Obfuscation on");
    }

    [Fact]
    public void Fails_when_off_naming_the_zone_the_value_and_the_fix()
    {
        var finding = _check.Run(Context(new SnapshotBuilder()
                .Zone("shop.example", s => s.WithSetting("email_obfuscation", "off"))
                .Zone("blog.example", s => s.WithFeatures())
                .Build()))
            .ShouldFail("shop.example", containing: "zone shop.example has Email Address Obfuscation off");

        Assert.Contains("Scrape Shield > Email Address Obfuscation", finding.Remediation);
        Assert.Contains("/settings/email_obfuscation", finding.Remediation);
        _check.Run(Context(new SnapshotBuilder().Zone("blog.example", s => s.WithFeatures()).Build())).ShouldPass("blog.example");
    }

    [Fact]
    public void Skips_zones_that_do_not_serve_traffic_through_cloudflare()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("old.example", s => s.WithSetting("email_obfuscation", "off"), paused: true).Build()))
            .ShouldBeSkipped("old.example", containing: "paused");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_setting_read_was_refused()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s.WithSetting("email_obfuscation", null), id: "z1")
            .Gap("infra", "zone_setting", "z1", missingPermission: "Zone Settings Read", what: "GET /zones/z1/settings/email_obfuscation").Build();

        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "'Zone Settings Read'");
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_reported()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Features = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "the email_obfuscation setting of zone shop.example was not reported");
    }
}
