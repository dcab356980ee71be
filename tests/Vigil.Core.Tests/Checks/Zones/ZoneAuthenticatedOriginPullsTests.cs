using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneAuthenticatedOriginPullsTests
{
    private readonly ZoneAuthenticatedOriginPulls _check = new();

    [Theory]
    [InlineData("strict")]
    [InlineData("full")]
    [InlineData("origin_pull")]
    public void Passes_when_enabled_with_an_encrypted_origin_connection(string ssl)
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures() with { Ssl = ssl }).Build()))
            .ShouldPass("shop.example", containing: "Authenticated Origin Pulls enabled");
    }

    [Fact]
    public void Fails_when_disabled_naming_the_zone_and_the_fix()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures(f => f with { AuthenticatedOriginPullsEnabled = false })).Build()))
            .ShouldFail("shop.example", containing: "zone shop.example has Authenticated Origin Pulls disabled");

        Assert.Contains("SSL/TLS > Origin Server", finding.Remediation);
        Assert.Contains("/origin_tls_client_auth/settings", finding.Remediation);
    }

    [Theory]
    [InlineData("flexible")]
    [InlineData("off")]
    public void Is_not_applicable_when_the_origin_connection_is_not_encrypted(string ssl)
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures(f => f with { AuthenticatedOriginPullsEnabled = false }) with { Ssl = ssl }).Build()))
            .ShouldBeSkipped("shop.example", containing: $"SSL/TLS mode {ssl}");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_read_was_refused()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures(f => f with { AuthenticatedOriginPullsEnabled = null }), id: "z1")
            .Gap("infra", "origin_pulls", "z1", missingPermission: "SSL and Certificates Read", what: "GET /zones/z1/origin_tls_client_auth/settings").Build();

        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "'SSL and Certificates Read'");
    }

    [Fact]
    public void Skips_paused_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("old.example", s => s.WithFeatures(f => f with { AuthenticatedOriginPullsEnabled = false }), paused: true).Build()))
            .ShouldBeSkipped("old.example", containing: "paused");
    }
}
