using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class Account2faEnforcedTests
{
    private readonly Account2faEnforced _check = new();

    [Fact]
    public void Passes_when_every_account_enforces_2fa()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Account("acc-1", "Acme", enforceTwoFactor: true).Build()));

        result.ShouldPassOverall();
        var finding = result.ShouldPass("Acme", containing: "enforces two-factor authentication");
        Assert.Equal("acc-1", finding.ResourceId);
    }

    [Fact]
    public void Fails_for_an_account_that_does_not_enforce_2fa()
    {
        var snapshot = new SnapshotBuilder().Account("acc-1", "Acme", enforceTwoFactor: true).Account("acc-2", "Side project", enforceTwoFactor: false).Build();
        var result = _check.Run(Context(snapshot));

        result.ShouldPass("Acme");
        var finding = result.ShouldFail("Side project", containing: "enforce_twofactor is off");
        Assert.Contains("Enforce Two-Factor Authentication", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_the_setting_was_not_reported()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Account("acc-1", "Acme", enforceTwoFactor: null).Build()));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("Acme", containing: "did not report enforce_twofactor");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_account_could_not_be_read()
    {
        var snapshot = new SnapshotBuilder().Account("acc-1", "Acme", enforceTwoFactor: null)
            .Gap("access", "account", "acc-1", missingPermission: "Account Settings Read", what: "GET /accounts/acc-1").Build();
        var finding = _check.Run(Context(snapshot)).ShouldBeUnknown("Acme", containing: "'Account Settings Read'");

        Assert.Contains("Account Settings Read", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_no_account_was_synced()
    {
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldBeUnknown("snapshot", containing: "no Cloudflare accounts were synced");
    }

    [Fact]
    public void Is_unknown_when_access_was_never_synced()
    {
        _check.Run(Context(new SnapshotBuilder().WithoutAccessSync().Build())).ShouldBeUnknown("snapshot", containing: "no access data synced yet");
    }

    [Fact]
    public void Passes_an_account_whose_every_accepted_member_is_covered_by_declared_sso()
    {
        var snapshot = new SnapshotBuilder()
            .Account("acc-1", "Acme", enforceTwoFactor: false)
            .Member("jane@acme.test", account: "acc-1", twoFactor: false)
            .Member("new@contractor.test", account: "acc-1", status: Vigil.Core.Inventory.MembershipStatus.Pending)
            .Build();
        _check.Run(Context(snapshot, sso: [Sso("acc-1", "Okta MFA policy", "acme.test")]))
            .ShouldPass("Acme", containing: "every accepted member of account Acme (acc-1) is covered by SSO (acme.test): Okta MFA policy");
    }

    [Fact]
    public void Fails_naming_the_members_sso_does_not_cover()
    {
        var snapshot = new SnapshotBuilder()
            .Account("acc-1", "Acme", enforceTwoFactor: false)
            .Member("jane@acme.test", account: "acc-1")
            .Member("sam@contractor.test", account: "acc-1")
            .Build();
        var finding = _check.Run(Context(snapshot, sso: [Sso("acc-1", "Okta", "acme.test")]))
            .ShouldFail("Acme", containing: "does not cover 1 accepted member: sam@contractor.test");
        Assert.DoesNotContain("jane@acme.test", finding.Reason);
    }

    [Fact]
    public void A_declaration_made_by_account_name_applies_once_synced()
    {
        var snapshot = new SnapshotBuilder().Account("acc-1", "Acme", enforceTwoFactor: false).Member("jane@acme.test", account: "acc-1").Build();
        _check.Run(Context(snapshot, sso: [Sso("acme", "Okta", "acme.test")])).ShouldPass("Acme", containing: "covered by SSO");
    }
}
