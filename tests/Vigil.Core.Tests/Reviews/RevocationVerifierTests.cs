using Vigil.Core.Reviews;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Reviews;

public sealed class RevocationVerifierTests
{
    private static readonly TimeSpan Sla = TimeSpan.FromDays(7);

    private static ReviewCampaign Campaign() => Campaigns.Start(Context(new SnapshotBuilder()
        .Member("jane@acme.test", id: "m-jane", roles: ["Administrator"]).Member("sam@acme.test", id: "m-sam").Build()));

    [Fact]
    public void A_revocation_is_pending_then_verified_by_a_later_sync_without_the_member_then_reappears()
    {
        var decidedAt = Now;
        var campaign = Campaign().Decide("jane@acme.test", DecisionKind.Revoke, decidedAt);
        var jane = campaign.FindItem("jane@acme.test", null);
        Assert.Equal(VerificationState.PendingRemoval, campaign.VerificationOf(jane, decidedAt.AddHours(1), Sla).State);

        // A sync read before the decision proves nothing, even without the member.
        campaign = campaign.Sync(new SnapshotBuilder().Member("sam@acme.test", id: "m-sam").ReadAt(decidedAt.AddMinutes(-1)).Build(), decidedAt);
        Assert.Empty(campaign.Verifications);

        // Still there after the decision: nothing recorded, overdue once the SLA has passed.
        campaign = campaign.Sync(new SnapshotBuilder().Member("jane@acme.test", id: "m-jane").Member("sam@acme.test", id: "m-sam").ReadAt(decidedAt.AddHours(1)).Build(), decidedAt.AddHours(1));
        Assert.Empty(campaign.Verifications);
        Assert.Equal(VerificationState.Overdue, campaign.VerificationOf(jane, decidedAt + Sla, Sla).State);

        var removedAt = decidedAt.AddHours(3).AddMinutes(12);
        campaign = campaign.Sync(new SnapshotBuilder().Member("sam@acme.test", id: "m-sam").ReadAt(removedAt).Build(), removedAt);
        var verified = campaign.VerificationOf(jane, removedAt.AddDays(30), Sla);
        Assert.Equal(VerificationState.Verified, verified.State);
        Assert.Equal(removedAt, verified.VerifiedAt);
        Assert.Equal("snap-1", verified.Event!.SnapshotId);
        Assert.Contains("holds no membership in account Acme", verified.Event.Detail);
        // Without an audit log entry the sync's time stands, and the detail says why.
        Assert.Contains("no audit log entry records who removed it (reading the audit log needs the Account Settings Read permission): noticed by the sync at", verified.Event.Detail);

        // Idempotent: the same data again records nothing.
        Assert.Empty(RevocationVerifier.Advance(campaign, new SnapshotBuilder().Member("sam@acme.test", id: "m-sam").ReadAt(removedAt).Build(), removedAt));

        // Invited again under a new membership id: the same person is back.
        campaign = campaign.Sync(new SnapshotBuilder().Member("JANE@acme.test", id: "m-new").Member("sam@acme.test", id: "m-sam").ReadAt(removedAt.AddDays(1)).Build(), removedAt.AddDays(1));
        Assert.Equal(VerificationState.Reappeared, campaign.VerificationOf(jane, removedAt.AddDays(1), Sla).State);
        Assert.Equal(2, campaign.Verifications.Count);
    }

    [Fact]
    public void A_removal_in_the_audit_log_names_who_removed_it_and_how_long_after_the_decision()
    {
        var decidedAt = Now;
        var campaign = Campaign().Decide("jane@acme.test", DecisionKind.Revoke, decidedAt);
        var removedAt = decidedAt.AddHours(3).AddMinutes(12);
        var entry = new Vigil.Core.Sync.AuditLogEntry("e-1", SnapshotBuilder.DefaultAccountId, removedAt, "delete", "account.member", "m-jane", null,
            "admin@example.com", "user", "DELETE", $"/client/v4/accounts/{SnapshotBuilder.DefaultAccountId}/members/m-jane", "success");
        var snapshot = new SnapshotBuilder().Member("sam@acme.test", id: "m-sam").ReadAt(removedAt.AddHours(1)).Build() with { AuditLog = [entry] };

        var verified = Assert.Single(RevocationVerifier.Advance(campaign, snapshot, removedAt.AddHours(1)));

        Assert.Equal(VerificationState.Verified, verified.State);
        Assert.EndsWith("removed by admin@example.com at 2025-06-02 12:12 UTC, 3 h 12 min after the decision", verified.Detail);
    }

    [Fact]
    public void A_role_change_is_verified_when_the_member_holds_exactly_the_decided_roles()
    {
        var campaign = Campaign().Decide("jane@acme.test", DecisionKind.ChangeRole, Now, roles: ["DNS"]);
        var jane = campaign.FindItem("jane@acme.test", null);

        campaign = campaign.Sync(new SnapshotBuilder().Member("jane@acme.test", id: "m-jane", roles: ["DNS", "Administrator"]).ReadAt(Now.AddHours(1)).Build(), Now.AddHours(1));
        Assert.Equal(VerificationState.PendingRemoval, campaign.VerificationOf(jane, Now.AddHours(1), Sla).State);

        campaign = campaign.Sync(new SnapshotBuilder().Member("jane@acme.test", id: "m-jane", roles: ["dns"]).ReadAt(Now.AddHours(2)).Build(), Now.AddHours(2));
        Assert.Equal(VerificationState.Verified, campaign.VerificationOf(jane, Now.AddHours(2), Sla).State);
    }

    [Fact]
    public void An_account_whose_members_could_not_be_read_proves_nothing()
    {
        var campaign = Campaign().Decide("jane@acme.test", DecisionKind.Revoke, Now);
        var unreadable = new SnapshotBuilder().Member("sam@acme.test", id: "m-sam").Gap("access", "member", SnapshotBuilder.DefaultAccountId).ReadAt(Now.AddHours(1)).Build();

        Assert.Empty(RevocationVerifier.Advance(campaign, unreadable, Now.AddHours(1)));
    }

    [Fact]
    public void Zero_sla_makes_any_unverified_revocation_overdue_at_once()
    {
        var campaign = Campaign().Decide("jane@acme.test", DecisionKind.Revoke, Now);

        Assert.Equal(VerificationState.Overdue, campaign.VerificationOf(campaign.FindItem("jane@acme.test", null), Now, TimeSpan.Zero).State);
    }
}
