using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class UserAccessValidTests
{
    private readonly UserAccessValid _check = new();

    [Fact]
    public void Passes_when_roles_are_within_the_org_roles_limit()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test", roles: ["administrator read only"]).Member("sam@acme.test", roles: ["Super Administrator - All Privileges"]).Build();
        var people = new[] { Active("jane@acme.test", "engineer"), Active("sam@acme.test", "SRE") };
        var result = _check.Run(Context(snapshot, people, system: Cloudflare("engineer=Administrator Read Only,DNS", "sre")));

        result.ShouldPassOverall();
        result.ShouldPass("jane@acme.test", containing: "all within what org role 'engineer' allows");
        result.ShouldPass("sam@acme.test", containing: "any Cloudflare role");
    }

    [Fact]
    public void Fails_when_the_org_role_is_not_allowed()
    {
        var snapshot = new SnapshotBuilder().Member("sal@acme.test").Build();
        var finding = _check.Run(Context(snapshot, [Active("sal@acme.test", "sales")], system: Cloudflare("engineer", "sre")))
            .ShouldFail("sal@acme.test", containing: "org role 'sales' is not allowed on cloudflare (allowed: engineer, sre)");

        Assert.Contains("Remove sal@acme.test", finding.Remediation);
    }

    [Fact]
    public void Fails_when_a_role_exceeds_the_limit()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test", roles: ["DNS", "Super Administrator - All Privileges"]).Build();
        _check.Run(Context(snapshot, [Active("jane@acme.test")], system: Cloudflare("engineer=DNS")))
            .ShouldFail("jane@acme.test", containing: "holds 'Super Administrator - All Privileges on account Acme', beyond what org role 'engineer'");
    }

    [Fact]
    public void A_grant_held_twice_is_named_once_and_members_holding_the_same_grants_are_each_judged()
    {
        // Equal grants are shared between memberships while an evaluation builds them: neither a repeat within one
        // membership nor another membership's grants may show in a reason.
        var jane = new[]
        {
            new MemberPolicy("pol-1", "allow", ["DNS", "dns", "Zone Read"], ["rg-1"]),
            new MemberPolicy("pol-2", "allow", ["Zone Read"], ["rg-2"], ViaGroup: "Ops"),
        };
        var snapshot = new SnapshotBuilder()
            .Member("jane@acme.test", roles: ["DNS"], policies: jane)
            .Member("sam@acme.test", roles: ["DNS"])
            .Member("kim@acme.test", roles: ["dns"], policies: [new MemberPolicy("pol-3", "allow", ["Billing"], ["rg-1"])])
            .Build();
        var result = _check.Run(Context(snapshot, [Active("jane@acme.test"), Active("sam@acme.test"), Active("kim@acme.test")], system: Cloudflare("engineer=DNS,Zone Read")));

        result.ShouldPass("jane@acme.test", containing: "holds DNS on account Acme, Zone Read on account Acme, Zone Read on account Acme via group Ops, all within");
        result.ShouldPass("sam@acme.test", containing: "holds DNS on account Acme, all within");
        var kim = result.ShouldFail("kim@acme.test", containing: "holds 'Billing on account Acme', beyond");
        Assert.DoesNotContain("Zone Read on", kim.Reason);
    }

    [Fact]
    public void Judges_a_member_with_policies_but_no_roles_on_permission_group_names()
    {
        var policies = new[]
        {
            new MemberPolicy("pol-1", "allow", ["Zone Read", "Firewall Services Write"], ["rg-1"]),
            new MemberPolicy("pol-2", "deny", ["Billing Write"], ["rg-1"]),
        };
        var snapshot = new SnapshotBuilder()
            .Member("jane@acme.test", roles: [], policies: policies)
            .Member("sam@acme.test", roles: [], policies: [new MemberPolicy("pol-3", "allow", ["zone read"], ["rg-1"])])
            .Build();
        var result = _check.Run(Context(snapshot, [Active("jane@acme.test"), Active("sam@acme.test")], system: Cloudflare("engineer=Zone Read")));

        var failing = result.ShouldFail("jane@acme.test", containing: "'Firewall Services Write on account Acme'");
        Assert.DoesNotContain("Billing Write", failing.Reason);
        result.ShouldPass("sam@acme.test", containing: "zone read on account Acme");
    }

    [Fact]
    public void Fails_for_an_active_person_without_an_org_role()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Build();
        _check.Run(Context(snapshot, [Active("jane@acme.test", orgRole: null)], system: Cloudflare("engineer")))
            .ShouldFail("jane@acme.test", containing: "has no org role");
    }

    [Fact]
    public void Skips_members_that_other_checks_cover()
    {
        var snapshot = new SnapshotBuilder().Member("stranger@x.test").Member("ci@acme.test").Member("bob@acme.test").Build();
        var result = _check.Run(Context(snapshot, [Offboarded("bob@acme.test", new DateOnly(2025, 1, 1))], [MapToService("ci@acme.test", "CI")], system: Cloudflare("engineer")));

        result.ShouldBeSkipped("stranger@x.test", containing: "cloudflare.user-identified");
        result.ShouldBeSkipped("ci@acme.test", containing: "service account");
        result.ShouldBeSkipped("bob@acme.test", containing: "cloudflare.offboarded-access-removed");
    }

    [Fact]
    public void Is_unknown_when_cloudflare_is_not_registered()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Build();
        var result = _check.Run(Context(snapshot, [Active("jane@acme.test")]));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("cloudflare", containing: "cloudflare.access-control-configured");
    }

    [Fact]
    public void Is_unknown_when_access_was_never_synced()
    {
        var result = _check.Run(Context(new SnapshotBuilder().WithoutAccessSync().Build(), system: Cloudflare("engineer")));

        result.ShouldBeUnknown("snapshot", containing: "no access data synced yet");
    }

    private static MemberPolicy ViaGroup(string group, string permissionGroup, params PolicyScope[] scopes) =>
        new("pol-g", "allow", [permissionGroup], ["rg"], group, scopes.Length == 0 ? [new PolicyScope(PolicyScope.Account, SnapshotBuilder.DefaultAccountId)] : scopes);

    [Fact]
    public void Fails_a_member_made_administrator_through_a_user_group()
    {
        var snapshot = new SnapshotBuilder()
            .Member("jane@acme.test", roles: ["Administrator Read Only"], policies: [ViaGroup("Platform Ops", "Administrator")])
            .Build();
        _check.Run(Context(snapshot, [Active("jane@acme.test")], system: Cloudflare("engineer=Administrator Read Only")))
            .ShouldFail("jane@acme.test", containing: "'Administrator on account Acme via group Platform Ops'");
    }

    [Fact]
    public void Shows_the_scope_of_a_zone_policy()
    {
        var snapshot = new SnapshotBuilder()
            .Zone("shop.example", id: "z1")
            .Member("jane@acme.test", roles: [], policies: [new MemberPolicy("p", "allow", ["Administrator"], ["rg"], null, [new PolicyScope(PolicyScope.Zone, "z1")])])
            .Build();
        _check.Run(Context(snapshot, [Active("jane@acme.test")], system: Cloudflare("engineer=DNS")))
            .ShouldFail("jane@acme.test", containing: "'Administrator on zone shop.example'");
    }

    [Fact]
    public void A_limit_with_at_account_allows_the_permission_group_only_account_wide()
    {
        var zoneOnly = new MemberPolicy("p", "allow", ["DNS"], ["rg"], null, [new PolicyScope(PolicyScope.Zone, "z1")]);
        var accountWide = new MemberPolicy("p2", "allow", ["DNS"], ["rg"], null, [new PolicyScope(PolicyScope.Account, SnapshotBuilder.DefaultAccountId)]);
        var snapshot = new SnapshotBuilder()
            .Zone("shop.example", id: "z1")
            .Member("zone@acme.test", roles: [], policies: [zoneOnly])
            .Member("wide@acme.test", roles: [], policies: [accountWide])
            .Build();
        var people = new[] { Active("zone@acme.test"), Active("wide@acme.test") };

        var atAccount = _check.Run(Context(snapshot, people, system: Cloudflare("engineer=DNS@account")));
        atAccount.ShouldFail("zone@acme.test", containing: "'DNS on zone shop.example'");
        atAccount.ShouldPass("wide@acme.test");

        _check.Run(Context(snapshot, people, system: Cloudflare("engineer=DNS"))).ShouldPassOverall();
    }

    [Fact]
    public void An_unnamed_permission_group_never_matches_a_limit_by_its_id()
    {
        var snapshot = new SnapshotBuilder()
            .Member("jane@acme.test", roles: [], policies: [new MemberPolicy("p", "allow", ["unnamed permission group pg-1"], ["rg"])])
            .Build();
        _check.Run(Context(snapshot, [Active("jane@acme.test")], system: Cloudflare("engineer=pg-1")))
            .ShouldFail("jane@acme.test", containing: "'unnamed permission group pg-1 on account Acme'");
    }

    [Fact]
    public void Is_unknown_not_passed_when_the_accounts_user_groups_could_not_be_read()
    {
        var snapshot = new SnapshotBuilder()
            .Member("jane@acme.test", roles: ["DNS"])
            .Member("sam@acme.test", roles: ["DNS"], account: "acc-2")
            .Gap("access", "user_group", SnapshotBuilder.DefaultAccountId, "Account Settings Read", "GET /accounts/acc-1/iam/user_groups")
            .Build();
        var result = _check.Run(Context(snapshot, [Active("jane@acme.test"), Active("sam@acme.test")], system: Cloudflare("engineer=DNS")));

        result.ShouldBeUnknown("jane@acme.test", containing: "IAM user groups of account Acme (acc-1) could not be read");
        result.ShouldPass("sam@acme.test");
        Assert.Equal(CheckStatus.Unknown, result.Status);
    }

    [Fact]
    public void Judges_no_rejected_invitation()
    {
        var snapshot = new SnapshotBuilder()
            .Member("old@acme.test", roles: ["Super Administrator - All Privileges"], status: MembershipStatus.Other, statusText: "rejected")
            .Build();
        var result = _check.Run(Context(snapshot, [Active("old@acme.test")], system: Cloudflare("engineer=DNS")));

        result.ShouldBeSkipped("old@acme.test", containing: "rejected invitation in account Acme (acc-1)) has status 'rejected', which is not access");
        Assert.Equal(CheckStatus.Pass, result.Status);
    }
}
