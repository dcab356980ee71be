using Vigil.App.Queries;

namespace Vigil.Web.Api;

/// <summary>A page of a list: the items, how many match in all, and the cursor of the next page (null on the last).</summary>
internal sealed record ApiPage<T>(IReadOnlyList<T> Items, int Total, string? NextCursor)
{
    public static ApiPage<T> From(Page<T> page) => new(page.Items, page.Total, page.NextCursor);
}

/// <summary>A page of review campaigns, oldest first (the order they were started), under the key <c>vigil review list --format json</c> uses.</summary>
internal sealed record CampaignPage(IReadOnlyList<Vigil.App.Reviews.CampaignSummaryView> Campaigns, int Total, string? NextCursor);

/// <summary>A page of findings with the evaluation they come from.</summary>
internal sealed record FindingsResponse(IReadOnlyList<FindingView> Items, int Total, string? NextCursor, string? SnapshotId, DateTimeOffset? EvaluatedAt);
