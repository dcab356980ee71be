using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class UserIdentifiedTests
{
    private readonly UserIdentified _check = new();

    [Fact]
    public void Passes_when_every_member_is_a_person_or_justified_service_account()
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Member("ci@acme.test").Build();
        var result = _check.Run(Context(snapshot, [Active("jane@acme.test")], [MapToService("ci@acme.test", "Terraform pipeline")]));

        result.ShouldPassOverall();
        result.ShouldPass("jane@acme.test", containing: "matched by email");
        result.ShouldPass("ci@acme.test", containing: "Terraform pipeline");
    }

    [Fact]
    public void Fails_for_a_member_nobody_knows()
    {
        var snapshot = new SnapshotBuilder().Member("stranger@gmail.test").Build();
        var finding = _check.Run(Context(snapshot, [Active("jane@acme.test")])).ShouldFail("stranger@gmail.test", containing: "matches no email or alias");

        Assert.Equal(ResourceTypes.Member, finding.ResourceType);
        Assert.Equal(SnapshotBuilder.DefaultAccountId, finding.AccountId);
        Assert.Contains("vigil map stranger@gmail.test", finding.Remediation);
    }

    [Fact]
    public void A_pending_invitation_counts_and_must_be_identified()
    {
        var snapshot = new SnapshotBuilder().Member("invitee@elsewhere.test", status: MembershipStatus.Pending).Build();
        var finding = _check.Run(Context(snapshot)).ShouldFail("invitee@elsewhere.test", containing: "pending invitation");

        Assert.Contains("Revoke invite", finding.Remediation);
    }

    [Fact]
    public void Matches_email_case_insensitively_and_by_alias()
    {
        var snapshot = new SnapshotBuilder().Member("Jane@ACME.test").Member("j.doe@old-brand.test").Build();
        var people = new[] { Active("jane@acme.test"), Active("john@acme.test", "engineer", "J.Doe@old-brand.test") };
        var result = _check.Run(Context(snapshot, people));

        result.ShouldPass("Jane@ACME.test", containing: "matched by email");
        result.ShouldPass("j.doe@old-brand.test", containing: "matched by alias");
    }

    [Fact]
    public void Fails_for_a_service_account_without_justification()
    {
        var snapshot = new SnapshotBuilder().Member("bot@acme.test").Build();
        _check.Run(Context(snapshot, mappings: [MapToService("bot@acme.test", "  ")]))
            .ShouldFail("bot@acme.test", containing: "without a justification");
    }

    [Fact]
    public void Fails_when_the_mapping_names_a_person_missing_from_the_directory()
    {
        var snapshot = new SnapshotBuilder().Member("contractor@agency.test").Build();
        _check.Run(Context(snapshot, mappings: [MapToPerson("contractor@agency.test", "gone@acme.test")]))
            .ShouldFail("contractor@agency.test", containing: "mapped to gone@acme.test, who is not in the staff directory");
    }

    [Fact]
    public void Judges_each_membership_of_a_person_in_two_accounts()
    {
        var snapshot = new SnapshotBuilder().Member("stranger@x.test", account: "acc-1").Member("stranger@x.test", account: "acc-2").Build();
        var result = _check.Run(Context(snapshot));

        result.ShouldFail("stranger@x.test", account: "acc-1");
        result.ShouldFail("stranger@x.test", account: "acc-2", containing: "Account acc-2");
    }

    [Fact]
    public void Is_unknown_when_access_was_never_synced()
    {
        var result = _check.Run(Context(new SnapshotBuilder().WithoutAccessSync().Build()));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("snapshot", containing: "no access data synced yet: run vigil sync");
    }

    [Fact]
    public void Is_unknown_for_an_account_whose_members_could_not_be_read()
    {
        var snapshot = new SnapshotBuilder()
            .Member("jane@acme.test")
            .Account("acc-2", "Side project")
            .Gap("access", "member", "acc-2", missingPermission: "Account Settings Read", what: "GET /accounts/acc-2/members")
            .Build();
        var result = _check.Run(Context(snapshot, [Active("jane@acme.test")]));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        var finding = result.ShouldBeUnknown("Side project", containing: "Account Settings Read");
        Assert.Contains("GET /accounts/acc-2/members", finding.Reason);
        result.ShouldPass("jane@acme.test");
    }

    [Fact]
    public void Is_unknown_when_no_account_was_synced()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Build()));

        Assert.Equal(CheckStatus.Unknown, result.Status);
        result.ShouldBeUnknown("snapshot", containing: "no Cloudflare accounts were synced");
    }

    [Fact]
    public void Is_unknown_for_an_account_that_reported_no_members()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Account().Build()));

        result.ShouldBeUnknown("Acme", containing: "reported no members");
    }

    [Fact]
    public void Reports_a_member_without_email_as_unidentified_and_other_checks_match_it_to_nobody()
    {
        var snapshot = new SnapshotBuilder().Member("", id: "mem-77", twoFactor: false).Build();
        // A mapping or person keyed by an empty email must not match it.
        var context = Context(snapshot, [Active("jane@acme.test")], [MapToPerson("", "jane@acme.test")], Cloudflare("engineer=DNS"));

        var finding = _check.Run(context).ShouldFail("member mem-77", containing: "unidentified: Cloudflare returned no email for member mem-77");
        Assert.Contains("mem-77", finding.Remediation);
        new UserAccessValid().Run(context).ShouldBeSkipped("member mem-77", containing: "not identified");
        new OffboardedAccessRemoved().Run(context).ShouldBeSkipped("member mem-77");
        new Member2faEnabled().Run(context).ShouldFail("member mem-77");
    }
}
