using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

/// <summary>What every zone check does the same way: missing data, unlisted zones, zones that are not active.</summary>
public sealed class ZoneScopeTests
{
    public static TheoryData<ICheck> ZoneChecks() =>
        [.. CheckCatalog.All.Where(c => c.GetType().Namespace == typeof(ZoneSslStrict).Namespace)];

    /// <summary>The checks that judge a zone's configuration; cloudflare.zone-not-paused judges the pause itself (its own tests).</summary>
    public static TheoryData<ICheck> ConfigurationChecks() =>
        [.. CheckCatalog.All.Where(c => c.GetType().Namespace == typeof(ZoneSslStrict).Namespace && c is not ZoneNotPaused)];

    [Fact]
    public void Every_zone_check_is_covered_here()
    {
        Assert.Equal(19, ZoneChecks().Count);
        Assert.Equal(18, ConfigurationChecks().Count);
    }

    [Theory]
    [MemberData(nameof(ConfigurationChecks))]
    public void Paused_and_pending_zones_are_skipped_with_a_reason(ICheck check)
    {
        var snapshot = new SnapshotBuilder()
            .Zone("paused.example", s => s with { MinTlsVersion = "1.0", Ssl = "off" }, paused: true)
            .Zone("pending.example", status: "pending")
            .Build();
        var result = check.Run(Context(snapshot));

        result.ShouldBeSkipped("paused.example", containing: "is paused");
        result.ShouldBeSkipped("pending.example", containing: "is pending, not active");
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Theory]
    [MemberData(nameof(ZoneChecks))]
    public void No_zones_passes_with_a_reason(ICheck check)
    {
        var result = check.Run(Context(new SnapshotBuilder().Account().Build()));

        result.ShouldBeSkipped("snapshot", containing: "no zones in the synced accounts");
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Theory]
    [MemberData(nameof(ZoneChecks))]
    public void Is_unknown_when_infrastructure_was_never_synced(ICheck check)
    {
        var result = check.Run(Context(new SnapshotBuilder().Zone("shop.example").WithoutInfraSync().Build()));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("snapshot", containing: "no infrastructure data synced yet: run vigil sync");
    }

    [Theory]
    [MemberData(nameof(ZoneChecks))]
    public void Is_unknown_for_an_account_whose_zones_could_not_be_listed(ICheck check)
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example").Account("acc-2", "Side project")
            .Gap("infra", "zone", "acc-2", missingPermission: "Zone Read", what: "GET /zones?account.id=acc-2").Build();
        var result = check.Run(Context(snapshot));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("Side project", containing: "'Zone Read'");
        result.ShouldPass("shop.example");
    }

    [Theory]
    [MemberData(nameof(ConfigurationChecks))]
    public void Is_unknown_when_a_zones_configuration_was_not_read(ICheck check)
    {
        var snapshot = new SnapshotBuilder().ZoneWithoutSecurity("shop.example", id: "z-1")
            .Gap("infra", "zone_setting", "z-1", missingPermission: "Zone Settings Read", what: "GET /zones/z-1/settings").Build();
        var finding = check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "could not be read");

        Assert.Contains("Zone Settings Read", finding.Remediation);
    }

    [Theory]
    [MemberData(nameof(ZoneChecks))]
    public void Compliant_zones_pass_with_the_zone_named(ICheck check)
    {
        var result = check.Run(Context(new SnapshotBuilder().Zone("shop.example", id: "z-1").Build()));

        result.ShouldPassOverall();
        var finding = result.ShouldPass("shop.example", containing: "shop.example");
        Assert.Equal(("zone", "z-1", SnapshotBuilder.DefaultAccountId), (finding.ResourceType, finding.ResourceId, finding.AccountId));
        Assert.Null(finding.Remediation);
    }
}
