using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class OffboardedAccessRemovedTests
{
    private static readonly DateOnly LeftOn = new(2025, 5, 20);
    private readonly OffboardedAccessRemoved _check = new();

    [Fact]
    public void Passes_when_only_active_people_and_service_accounts_hold_access()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Member("ci@acme.test").Build();
        var result = _check.Run(Context(snapshot, [Active("jane@acme.test"), Offboarded("bob@acme.test", LeftOn)], [MapToService("ci@acme.test", "CI")]));

        result.ShouldPassOverall();
        result.ShouldPass("jane@acme.test", containing: "active");
        result.ShouldPass("ci@acme.test", containing: "service account");
    }

    [Fact]
    public void A_membership_the_audit_log_shows_removed_says_by_whom_and_how_long_after_offboarding()
    {
        var removedAt = new DateTimeOffset(2025, 5, 20, 3, 12, 0, TimeSpan.Zero);
        var removal = new Sync.AuditLogEntry("e-1", SnapshotBuilder.DefaultAccountId, removedAt, "delete", "account.member", "mem-bob", null, "admin@example.com", "user",
            "DELETE", $"/client/v4/accounts/{SnapshotBuilder.DefaultAccountId}/members/mem-bob", "success", "bob@acme.test");
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Build() with { AuditLog = [removal] };

        var result = _check.Run(Context(snapshot, [Active("jane@acme.test"), Offboarded("bob@acme.test", LeftOn)]));

        var finding = result.ShouldPass("bob@acme.test in Acme",
            containing: "offboarded on 2025-05-20: access removed 3 h 12 min after offboarding, by admin@example.com at 2025-05-20 03:12 UTC (audit log)");
        Assert.Equal(("mem-bob", removedAt), (finding.ResourceId, finding.ObservedAt));
        result.ShouldPassOverall();
    }

    [Fact]
    public void Fails_for_an_offboarded_person_who_is_still_a_member()
    {
        var snapshot = new SnapshotBuilder().Member("bob@acme.test").Build();
        var finding = _check.Run(Context(snapshot, [Offboarded("bob@acme.test", LeftOn)]))
            .ShouldFail("bob@acme.test", containing: "offboarded on 2025-05-20");

        Assert.Contains("Manage Account > Members > bob@acme.test > Remove", finding.Remediation);
    }

    [Fact]
    public void Fails_for_a_pending_invitation_of_an_offboarded_person()
    {
        var snapshot = new SnapshotBuilder().Member("bob@acme.test", status: MembershipStatus.Pending).Build();
        var finding = _check.Run(Context(snapshot, [Offboarded("bob@acme.test", LeftOn)]))
            .ShouldFail("bob@acme.test", containing: "pending invitation");

        Assert.Contains("Revoke invite", finding.Remediation);
    }

    [Fact]
    public void Fails_once_per_membership_of_a_person_in_two_accounts()
    {
        var snapshot = new SnapshotBuilder().Member("bob@acme.test", account: "acc-1").Member("bob@acme.test", account: "acc-2").Build();
        var result = _check.Run(Context(snapshot, [Offboarded("bob@acme.test", LeftOn)]));

        Assert.Equal(2, result.Findings.Count(f => f.Status == FindingStatus.Fail));
        result.ShouldFail("bob@acme.test", account: "acc-1");
        result.ShouldFail("bob@acme.test", account: "acc-2");
    }

    [Fact]
    public void Matches_an_offboarded_person_by_alias_whatever_the_case()
    {
        var snapshot = new SnapshotBuilder().Member("BOB@Old-Brand.test").Build();
        _check.Run(Context(snapshot, [Offboarded("bob@acme.test", LeftOn, "engineer", "bob@old-brand.test")]))
            .ShouldFail("BOB@Old-Brand.test", containing: "bob@acme.test");
    }

    [Fact]
    public void Passes_within_the_grace_period_saying_until_when()
    {
        var options = new CheckOptions(TimeSpan.FromDays(3));
        var result = _check.Run(At(new DateTimeOffset(2025, 6, 4, 23, 0, 0, TimeSpan.Zero), new DateOnly(2025, 6, 1), options));

        result.ShouldPass("bob@acme.test", containing: "due removed by 2025-06-05 00:00 UTC (end of 2025-06-01 + 3 days grace)");
    }

    [Fact]
    public void Fails_after_the_grace_period()
    {
        var options = new CheckOptions(TimeSpan.FromDays(3));
        var result = _check.Run(At(new DateTimeOffset(2025, 6, 5, 0, 0, 0, TimeSpan.Zero), new DateOnly(2025, 6, 1), options));

        result.ShouldFail("bob@acme.test", containing: "access was due removed by 2025-06-05 00:00 UTC (end of 2025-06-01 + 3 days grace)");
    }

    [Fact]
    public void Without_grace_passes_during_the_offboarding_day_and_fails_from_its_end()
    {
        var leftOn = new DateOnly(2025, 6, 2);

        // The offboarding date is a whole (local) day: access removed any time that day is on time.
        _check.Run(At(new DateTimeOffset(2025, 6, 2, 20, 0, 0, TimeSpan.Zero), leftOn))
            .ShouldPass("bob@acme.test", containing: "due removed by 2025-06-03 00:00 UTC (end of 2025-06-02 + 0 days grace)");
        _check.Run(At(new DateTimeOffset(2025, 6, 3, 0, 0, 0, TimeSpan.Zero), leftOn)).ShouldFail("bob@acme.test");
    }

    [Fact]
    public void The_deadline_is_the_end_of_the_day_in_the_organisation_time_zone()
    {
        var berlin = Options(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var leftOn = new DateOnly(2026, 9, 30);

        // Midnight in Berlin (CEST, UTC+2) is 22:00 UTC the day before.
        _check.Run(At(new DateTimeOffset(2026, 9, 30, 21, 59, 0, TimeSpan.Zero), leftOn, berlin)).ShouldPass("bob@acme.test");
        _check.Run(At(new DateTimeOffset(2026, 9, 30, 22, 0, 0, TimeSpan.Zero), leftOn, berlin))
            .ShouldFail("bob@acme.test", containing: "due removed by 2026-10-01 00:00 Europe/Berlin (end of 2026-09-30 + 0 days grace)");
    }

    [Fact]
    public void West_of_utc_the_offboarding_day_ends_after_midnight_utc()
    {
        var losAngeles = Options(TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles"));
        var leftOn = new DateOnly(2026, 9, 30);

        // 2026-10-01 00:00 PDT is 07:00 UTC: at 06:00 UTC it is still 2026-09-30 23:00 in Los Angeles.
        _check.Run(At(new DateTimeOffset(2026, 10, 1, 6, 0, 0, TimeSpan.Zero), leftOn, losAngeles))
            .ShouldPass("bob@acme.test", containing: "due removed by 2026-10-01 00:00 America/Los_Angeles");
        _check.Run(At(new DateTimeOffset(2026, 10, 1, 7, 0, 0, TimeSpan.Zero), leftOn, losAngeles)).ShouldFail("bob@acme.test");
    }

    [Fact]
    public void Grace_days_are_calendar_days_across_the_spring_dst_change()
    {
        // Berlin moves to summer time on 2026-03-29: that day has 23 hours. End of 2026-03-28 + 1 day is
        // 2026-03-30 00:00 CEST = 2026-03-29 22:00 UTC, not 24 hours after 2026-03-28 23:00 UTC.
        var berlin = Options(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), graceDays: 1);
        var leftOn = new DateOnly(2026, 3, 28);

        _check.Run(At(new DateTimeOffset(2026, 3, 29, 21, 59, 0, TimeSpan.Zero), leftOn, berlin)).ShouldPass("bob@acme.test");
        _check.Run(At(new DateTimeOffset(2026, 3, 29, 22, 30, 0, TimeSpan.Zero), leftOn, berlin))
            .ShouldFail("bob@acme.test", containing: "due removed by 2026-03-30 00:00 Europe/Berlin (end of 2026-03-28 + 1 day grace)");
    }

    [Fact]
    public void Grace_days_are_calendar_days_across_the_autumn_dst_change()
    {
        // Berlin returns to winter time on 2026-10-25 (a 25-hour day): the deadline is 2026-10-26 00:00 CET = 2026-10-25 23:00 UTC.
        var berlin = Options(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), graceDays: 1);
        var leftOn = new DateOnly(2026, 10, 24);

        _check.Run(At(new DateTimeOffset(2026, 10, 25, 22, 59, 0, TimeSpan.Zero), leftOn, berlin)).ShouldPass("bob@acme.test");
        _check.Run(At(new DateTimeOffset(2026, 10, 25, 23, 0, 0, TimeSpan.Zero), leftOn, berlin))
            .ShouldFail("bob@acme.test", containing: "due removed by 2026-10-26 00:00 Europe/Berlin");
    }

    [Fact]
    public void The_host_time_zone_plays_no_part()
    {
        // The organisation's zone decides, whatever zone the machine running Vigil is in.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 30, 21, 0, 0, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"));
        var berlin = Options(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        _check.Run(At(clock.GetUtcNow(), new DateOnly(2026, 9, 30), berlin)).ShouldPass("bob@acme.test", containing: "Europe/Berlin");
        clock.Advance(TimeSpan.FromHours(1));
        _check.Run(At(clock.GetUtcNow(), new DateOnly(2026, 9, 30), berlin)).ShouldFail("bob@acme.test", containing: "Europe/Berlin");
    }

    [Fact]
    public void Fails_for_an_offboarded_person_without_an_offboarding_date()
    {
        var snapshot = new SnapshotBuilder().Member("bob@acme.test").Build();
        _check.Run(Context(snapshot, [Offboarded("bob@acme.test", null)])).ShouldFail("bob@acme.test", containing: "no offboarding date recorded");
    }

    [Fact]
    public void Skips_unidentified_members_which_another_check_reports()
    {
        var snapshot = new SnapshotBuilder().Member("stranger@x.test").Build();
        _check.Run(Context(snapshot)).ShouldBeSkipped("stranger@x.test", containing: "cloudflare.user-identified");
    }

    [Fact]
    public void Is_unknown_when_access_was_never_synced()
    {
        var result = _check.Run(Context(new SnapshotBuilder().WithoutAccessSync().Build(), [Offboarded("bob@acme.test", LeftOn)]));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("snapshot", containing: "run vigil sync");
    }

    [Fact]
    public void Is_unknown_when_no_account_was_synced()
    {
        Assert.Equal(CheckStatus.Unknown, _check.Run(Context(new SnapshotBuilder().Build())).Status);
    }

    /// <summary>Bob, offboarded on <paramref name="leftOn"/>, still a member; the data was read an hour before <paramref name="now"/>.</summary>
    private static EvaluationContext At(DateTimeOffset now, DateOnly leftOn, CheckOptions? options = null)
    {
        var snapshot = new SnapshotBuilder().Member("bob@acme.test").ReadAt(now.AddHours(-1)).Build();
        return Context(snapshot, [Offboarded("bob@acme.test", leftOn)], options: options, now: now);
    }

    private static CheckOptions Options(TimeZoneInfo zone, int graceDays = 0) => new(TimeSpan.FromDays(graceDays)) { TimeZone = zone };
}
