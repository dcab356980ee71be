using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Sync;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks;

/// <summary>Findings are only as good as their data: every finding says when its data was read, and old data never passes.</summary>
public sealed class StaleDataTests
{
    private static readonly DateTimeOffset ReadAt = new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero);
    private const string AccessFailure = "The access stage of connection 'acme' failed and kept the previous data: Cloudflare answered HTTP 500.";

    [Fact]
    public void Each_finding_says_when_its_data_was_read_by_stage()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Zone("shop.example").ReadAt(ReadAt, infra: ReadAt.AddHours(2)).Build();
        var now = ReadAt.AddHours(3);
        var evaluation = CheckRunner.Evaluate(Context(snapshot, [Active("jane@acme.test")], system: Cloudflare("engineer"), now: now));

        Assert.All(Result(evaluation, Member2faEnabled.Definition.Id).Findings, f => Assert.Equal(ReadAt, f.ObservedAt));
        Assert.All(Result(evaluation, ZoneMinTls12.Definition.Id).Findings, f => Assert.Equal(ReadAt.AddHours(2), f.ObservedAt));
        // The critical-system registration lives in Vigil: it is read as the checks run.
        Assert.All(Result(evaluation, AccessControlConfigured.Definition.Id).Findings, f => Assert.Equal(now, f.ObservedAt));
        Assert.Equal(ReadAt, evaluation.Data!.Access.SyncedAt);
        Assert.Equal(ReadAt.AddHours(2), evaluation.Data.Infra.SyncedAt);
    }

    [Fact]
    public void Each_zone_carried_over_by_an_incremental_sync_is_judged_by_its_own_last_read()
    {
        var built = new SnapshotBuilder().Zone("shop.example").Zone("old.example").ReadAt(ReadAt, infra: ReadAt.AddHours(40)).Build();
        var snapshot = built with
        {
            Zones = [.. built.Zones.Select(z => z with { ObservedAt = z.Name == "old.example" ? ReadAt.AddHours(-10) : ReadAt.AddHours(40) })],
        };
        var result = new ZoneMinTls12().Run(Context(snapshot, now: ReadAt.AddHours(41)));

        var fresh = Assert.Single(result.Findings, f => f.Subject == "shop.example");
        Assert.NotEqual(FindingStatus.Unknown, fresh.Status);
        Assert.Equal(ReadAt.AddHours(40), fresh.ObservedAt);
        var stale = result.ShouldBeUnknown("old.example", containing: "this zone's data from 2026-09-01 00:00 UTC is older than 48 h");
        Assert.Equal(ReadAt.AddHours(-10), stale.ObservedAt);
    }

    [Fact]
    public void Resources_all_read_at_one_moment_are_judged_by_that_moment_as_written()
    {
        var built = new SnapshotBuilder().Member("jane@acme.test").Member("bob@acme.test").Zone("shop.example").Zone("old.example")
            .ReadAt(ReadAt, infra: ReadAt.AddHours(40)).Build();
        // A full sync stamps every resource with one moment, here written with its own offset, which each finding keeps.
        var longAgo = new DateTimeOffset(2026, 8, 30, 9, 0, 0, TimeSpan.FromHours(2));
        var snapshot = built with
        {
            Zones = [.. built.Zones.Select(z => z with { ObservedAt = longAgo })],
            Members = [.. built.Members.Select(m => m with { ObservedAt = longAgo })],
        };
        var now = ReadAt.AddHours(41);

        var zones = new ZoneMinTls12().Run(Context(snapshot, now: now));
        Assert.Equal(2, zones.Findings.Count);
        zones.ShouldBeUnknown("old.example", containing: "this zone's data from 2026-08-30 07:00 UTC is older than 48 h");
        Assert.All(zones.Findings, f => Assert.True(longAgo.EqualsExact(f.ObservedAt!.Value)));
        var members = new Member2faEnabled().Run(Context(snapshot, [Active("jane@acme.test"), Active("bob@acme.test")], now: now));
        members.ShouldBeUnknown("bob@acme.test", containing: "this member's data from 2026-08-30 07:00 UTC is older than 48 h");
        Assert.All(members.Findings, f => Assert.True(longAgo.EqualsExact(f.ObservedAt!.Value)));

        var recently = ReadAt.AddHours(39).ToOffset(TimeSpan.FromHours(-5));
        var fresh = snapshot with { Zones = [.. built.Zones.Select(z => z with { ObservedAt = recently })] };
        var judged = new ZoneMinTls12().Run(Context(fresh, now: now));
        Assert.All(judged.Findings, f =>
        {
            Assert.NotEqual(FindingStatus.Unknown, f.Status);
            Assert.True(recently.EqualsExact(f.ObservedAt!.Value));
        });
    }

    [Fact]
    public void Data_older_than_the_maximum_age_makes_a_passing_check_unknown()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").ReadAt(ReadAt).Build();
        var clock = new FakeTimeProvider(ReadAt.AddHours(48));

        var fresh = new Member2faEnabled().Run(Context(snapshot, now: clock.GetUtcNow()));
        fresh.ShouldPass("jane@acme.test");

        clock.Advance(TimeSpan.FromMinutes(1));
        var stale = new Member2faEnabled().Run(Context(snapshot, now: clock.GetUtcNow()));

        Assert.Equal(CheckStatus.Unknown, stale.Status);
        var finding = stale.ShouldBeUnknown("jane@acme.test", containing: "data from 2026-09-01 10:00 UTC is older than 48 h");
        Assert.Contains("vigil sync", finding.Remediation);
        Assert.Equal(ReadAt, finding.ObservedAt);
    }

    [Fact]
    public void Stale_data_makes_failing_findings_unknown_too()
    {
        var snapshot = new SnapshotBuilder().Member("bob@acme.test", twoFactor: false).ReadAt(ReadAt).Build();

        var result = new Member2faEnabled().Run(Context(snapshot, now: ReadAt.AddDays(5)));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Contains("on that data: fail", result.ShouldBeUnknown("bob@acme.test", containing: "is older than 48 h").Reason);
    }

    [Fact]
    public void Only_checks_on_the_stale_stage_become_unknown()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Zone("shop.example").ReadAt(ReadAt.AddDays(3), infra: ReadAt).Build();
        var context = Context(snapshot, [Active("jane@acme.test")], now: ReadAt.AddDays(3).AddHours(1));

        new Member2faEnabled().Run(context).ShouldPassOverall();
        new ZoneMinTls12().Run(context).ShouldBeUnknown("shop.example", containing: "infrastructure data from 2026-09-01 10:00 UTC is older than 48 h");
    }

    [Fact]
    public void The_maximum_age_comes_from_the_options()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example").ReadAt(ReadAt).Build();

        var lenient = new CheckOptions(TimeSpan.Zero) { MaxDataAge = TimeSpan.FromHours(72) };
        new ZoneMinTls12().Run(Context(snapshot, now: ReadAt.AddHours(60), options: lenient)).ShouldPassOverall();

        var strict = new CheckOptions(TimeSpan.Zero) { MaxDataAge = TimeSpan.FromHours(12) };
        new ZoneMinTls12().Run(Context(snapshot, now: ReadAt.AddHours(13), options: strict))
            .ShouldBeUnknown("shop.example", containing: "is older than 12 h");
    }

    [Fact]
    public void A_failed_last_sync_of_fresh_data_keeps_the_findings_and_says_so()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Member("bob@acme.test", twoFactor: false).Zone("shop.example").ReadAt(ReadAt).Build();
        var runs = new[]
        {
            Run(ReadAt.AddMinutes(-5), Stage(SyncStageKind.Access, SyncStatus.Complete), Stage(SyncStageKind.Infra, SyncStatus.Complete)),
            Run(ReadAt.AddHours(6), Stage(SyncStageKind.Access, SyncStatus.Failed, AccessFailure), Stage(SyncStageKind.Infra, SyncStatus.Complete)),
        };
        var context = EvaluationContext.Create(snapshot, [], [], null, ReadAt.AddHours(7), null, DataFreshness.Of(snapshot, runs));

        var members = new Member2faEnabled().Run(context);
        members.ShouldPass("jane@acme.test");
        members.ShouldFail("bob@acme.test");
        Assert.Equal($"access data from 2026-09-01 10:00 UTC; the last sync of this stage failed: {AccessFailure}", Assert.Single(members.Notes!));

        // The infrastructure stage did not fail: its checks carry no note.
        Assert.Null(new ZoneMinTls12().Run(context).Notes);
        Assert.Equal(AccessFailure, context.Data.Access.LastFailure);
        Assert.Null(context.Data.Infra.LastFailure);
    }

    [Fact]
    public void A_failed_last_sync_of_stale_data_is_named_in_the_unknown_finding()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").ReadAt(ReadAt).Build();
        var runs = new[] { Run(ReadAt.AddHours(50), Stage(SyncStageKind.Access, SyncStatus.Failed, AccessFailure)) };
        var context = EvaluationContext.Create(snapshot, [], [], null, ReadAt.AddHours(51), null, DataFreshness.Of(snapshot, runs));

        new Member2faEnabled().Run(context).ShouldBeUnknown("jane@acme.test",
            containing: $"data from 2026-09-01 10:00 UTC is older than 48 h; the last sync of this stage failed: {AccessFailure}");
    }

    [Fact]
    public void A_failure_before_the_data_was_read_is_not_the_last_sync()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").ReadAt(ReadAt).Build();
        // A run that failed, then (while another run is still running) a newer commit: that failure is history.
        var runs = new[] { Run(ReadAt.AddHours(-2), Stage(SyncStageKind.Access, SyncStatus.Failed, AccessFailure)) };

        var data = DataFreshness.Of(snapshot, runs);

        Assert.Null(data.Access.LastFailure);
    }

    [Fact]
    public void With_several_connections_one_failed_connection_is_enough()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").ReadAt(ReadAt).Build();
        var runs = new[]
        {
            Run(ReadAt.AddHours(1), Stage(SyncStageKind.Access, SyncStatus.Complete, connection: "conn-1"),
                Stage(SyncStageKind.Access, SyncStatus.Failed, AccessFailure, connection: "conn-2")),
        };

        Assert.Equal(AccessFailure, DataFreshness.Of(snapshot, runs).Access.LastFailure);
    }

    [Fact]
    public void Every_kind_of_data_belongs_to_exactly_one_stage_or_to_vigil()
    {
        // A new DataNeeds flag must say which stage reads it, or its checks would never be judged stale.
        foreach (var flag in Enum.GetValues<DataNeeds>().Where(f => f != DataNeeds.None))
        {
            var homes = new[] { DataNeedsStages.Access, DataNeedsStages.Infra, DataNeedsStages.Local }.Count(mask => (mask & flag) == flag);
            Assert.True(homes == 1, $"DataNeeds.{flag} is in {homes} of DataNeedsStages.Access/Infra/Local; put it in exactly one");
        }
    }

    private static CheckResult Result(Evaluation evaluation, string id) => evaluation.Results.Single(r => r.CheckId == id);

    private static SyncStageResult Stage(SyncStageKind stage, SyncStatus status, string? reason = null, string connection = "conn-1") =>
        new(connection, stage, status, reason, 10, 1000, status == SyncStatus.Failed ? null : ReadAt);

    private static SyncRun Run(DateTimeOffset startedAt, params SyncStageResult[] stages) =>
        new($"run-{startedAt:HHmm}", "cli", startedAt, startedAt.AddMinutes(1),
            stages.Any(s => s.Status == SyncStatus.Failed) ? SyncStatus.Partial : SyncStatus.Complete, null, SyncCounts.Zero, stages, []);
}
