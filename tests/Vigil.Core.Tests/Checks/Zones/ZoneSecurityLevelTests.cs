using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneSecurityLevelTests
{
    private readonly ZoneSecurityLevel _check = new();

    [Theory]
    [InlineData("low")]
    [InlineData("medium")]
    [InlineData("under_attack")]
    public void Passes_for_levels_that_challenge(string level)
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { SecurityLevel = level }).Build()))
            .ShouldPass("shop.example", containing: $"security level {level}");
    }

    [Theory]
    [InlineData("off")]
    [InlineData("essentially_off")]
    public void Fails_when_off(string level)
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { SecurityLevel = level }, id: "z-1").Build()))
            .ShouldFail("shop.example", containing: $"security level {level}");

        Assert.Contains("PATCH /zones/z-1/settings/security_level", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_read()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { SecurityLevel = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "security_level");
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }
}
