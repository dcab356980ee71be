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
            .ShouldFail("jane@acme.test", containing: "holds 'Super Administrator - All Privileges', beyond what org role 'engineer'");
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

        var failing = result.ShouldFail("jane@acme.test", containing: "'Firewall Services Write'");
        Assert.DoesNotContain("Billing Write", failing.Reason);
        result.ShouldPass("sam@acme.test", containing: "policy permission groups zone read");
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
}
