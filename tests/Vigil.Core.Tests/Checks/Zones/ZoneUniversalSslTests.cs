using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneUniversalSslTests
{
    private readonly ZoneUniversalSsl _check = new();

    [Fact]
    public void Passes_when_enabled()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures()).Build()))
            .ShouldPass("shop.example", containing: "Universal SSL enabled");
    }

    [Fact]
    public void Fails_when_disabled_naming_the_zone_and_the_fix()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures(f => f with { UniversalSslEnabled = false })).Build()))
            .ShouldFail("shop.example", containing: "zone shop.example has Universal SSL disabled");

        Assert.Contains("SSL/TLS > Edge Certificates", finding.Remediation);
        Assert.Contains("/ssl/universal/settings", finding.Remediation);
    }

    [Fact]
    public void Skips_pending_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("new.example", s => s.WithFeatures(f => f with { UniversalSslEnabled = false }), status: "pending").Build()))
            .ShouldBeSkipped("new.example", containing: "pending");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_read_was_refused()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s.WithFeatures(f => f with { UniversalSslEnabled = null }), id: "z1")
            .Gap("infra", "hostname_tls", "z1", missingPermission: "SSL and Certificates Read", what: "GET /zones/z1/hostnames/settings/min_tls_version")
            .Gap("infra", "universal_ssl", "z1", missingPermission: "SSL and Certificates Read", what: "GET /zones/z1/ssl/universal/settings").Build();

        var finding = _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "'SSL and Certificates Read'");
        Assert.Contains("/ssl/universal/settings", finding.Reason);
    }

    [Fact]
    public void Is_unknown_when_nothing_beyond_the_core_settings_was_read()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s with { Features = null }).Build()))
            .ShouldBeUnknown("shop.example", containing: "Universal SSL setting of zone shop.example was not reported");
    }
}
