using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneSslStrictTests
{
    private readonly ZoneSslStrict _check = new();

    [Fact]
    public void Passes_for_strict()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Ssl = "strict" }).Build()))
            .ShouldPass("shop.example", containing: "strict");
    }

    [Theory]
    [InlineData("full")]
    [InlineData("flexible")]
    [InlineData("off")]
    public void Fails_for_weaker_modes(string mode)
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Ssl = mode }).Build()))
            .ShouldFail("shop.example", containing: $"uses SSL mode {mode}; required is strict");

        Assert.Contains("SSL/TLS > Overview", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_read()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Ssl = null }, id: "z-1")
            .Gap("infra", "zone_setting", "z-1", missingPermission: "Zone Settings Read").Build();
        var result = _check.Run(Context(snapshot));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("shop.example", containing: "the ssl setting of zone shop.example could not be read");
    }

    [Fact]
    public void Is_unknown_without_a_gap_saying_the_api_did_not_report_it()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Ssl = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "was not reported by the Cloudflare API");
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }
}
