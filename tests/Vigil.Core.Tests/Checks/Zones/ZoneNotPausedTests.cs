using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneNotPausedTests
{
    private readonly ZoneNotPaused _check = new();

    [Fact]
    public void Fails_a_paused_zone()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Zone("cdn.example", paused: true).Zone("shop.example").Build()));

        Assert.Equal(CheckStatus.Fail, result.Status);
        var finding = result.ShouldFail("cdn.example", containing: "Cloudflare passes its traffic through without security features");
        Assert.Contains("Resume Cloudflare on Site", finding.Remediation);
        result.ShouldPass("shop.example", containing: "not paused");
    }

    [Fact]
    public void Fails_a_paused_zone_whatever_its_status()
    {
        // A paused zone that is also pending still bypasses Cloudflare once its DNS points there.
        _check.Run(Context(new SnapshotBuilder().Zone("new.example", status: "pending", paused: true).Build()))
            .ShouldFail("new.example", containing: "is paused");
    }

    [Fact]
    public void Skips_a_zone_that_is_not_active_yet()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("new.example", status: "pending").Build()))
            .ShouldBeSkipped("new.example", containing: "is pending, not active");
    }

    [Fact]
    public void Judges_a_paused_zone_even_when_its_configuration_was_not_read()
    {
        // Paused zones get no per-zone reads at all: the pause alone decides.
        var snapshot = new SnapshotBuilder().Zone("cdn.example", s => s, paused: true).Build();
        var withoutSecurity = snapshot with { Zones = [snapshot.Zones[0] with { Security = null }] };

        _check.Run(Context(withoutSecurity)).ShouldFail("cdn.example", containing: "is paused");
    }

    [Fact]
    public void Is_unknown_when_infrastructure_was_never_synced()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", paused: true).WithoutInfraSync().Build()))
            .ShouldBeUnknown("snapshot", containing: "no infrastructure data synced yet");
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }
}
