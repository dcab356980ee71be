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
    public void Is_unknown_not_failed_when_the_api_did_not_report_the_flag()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Member("jane@acme.test", twoFactor: null).Build()));

        result.ShouldBeUnknown("jane@acme.test", containing: "Cloudflare did not report 2FA for this member");
        Assert.Equal(CheckStatus.Unknown, result.Status);
    }

    [Fact]
    public void Passes_a_member_whose_email_domain_is_declared_as_sso()
    {
        var snapshot = new SnapshotBuilder()
            .Account(ssoConnectors: [new SsoConnector("sso-1", "acme.test", true, "verified")])
            .Member("jane@Acme.test", twoFactor: false)
            .Member("sam@contractor.test", twoFactor: false)
            .Build();
        var result = _check.Run(Context(snapshot, sso: [Sso(SnapshotBuilder.DefaultAccountId, "Okta MFA policy", "acme.test")]));

        var covered = result.ShouldPass("jane@Acme.test", containing: "covered by SSO (acme.test): Okta MFA policy");
        Assert.DoesNotContain("no SSO connector", covered.Reason);
        result.ShouldFail("sam@contractor.test", containing: "two-factor authentication disabled");
    }

    [Fact]
    public void Reports_a_declared_domain_that_cloudflare_shows_without_an_sso_connector()
    {
        var snapshot = new SnapshotBuilder().Account(ssoConnectors: []).Member("jane@acme.test", twoFactor: false).Build();
        _check.Run(Context(snapshot, sso: [Sso(SnapshotBuilder.DefaultAccountId, "Okta", "acme.test")]))
            .ShouldPass("jane@acme.test", containing: "covered by SSO (acme.test): Okta; but Cloudflare shows no SSO connector for acme.test");
    }

    [Fact]
    public void A_declaration_for_another_account_covers_nobody_here()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test", account: "acc-2", twoFactor: false).Build();
        _check.Run(Context(snapshot, sso: [Sso("acc-1", "Okta", "acme.test")])).ShouldFail("jane@acme.test", containing: "disabled");
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
