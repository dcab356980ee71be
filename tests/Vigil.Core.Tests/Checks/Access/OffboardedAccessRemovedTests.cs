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
        var snapshot = new SnapshotBuilder().Member("bob@acme.test").Build();
        var options = new CheckOptions(TimeSpan.FromDays(3));
        var context = Context(snapshot, [Offboarded("bob@acme.test", new DateOnly(2025, 6, 1))], options: options, now: new DateTimeOffset(2025, 6, 3, 23, 0, 0, TimeSpan.Zero));

        _check.Run(context).ShouldPass("bob@acme.test", containing: "within the grace period until 2025-06-04 00:00 UTC");
    }

    [Fact]
    public void Fails_after_the_grace_period()
    {
        var snapshot = new SnapshotBuilder().Member("bob@acme.test").Build();
        var options = new CheckOptions(TimeSpan.FromDays(3));
        var context = Context(snapshot, [Offboarded("bob@acme.test", new DateOnly(2025, 6, 1))], options: options, now: new DateTimeOffset(2025, 6, 4, 0, 0, 0, TimeSpan.Zero));

        _check.Run(context).ShouldFail("bob@acme.test", containing: "should have been removed by 2025-06-04 00:00 UTC");
    }

    [Fact]
    public void Without_grace_fails_from_the_offboarding_day()
    {
        var snapshot = new SnapshotBuilder().Member("bob@acme.test").Build();
        var context = Context(snapshot, [Offboarded("bob@acme.test", new DateOnly(2025, 6, 2))], now: new DateTimeOffset(2025, 6, 2, 0, 1, 0, TimeSpan.Zero));

        _check.Run(context).ShouldFail("bob@acme.test");
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
}
