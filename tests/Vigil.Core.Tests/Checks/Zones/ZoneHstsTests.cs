using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneHstsTests
{
    private readonly ZoneHsts _check = new();

    [Fact]
    public void Passes_when_enabled_with_a_max_age()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example").Build()))
            .ShouldPass("shop.example", containing: "max-age 31536000 seconds; includeSubDomains");
    }

    [Fact]
    public void Fails_when_disabled()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Hsts = new HstsPolicy(false, 0, false, false) }).Build();
        var finding = _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "does not send HSTS");

        Assert.Contains("HTTP Strict Transport Security (HSTS)", finding.Remediation);
    }

    [Fact]
    public void Fails_when_enabled_with_zero_max_age()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Hsts = new HstsPolicy(true, 0, false, false) }).Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "max-age 0");
    }

    [Fact]
    public void Is_unknown_when_the_security_header_was_not_read()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Hsts = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "security_header");
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }
}
