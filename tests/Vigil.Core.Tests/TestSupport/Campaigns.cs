using Vigil.Core.Checks;
using Vigil.Core.Reviews;

namespace Vigil.Core.Tests.TestSupport;

/// <summary>Review campaigns for tests: planned from a context as `vigil review start` does, then decided and verified in memory.</summary>
internal static class Campaigns
{
    public static ReviewCampaign Start(EvaluationContext context, string? owner = "owner@acme.test", string[]? reviewers = null, ReviewCampaign? previous = null,
        IReadOnlyDictionary<(string, string), DateTimeOffset>? firstSeen = null, string id = "camp-1")
    {
        var (campaign, items) = CampaignPlanner.Plan(new CampaignRequest(id, "cloudflare", null, null, owner, reviewers ?? [], false), context, previous,
            firstSeen ?? new Dictionary<(string, string), DateTimeOffset>(), null);
        return new ReviewCampaign(campaign, items, [], []);
    }

    /// <summary>The campaign with one more decision, made by the item's reviewer unless <paramref name="by"/> is given.</summary>
    public static ReviewCampaign Decide(this ReviewCampaign campaign, string email, DecisionKind kind, DateTimeOffset at, string? comment = "no longer needed",
        string[]? roles = null, string? by = null)
    {
        var item = campaign.FindItem(email, null);
        var decision = ReviewRules.Decide(campaign, item, kind, roles ?? [], by ?? item.Reviewer, comment, at, $"dec-{campaign.Decisions.Count + 1}")
            with { Seq = campaign.Decisions.Count + 1 };
        return new ReviewCampaign(campaign.Campaign, campaign.Items, [.. campaign.Decisions, decision], campaign.Verifications);
    }

    /// <summary>The campaign after a sync produced <paramref name="snapshot"/>, with the events that sync records.</summary>
    public static ReviewCampaign Sync(this ReviewCampaign campaign, Sync.Snapshot snapshot, DateTimeOffset at)
    {
        var events = RevocationVerifier.Advance(campaign, snapshot, at);
        return new ReviewCampaign(campaign.Campaign, campaign.Items, campaign.Decisions, [.. campaign.Verifications, .. events]);
    }

    public static ReviewCampaign Completed(this ReviewCampaign campaign, DateTimeOffset at, string by = "owner@acme.test") =>
        new(campaign.Campaign with { Status = CampaignStatus.Completed, SignOff = new CampaignSignOff(by, at, "reviewed") }, campaign.Items, campaign.Decisions, campaign.Verifications);
}
