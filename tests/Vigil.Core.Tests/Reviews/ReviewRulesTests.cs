using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Reviews;

public sealed class ReviewRulesTests
{
    private static readonly Person[] People =
    [
        Active("jane@acme.test") with { ManagerEmail = "boss@acme.test" },
        Active("boss@acme.test"),
        Active("ada@acme.test", "admin"),
    ];

    private static ReviewCampaign Campaign() =>
        Campaigns.Start(Context(new SnapshotBuilder().Member("jane@acme.test").Member("boss@acme.test").Build(), People));

    [Fact]
    public void Refuses_anyone_but_the_reviewer_or_the_owner_and_names_who_may()
    {
        var campaign = Campaign();
        var jane = campaign.FindItem("jane@acme.test", null);

        var refused = Assert.Throws<ReviewRuleException>(() =>
            ReviewRules.Decide(campaign, jane, DecisionKind.Keep, [], "mallory@acme.test", null, Now, "d1"));
        Assert.Equal("mallory@acme.test may not decide on jane@acme.test in Acme; only its reviewer boss@acme.test or the system owner owner@acme.test may", refused.Message);

        Assert.Equal("boss@acme.test", ReviewRules.Decide(campaign, jane, DecisionKind.Keep, [], "BOSS@acme.test ", null, Now, "d2").By, ignoreCase: true);
        Assert.Equal(DecisionKind.Keep, ReviewRules.Decide(campaign, jane, DecisionKind.Keep, [], "owner@acme.test", null, Now, "d3").Decision);
    }

    [Fact]
    public void An_administrator_decides_any_item_as_themselves_but_never_their_own_access()
    {
        var campaign = Campaign();
        var jane = campaign.FindItem("jane@acme.test", null);
        var boss = campaign.FindItem("boss@acme.test", null);

        var decided = ReviewRules.Decide(campaign, jane, DecisionKind.Revoke, [], "mallory@acme.test", "left the team", Now, "d1", byAdministrator: true);
        Assert.Equal(("mallory@acme.test", DecisionKind.Revoke), (decided.By, decided.Decision));

        var own = Assert.Throws<ReviewRuleException>(() =>
            ReviewRules.Decide(campaign, boss, DecisionKind.Keep, [], "boss@acme.test", null, Now, "d2", byAdministrator: true));
        Assert.Contains("may not decide on their own access", own.Message);
    }

    [Fact]
    public void Revoke_and_change_role_need_a_comment_and_change_role_needs_roles()
    {
        var campaign = Campaign();
        var jane = campaign.FindItem("jane@acme.test", null);

        Assert.Contains("needs a comment", Assert.Throws<ReviewRuleException>(() => ReviewRules.Decide(campaign, jane, DecisionKind.Revoke, [], "boss@acme.test", " ", Now, "d")).Message);
        Assert.Contains("needs a comment", Assert.Throws<ReviewRuleException>(() => ReviewRules.Decide(campaign, jane, DecisionKind.ChangeRole, ["DNS"], "boss@acme.test", null, Now, "d")).Message);
        Assert.Contains("needs the Cloudflare role", Assert.Throws<ReviewRuleException>(() => ReviewRules.Decide(campaign, jane, DecisionKind.ChangeRole, [], "boss@acme.test", "why", Now, "d")).Message);
        var decision = ReviewRules.Decide(campaign, jane, DecisionKind.ChangeRole, ["DNS", "dns", "Analytics"], "boss@acme.test", "least privilege", Now, "d");
        Assert.Equal(["DNS", "Analytics"], decision.Roles);
        Assert.Equal(campaign.Campaign.SnapshotId, decision.SnapshotId);
    }

    [Fact]
    public void A_later_decision_supersedes_and_defer_stays_undecided()
    {
        var campaign = Campaign()
            .Decide("jane@acme.test", DecisionKind.Revoke, Now)
            .Decide("jane@acme.test", DecisionKind.Keep, Now.AddMinutes(1), comment: null)
            .Decide("boss@acme.test", DecisionKind.Defer, Now, comment: null);
        var jane = campaign.FindItem("jane@acme.test", null);

        Assert.Equal(DecisionKind.Keep, campaign.LatestDecision(jane)!.Decision);
        Assert.Equal(3, campaign.Decisions.Count);
        Assert.Equal(1, campaign.DecidedCount);
        Assert.Equal(CampaignStatus.InReview, campaign.Status);
        Assert.Equal(VerificationState.None, campaign.VerificationOf(jane, Now, TimeSpan.FromDays(7)).State);
    }

