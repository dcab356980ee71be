using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneMinTls12Tests
{
    private readonly ZoneMinTls12 _check = new();

    [Theory]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public void Passes_for_1_2_and_higher(string version)
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { MinTlsVersion = version }).Build()))
            .ShouldPass("shop.example", containing: $"requires TLS {version}");
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    public void Fails_naming_the_version_accepted(string version)
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { MinTlsVersion = version }).Build()))
            .ShouldFail("shop.example", containing: $"zone shop.example accepts TLS {version}; minimum is 1.2");

        Assert.Contains("Minimum TLS Version", finding.Remediation);
    }

    [Fact]
    public void Judges_each_zone_separately()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { MinTlsVersion = "1.0" }).Zone("blog.example").Build();
        var result = _check.Run(Context(snapshot));

        result.ShouldFail("shop.example", containing: "1.0");
        result.ShouldPass("blog.example");
    }

    [Fact]
    public void Is_unknown_for_an_unrecognised_version()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { MinTlsVersion = "tls-next" }).Build()))
            .ShouldBeUnknown("shop.example", containing: "'tls-next'");
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_read()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { MinTlsVersion = null })
            .Gap("infra", "zone_setting", null, missingPermission: "Zone Settings Read").Build();
        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "'Zone Settings Read'");
    }

    [Fact]
    public void Passes_with_no_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldPassOverall();
    }
}
