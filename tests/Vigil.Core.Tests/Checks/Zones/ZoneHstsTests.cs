using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneHstsTests
{
    private readonly ZoneHsts _check = new();

    [Fact]
    public void Passes_when_enabled_with_a_long_max_age_and_subdomains_stating_each_value()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example").Build()))
            .ShouldPass("shop.example", containing: "enabled on, max-age 31536000 seconds (minimum 15552000), includeSubDomains on, preload off");
    }

    [Fact]
    public void Passes_at_exactly_six_months()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Hsts = new HstsPolicy(true, 15_552_000, true, false) }).Build();
        _check.Run(Context(snapshot)).ShouldPass("shop.example", containing: "max-age 15552000 seconds");
    }

    [Fact]
    public void Fails_a_max_age_below_six_months()
    {
        // A one-day HSTS policy used to pass as "max-age above zero": browsers forget it after a day away.
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Hsts = new HstsPolicy(true, 86_400, true, false) }).Build();
        var finding = _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "max-age 86400 seconds is below 15552000");

        Assert.Contains("includeSubDomains on", finding.Reason);
        Assert.Contains("at least 15552000 seconds", finding.Remediation);
    }

    [Fact]
    public void Fails_without_include_subdomains()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Hsts = new HstsPolicy(true, 31_536_000, false, false) }).Build();
        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "includeSubDomains is off");
    }

    [Fact]
    public void The_minimum_max_age_is_configurable()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Hsts = new HstsPolicy(true, 86_400, true, false) }).Build();
        var options = CheckOptions.Default with { HstsMinMaxAge = TimeSpan.FromDays(1) };

        _check.Run(Context(snapshot, options: options)).ShouldPass("shop.example", containing: "max-age 86400 seconds (minimum 86400)");
        _check.Run(Context(snapshot, options: options with { HstsMinMaxAge = TimeSpan.FromDays(365) }))
            .ShouldFail("shop.example", containing: "is below 31536000");
    }

    [Fact]
    public void Fails_when_disabled()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { Hsts = new HstsPolicy(false, 0, false, false) }).Build();
        var finding = _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "does not send HSTS (strict_transport_security is disabled): enabled off, max-age 0 seconds");

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
