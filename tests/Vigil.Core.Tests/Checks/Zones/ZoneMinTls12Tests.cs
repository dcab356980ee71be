using Vigil.Core.Inventory;
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

    [Fact]
    public void Fails_a_hostname_override_below_1_2_naming_the_hostname()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with
        {
            HostnameMinTls = [new HostnameSetting("legacy.shop.example", "1.0", "active"), new HostnameSetting("api.shop.example", "1.3", "active")],
        }, plan: "business").Build();

        var finding = _check.Run(Context(snapshot))
            .ShouldFail("shop.example", containing: "requires TLS 1.2, but per-hostname overrides lower it: legacy.shop.example accepts TLS 1.0; minimum is 1.2");
        Assert.DoesNotContain("api.shop.example", finding.Reason);
        Assert.Contains("hostnames/settings/min_tls_version", finding.Remediation);
    }

    [Fact]
    public void Names_weak_hostnames_also_when_the_zone_itself_fails()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with
        {
            MinTlsVersion = "1.0",
            HostnameMinTls = [new HostnameSetting("old.shop.example", "1.1", null)],
        }, plan: "pro").Build();

        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "accepts TLS 1.0; minimum is 1.2; hostnames: old.shop.example accepts TLS 1.1");
    }

    [Fact]
    public void Passes_with_overrides_at_or_above_1_2_saying_so()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { HostnameMinTls = [new HostnameSetting("api.shop.example", "1.3", "active")] }, plan: "enterprise").Build();

        _check.Run(Context(snapshot)).ShouldPass("shop.example", containing: "1 per-hostname override, none below 1.2");
    }

    [Fact]
    public void Says_why_overrides_were_not_read()
    {
        var snapshot = new SnapshotBuilder()
            .Zone("free.example", s => s with { HostnameMinTls = null }, plan: "free")
            .Zone("paid.example", s => s with { HostnameMinTls = null }, plan: "business", id: "z-2")
            .Gap("infra", "hostname_tls", "z-2", missingPermission: "SSL and Certificates Read", what: "GET /zones/z-2/hostnames/settings/min_tls_version")
            .Build();
        var result = _check.Run(Context(snapshot));

        result.ShouldPass("free.example", containing: "not read: the free plan has no per-hostname TLS settings");
        var paid = result.ShouldPass("paid.example", containing: "per-hostname overrides could not be read");
        Assert.Contains("SSL and Certificates Read", paid.Reason);
    }
}
