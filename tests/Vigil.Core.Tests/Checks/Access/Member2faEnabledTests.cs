using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class Member2faEnabledTests
{
    private readonly Member2faEnabled _check = new();

    [Fact]
    public void Passes_when_every_accepted_member_has_2fa()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Member("jane@acme.test", twoFactor: true).Build()));

        result.ShouldPassOverall();
        result.ShouldPass("jane@acme.test", containing: "enabled");
    }

    [Fact]
    public void Fails_when_2fa_is_off()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Member("jane@acme.test", twoFactor: false).Build()))
            .ShouldFail("jane@acme.test", containing: "two-factor authentication disabled");

        Assert.Contains("My Profile > Authentication", finding.Remediation);
    }

    [Fact]
    public void Fails_when_the_api_did_not_report_the_flag()
    {
        _check.Run(Context(new SnapshotBuilder().Member("jane@acme.test", twoFactor: null).Build()))
            .ShouldFail("jane@acme.test", containing: "did not report");
    }

    [Fact]
    public void Skips_pending_invitations()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Member("new@acme.test", status: MembershipStatus.Pending, twoFactor: null).Build()));

        result.ShouldBeSkipped("new@acme.test", containing: "not accepted yet");
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public void Judges_each_account_membership()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test", account: "acc-1", twoFactor: true).Member("jane@acme.test", account: "acc-2", twoFactor: false).Build();
        var result = _check.Run(Context(snapshot));

        result.ShouldPass("jane@acme.test", account: "acc-1");
        result.ShouldFail("jane@acme.test", account: "acc-2");
    }

    [Fact]
    public void Is_unknown_when_access_was_never_synced()
    {
        _check.Run(Context(new SnapshotBuilder().WithoutAccessSync().Build())).ShouldBeUnknown("snapshot", containing: "run vigil sync");
    }

    [Fact]
    public void Is_unknown_when_no_account_was_synced()
    {
        Assert.Equal(CheckStatus.Unknown, _check.Run(Context(new SnapshotBuilder().Build())).Status);
    }
}
