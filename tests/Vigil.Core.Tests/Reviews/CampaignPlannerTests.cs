using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Reviews;

public sealed class CampaignPlannerTests
{
    private static Person WithManager(Person person, string manager) => person with { ManagerEmail = manager };

    [Fact]
    public void Assigns_the_manager_else_the_owner_else_the_reviewer_list_in_turn_never_the_member()
    {
        var snapshot = new SnapshotBuilder()
            .Member("jane@acme.test").Member("boss@acme.test").Member("owner@acme.test").Member("bot@acme.test").Member("x@ext.test").Member("rev1@acme.test")
            .Build();
        var people = new[]
        {
            WithManager(Active("jane@acme.test"), "boss@acme.test"),
            Active("boss@acme.test"),
            Active("owner@acme.test"),
            // A manager who is the member themselves (a data error) is skipped like any self-review.
            WithManager(Active("rev1@acme.test"), "rev1@acme.test"),
        };
        var context = Context(snapshot, people, [MapToService("bot@acme.test", "CI deploys")], Cloudflare("engineer"));

        var campaign = Campaigns.Start(context, owner: "owner@acme.test", reviewers: ["rev1@acme.test", "rev2@acme.test"]);
        string ReviewerOf(string email) => campaign.FindItem(email, null).Reviewer;

        Assert.Equal("boss@acme.test", ReviewerOf("jane@acme.test"));
        Assert.Equal("owner@acme.test", ReviewerOf("boss@acme.test"));
        Assert.Equal("owner@acme.test", ReviewerOf("bot@acme.test"));
        // The owner's own membership goes to the reviewer list, in turn; the list skips the member themselves.
        Assert.Equal("rev1@acme.test", ReviewerOf("owner@acme.test"));
        Assert.Equal("owner@acme.test", ReviewerOf("rev1@acme.test"));
        Assert.Equal(6, campaign.Items.Count);
        Assert.All(campaign.Items, i => Assert.NotEqual(i.MemberEmail, i.Reviewer, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Takes_the_reviewer_list_in_turn_when_there_is_no_owner()
    {
        var snapshot = new SnapshotBuilder().Member("a@acme.test").Member("b@acme.test").Member("c@acme.test").Build();
        var campaign = Campaigns.Start(Context(snapshot), owner: null, reviewers: ["a@acme.test", "z@acme.test"]);

        // a: a is self, so z; b: a (next in turn); c: z.
        Assert.Equal(["z@acme.test", "a@acme.test", "z@acme.test"], campaign.Items.Select(i => i.Reviewer));
    }

    [Fact]
    public void Refuses_when_only_the_member_could_review()
    {
        var snapshot = new SnapshotBuilder().Member("solo@acme.test").Build();

        var refused = Assert.Throws<ReviewRuleException>(() => Campaigns.Start(Context(snapshot), owner: "solo@acme.test"));
        Assert.Contains("no reviewer for 1 member (solo@acme.test)", refused.Message);
        Assert.Contains("--reviewer", refused.Message);
    }

    [Fact]
    public void Flags_what_the_access_checks_raise_plus_super_administrators_and_old_invites()
    {
        var snapshot = new SnapshotBuilder()
            .Member("ghost@ext.test")
            .Member("left@acme.test")
            .Member("eng@acme.test", roles: ["Super Administrator - All Privileges"], twoFactor: false)
            .Member("invited@acme.test", status: MembershipStatus.Pending, id: "mem-inv")
            .Member("fine@acme.test", roles: ["DNS"])
            .ReadAt(Now.AddHours(-1))
            .Build();
        var people = new[] { Offboarded("left@acme.test", new DateOnly(2025, 1, 1)), Active("eng@acme.test"), Active("invited@acme.test"), Active("fine@acme.test") };
        var context = Context(snapshot, people, system: Cloudflare("engineer=DNS"), now: Now);
        var firstSeen = new Dictionary<(string, string), DateTimeOffset> { [(SnapshotBuilder.DefaultAccountId, "mem-inv")] = Now.AddDays(-31) };

        var campaign = Campaigns.Start(context, firstSeen: firstSeen);
        IReadOnlyList<string> FlagsOf(string email) => campaign.FindItem(email, null).RiskFlags;

        Assert.Equal([RiskFlags.Unidentified], FlagsOf("ghost@ext.test"));
        Assert.Contains(RiskFlags.Offboarded, FlagsOf("left@acme.test"));
        Assert.Equal([RiskFlags.RoleBeyondLimit, RiskFlags.NoTwoFactor, RiskFlags.SuperAdministrator], FlagsOf("eng@acme.test"));
        Assert.Contains(RiskFlags.StaleInvite, FlagsOf("invited@acme.test"));
        Assert.Empty(FlagsOf("fine@acme.test"));
        var eng = campaign.FindItem("eng@acme.test", null);
        Assert.Equal("engineer", eng.OrgRole);
        Assert.Equal("Super Administrator - All Privileges", Assert.Single(eng.Grants).Name);
        Assert.Equal(Now.AddDays(-31), campaign.FindItem("invited@acme.test", null).FirstSeen);
    }

    [Fact]
    public void Marks_new_changed_and_unchanged_items_and_lists_removed_memberships()
    {
        var people = new[] { Active("a@acme.test"), Active("b@acme.test"), Active("c@acme.test"), Active("d@acme.test") };
        var first = new SnapshotBuilder().Member("a@acme.test", id: "m-a").Member("b@acme.test", id: "m-b").Member("c@acme.test", id: "m-c", twoFactor: true).Build();
        var previous = Campaigns.Start(Context(first, people), id: "camp-0");
        var second = new SnapshotBuilder()
            .Member("a@acme.test", id: "m-a")
            .Member("c@acme.test", id: "m-c", twoFactor: false, roles: ["DNS"])
            .Member("d@acme.test", id: "m-d")
            .Build();

        var campaign = Campaigns.Start(Context(second, people), previous: previous);

        Assert.Equal(ItemChange.Unchanged, campaign.FindItem("a@acme.test", null).Change);
        var changed = campaign.FindItem("c@acme.test", null);
        Assert.Equal(ItemChange.Changed, changed.Change);
        Assert.Equal(["roles", "2fa"], changed.Changes);
        Assert.Equal(ItemChange.New, campaign.FindItem("d@acme.test", null).Change);
        Assert.Equal("camp-0", campaign.Campaign.PreviousCampaignId);
        Assert.Equal("b@acme.test", Assert.Single(campaign.Campaign.Removed).MemberEmail);
    }

    [Fact]
    public void Data_older_than_24_hours_or_from_a_failed_sync_is_stale()
    {
        Assert.Null(CampaignPlanner.StaleReason(new StageFreshness(Now.AddHours(-23), null), Now));
        Assert.Contains("more than 24 h ago", CampaignPlanner.StaleReason(new StageFreshness(Now.AddHours(-25), null), Now));
        Assert.Contains("the last access sync failed: 403", CampaignPlanner.StaleReason(new StageFreshness(Now.AddHours(-1), "403"), Now));
    }
}
