using Vigil.Core.Checks.Zones;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneUnderAttackNotPermanentTests
{
    private static readonly DateTimeOffset ReadAt = SnapshotBuilder.SyncedAt;
    private readonly ZoneUnderAttackNotPermanent _check = new();

    private static Vigil.Core.Sync.Snapshot UnderAttackSince(DateTimeOffset? since) => new SnapshotBuilder()
        .Zone("shop.example", s => s.WithSetting("security_level", "under_attack").WithFeatures(f => f with
        {
            Settings = new Dictionary<string, string> { ["security_level"] = "under_attack" },
            UnderAttackSince = since,
        }))
        .Build();

    [Fact]
    public void Passes_when_the_mode_is_off()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", s => s.WithSetting("security_level", "high")).Build()))
            .ShouldPass("shop.example", containing: "security level high; I'm Under Attack mode is off");
    }

    [Fact]
    public void Passes_when_a_snapshot_first_sees_the_mode()
    {
        _check.Run(Context(UnderAttackSince(ReadAt))).ShouldPass("shop.example", containing: "first seen on 2025-06-01");
        // The sync dates it at the read, a few seconds before the snapshot commits.
        _check.Run(Context(UnderAttackSince(ReadAt.AddSeconds(-5)))).ShouldPass("shop.example", containing: "first seen on 2025-06-01");
    }

    [Fact]
    public void Passes_within_seven_days_saying_since_when()
    {
        _check.Run(Context(UnderAttackSince(ReadAt.AddDays(-7))))
            .ShouldPass("shop.example", containing: "since 2025-05-25 12:00 UTC (7 days), within the 7-day limit");
    }

    [Fact]
    public void Fails_when_two_snapshots_more_than_seven_days_apart_show_it_saying_since_when()
    {
        var finding = _check.Run(Context(UnderAttackSince(ReadAt.AddDays(-7).AddMinutes(-1))))
            .ShouldFail("shop.example", containing: "zone shop.example has been in I'm Under Attack mode since 2025-05-25 11:59 UTC: 7 days across snapshots");

        Assert.Contains("Security > Settings", finding.Remediation);
        Assert.Contains("/settings/security_level", finding.Remediation);
    }

    [Fact]
    public void Judges_by_the_snapshot_read_not_the_evaluation_time()
    {
        // Evaluated a day after the read: the snapshot shows 6.5 days (7.5 by the clock), so it passes.
        _check.Run(Context(UnderAttackSince(ReadAt.AddDays(-6.5)), now: ReadAt.AddDays(1))).ShouldPass("shop.example", containing: "(6 days)");
    }

    [Fact]
    public void Skips_paused_zones()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("old.example", s => s.WithSetting("security_level", "under_attack"), paused: true).Build()))
            .ShouldBeSkipped("old.example", containing: "paused");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_level_could_not_be_read()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s.WithSetting("security_level", null), id: "z1")
            .Gap("infra", "zone_setting", "z1", missingPermission: "Zone Settings Read", what: "GET /zones/z1/settings/ssl").Build();

        _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example", containing: "'Zone Settings Read'");
    }
}