    [Fact]
    public void Sign_off_needs_every_item_decided_and_the_owner_or_an_admin()
    {
        var staff = new StaffDirectory(People);
        var campaign = Campaign().Decide("jane@acme.test", DecisionKind.Keep, Now, comment: null);

        Assert.Contains("1 undecided item", Assert.Throws<ReviewRuleException>(() => ReviewRules.Complete(campaign, "owner@acme.test", "ok", Now, staff)).Message);

        campaign = campaign.Decide("boss@acme.test", DecisionKind.Keep, Now, comment: null);
        Assert.Equal(CampaignStatus.AwaitingSignoff, campaign.Status);
        var refused = Assert.Throws<ReviewRuleException>(() => ReviewRules.Complete(campaign, "boss@acme.test", "ok", Now, staff));
        Assert.Contains("only the system owner owner@acme.test or an admin (ada@acme.test) may", refused.Message);
        Assert.Contains("statement", Assert.Throws<ReviewRuleException>(() => ReviewRules.Complete(campaign, "owner@acme.test", " ", Now, staff)).Message);

        Assert.Equal("ada@acme.test", ReviewRules.Complete(campaign, "ada@acme.test", "Reviewed", Now, staff).By);
        var signOff = ReviewRules.Complete(campaign, "owner@acme.test", "Reviewed every membership", Now, staff);
        var completed = new ReviewCampaign(campaign.Campaign with { Status = CampaignStatus.Completed, SignOff = signOff }, campaign.Items, campaign.Decisions, []);
        Assert.Contains("is completed", Assert.Throws<ReviewRuleException>(() =>
            ReviewRules.Decide(completed, completed.Items[0], DecisionKind.Keep, [], "owner@acme.test", null, Now, "d")).Message);
    }

    [Fact]
    public void Only_the_owner_reassigns_and_never_to_the_member()
    {
        var staff = new StaffDirectory(People);
        var campaign = Campaign();
        var jane = campaign.FindItem("jane@acme.test", null);

        Assert.Contains("only the system owner owner@acme.test may", Assert.Throws<ReviewRuleException>(() => ReviewRules.Reassign(campaign, jane, "x@acme.test", "boss@acme.test", Now, staff)).Message);
        Assert.Contains("may not review their own access", Assert.Throws<ReviewRuleException>(() => ReviewRules.Reassign(campaign, jane, "jane@acme.test", "owner@acme.test", Now, staff)).Message);
        var moved = ReviewRules.Reassign(campaign, jane, "ada@acme.test", "owner@acme.test", Now, staff);
        Assert.Equal(("boss@acme.test", "ada@acme.test"), (moved.From, moved.To));
    }

    [Fact]
    public void Bulk_decisions_are_all_or_nothing_with_errors_by_line()
    {
        var campaign = Campaign();
        var csv = """
            member_email,account_id,decision,role,comment
            jane@acme.test,acc-1,revoke,,left the team
            boss@acme.test,,maybe,,
            nobody@acme.test,,keep,,
            """;

        var (decisions, errors) = BulkDecisions.Read(new StringReader(csv), campaign, "owner@acme.test", Now, () => Guid.NewGuid().ToString());

        Assert.Empty(decisions);
        Assert.Equal(["line 3: decision 'maybe' is not keep, revoke, change_role or defer", "line 4: campaign camp-1 has no item for nobody@acme.test"], errors);

        var good = """
            member_email,account_id,decision,role,comment
            jane@acme.test,acc-1,change_role,DNS;Analytics,least privilege
            boss@acme.test,,keep,,
            """;
        (decisions, errors) = BulkDecisions.Read(new StringReader(good), campaign, "owner@acme.test", Now, () => Guid.NewGuid().ToString());
        Assert.Empty(errors);
        Assert.Equal([DecisionKind.ChangeRole, DecisionKind.Keep], decisions.Select(d => d.Decision));
        Assert.Equal(["DNS", "Analytics"], decisions[0].Roles);
    }

    [Fact]
    public void A_bulk_file_from_a_reviewer_refuses_the_lines_of_items_they_do_not_review_and_names_who_may()
    {
        var campaign = Campaign();
        var csv = """
            member_email,account_id,decision,role,comment
            jane@acme.test,acc-1,keep,,
            boss@acme.test,,keep,,
            """;

        // boss reviews jane (his report) but not himself: his own item belongs to the owner, so the whole file is refused.
        var (decisions, errors) = BulkDecisions.Read(new StringReader(csv), campaign, "boss@acme.test", Now, () => Guid.NewGuid().ToString(), new StaffDirectory(People));

        Assert.Empty(decisions);
        var error = Assert.Single(errors);
        Assert.StartsWith("line 3: boss@acme.test may not decide on boss@acme.test in Acme; only its reviewer owner@acme.test", error);
    }
}
