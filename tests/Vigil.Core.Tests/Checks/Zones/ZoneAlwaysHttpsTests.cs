using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneAlwaysHttpsTests
{
    private readonly ZoneAlwaysHttps _check = new();

    [Fact]
    public void Passes_when_on()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example").Build())).ShouldPass("shop.example", containing: "Always Use HTTPS on");
    }

    [Fact]
    public void Fails_when_off()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { AlwaysUseHttps = "off" }).Build()))
            .ShouldFail("shop.example", containing: "Always Use HTTPS off");

        Assert.Contains("Edge Certificates > Always Use HTTPS", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_read()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { AlwaysUseHttps = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "always_use_https");
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }
}
