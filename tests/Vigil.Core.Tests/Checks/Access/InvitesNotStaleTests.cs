using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class InvitesNotStaleTests
{
    private readonly InvitesNotStale _check = new();

    [Fact]
    public void Passes_a_young_invitation_saying_the_date_is_when_vigil_first_saw_it()
    {
        var snapshot = new SnapshotBuilder()
            .Member("ada@acme.test")
            .Member("new@acme.test", status: MembershipStatus.Pending, firstSeenAt: Now.AddDays(-3)).Build();

        var result = _check.Run(Context(snapshot));

        result.ShouldPassOverall();
        result.ShouldPass("new@acme.test", containing: "first seen pending by Vigil on 2025-05-30 09:00 UTC (3 days ago; Cloudflare gives no invitation date, so this is when Vigil first saw the invitation); within 14 days");
        result.ShouldBeSkipped("ada@acme.test", containing: "is accepted; it is not an invitation");
    }

    [Fact]
    public void Fails_an_invitation_older_than_the_setting()
    {
        var snapshot = new SnapshotBuilder()
            .Member("old@acme.test", status: MembershipStatus.Pending, firstSeenAt: Now.AddDays(-15)).Build();

        var finding = _check.Run(Context(snapshot)).ShouldFail("old@acme.test", containing: "is still pending, first seen pending by Vigil on 2025-05-18 09:00 UTC (15 days ago");
        Assert.Contains("at most 14 days (max_invite_age_days)", finding.Reason, StringComparison.Ordinal);
        Assert.Contains("Revoke invite", finding.Remediation);

        _check.Run(Context(snapshot, options: CheckOptions.Default with { MaxInviteAge = TimeSpan.FromDays(30) }))
            .ShouldPass("old@acme.test", containing: "within 30 days");
    }

    [Fact]
    public void Skips_memberships_that_are_not_access()
    {
        var snapshot = new SnapshotBuilder()
            .Member("gone@acme.test", status: MembershipStatus.Other, statusText: "rejected", firstSeenAt: Now.AddDays(-100)).Build();

        _check.Run(Context(snapshot)).ShouldBeSkipped("gone@acme.test", containing: "which is not access");
    }

    [Fact]
    public void Is_unknown_for_an_invitation_without_a_first_seen_date_or_unreadable_members()
    {
        var undated = new SnapshotBuilder().Member("new@acme.test", status: MembershipStatus.Pending).Build();
        _check.Run(Context(undated)).ShouldBeUnknown("new@acme.test", containing: "its age is unknown");

        var unreadable = new SnapshotBuilder().Account("acc-1", "Acme").Gap("access", "member", "acc-1", missingPermission: "Account Settings Read").Build();
        _check.Run(Context(unreadable)).ShouldBeUnknown("Acme", containing: "'Account Settings Read'");

        _check.Run(Context(new SnapshotBuilder().WithoutAccessSync().Build())).ShouldBeUnknown("snapshot", containing: "no access data synced yet");
    }
}
