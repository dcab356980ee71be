using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class SuperAdminsBoundedTests
{
    private const string Super = SuperAdminsBounded.SuperAdminName;
    private readonly SuperAdminsBounded _check = new();

    [Fact]
    public void Passes_an_account_with_two_super_admins_naming_them()
    {
        var snapshot = new SnapshotBuilder()
            .Member("ada@acme.test", roles: [Super]).Member("bob@acme.test", roles: [Super]).Member("eve@acme.test", roles: ["Administrator"]).Build();

        var result = _check.Run(Context(snapshot));

        result.ShouldPassOverall();
        var finding = result.ShouldPass("Acme", containing: "has 2 accepted Super Administrators: ada@acme.test (role), bob@acme.test (role)");
        Assert.DoesNotContain("eve@", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Fails_an_account_with_a_single_super_admin_and_does_not_count_a_pending_invitation()
    {
        var snapshot = new SnapshotBuilder()
            .Member("ada@acme.test", roles: [Super])
            .Member("new@acme.test", roles: [Super], status: MembershipStatus.Pending)
            .Member("old@acme.test", roles: [Super], status: MembershipStatus.Other, statusText: "rejected")
            .Build();

        var finding = _check.Run(Context(snapshot)).ShouldFail("Acme", containing: "has 1 accepted Super Administrator: ada@acme.test (role)");

        Assert.Contains("pending invitations not counted: new@acme.test", finding.Reason, StringComparison.Ordinal);
        Assert.Contains("at least 2", finding.Reason, StringComparison.Ordinal);
        Assert.Contains("Manage Account > Members", finding.Remediation);
    }

    [Fact]
    public void Fails_an_account_with_more_than_max_super_admins_using_the_setting()
    {
        var builder = new SnapshotBuilder();
        foreach (var name in new[] { "a", "b", "c" })
        {
            builder.Member($"{name}@acme.test", roles: [Super]);
        }
        var snapshot = builder.Build();

        _check.Run(Context(snapshot)).ShouldPass("Acme", containing: "between 2 and 4");
        var finding = _check.Run(Context(snapshot, options: CheckOptions.Default with { MaxSuperAdmins = 2 }))
            .ShouldFail("Acme", containing: "has 3 accepted Super Administrators: a@acme.test (role), b@acme.test (role), c@acme.test (role); at most 2 are allowed");
        Assert.Contains("max_super_admins", finding.Remediation);
    }

    [Fact]
    public void Counts_super_admin_granted_by_an_account_wide_policy_directly_or_through_a_group_but_not_on_a_zone()
    {
        MemberPolicy Policy(string? group, params PolicyScope[] scopes) =>
            new("p", "allow", [Super], ["rg"], group, scopes.Length == 0 ? null : scopes);
        var snapshot = new SnapshotBuilder()
            .Member("ada@acme.test", roles: [], policies: [Policy(null)])
            .Member("bob@acme.test", roles: [], policies: [Policy("Owners", new PolicyScope(PolicyScope.Account, "acc-1"))])
            .Member("zed@acme.test", roles: [], policies: [Policy(null, new PolicyScope(PolicyScope.Zone, "z-1"))])
            .Build();

        var finding = _check.Run(Context(snapshot)).ShouldPass("Acme", containing: "ada@acme.test (policy), bob@acme.test (policy via group Owners)");

        Assert.DoesNotContain("zed@", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_unknown_when_the_members_could_not_be_read_or_the_user_groups_hide_grants()
    {
        var noMembers = new SnapshotBuilder().Account("acc-1", "Acme")
            .Gap("access", "member", "acc-1", missingPermission: "Account Settings Read").Build();
        _check.Run(Context(noMembers)).ShouldBeUnknown("Acme", containing: "'Account Settings Read'");

        var hiddenGroups = new SnapshotBuilder().Member("ada@acme.test", roles: [Super])
            .Gap("access", UserAccessValid.UserGroupGap, "acc-1", missingPermission: "Account Settings Read").Build();
        _check.Run(Context(hiddenGroups)).ShouldBeUnknown("Acme", containing: "Super Administrators through groups are unknown");
    }

    [Fact]
    public void Is_unknown_when_access_was_never_synced_or_no_account_was_seen()
    {
        _check.Run(Context(new SnapshotBuilder().WithoutAccessSync().Build())).ShouldBeUnknown("snapshot", containing: "no access data synced yet");
        _check.Run(Context(new SnapshotBuilder().Build())).ShouldBeUnknown("snapshot", containing: "no Cloudflare accounts were synced");
    }

    [Fact]
    public void Never_skips_an_account_one_whose_super_admins_are_all_pending_or_rejected_fails_with_none()
    {
        // No account is "not applicable": every account needs someone who can manage it, so an account without an
        // accepted Super Administrator fails rather than being skipped.
        var snapshot = new SnapshotBuilder()
            .Member("eve@acme.test", roles: ["Administrator"])
            .Member("new@acme.test", roles: [Super], status: MembershipStatus.Pending)
            .Member("old@acme.test", roles: [Super], status: MembershipStatus.Other, statusText: "rejected")
            .Build();

        var result = _check.Run(Context(snapshot));

        var finding = result.ShouldFail("Acme", containing: "has 0 accepted Super Administrators: none");
        Assert.Contains("pending invitations not counted: new@acme.test", finding.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Findings, f => f.Status == FindingStatus.Skipped);
    }
}
