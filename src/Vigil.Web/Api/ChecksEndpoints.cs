using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App.Queries;

namespace Vigil.Web.Api;

/// <summary>/api/v1/checks and /api/v1/findings: pass/fail per check, and the findings filtered and paginated.</summary>
internal static class ChecksEndpoints
{
    public static RouteGroupBuilder MapChecksEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/checks", SummaryAsync).WithTags("Checks").WithName("ListChecks");
        api.MapGet("/findings", FindingsAsync).WithTags("Checks").WithName("ListFindings").ProducesValidationProblem();
        return api;
    }

    private static async Task<Ok<ChecksSummary>> SummaryAsync(HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await ChecksQuery.SummaryAsync(ApiRequest.Store(http), ct));

    /// <param name="status">pass, fail, skipped, unknown, excepted (several separated by commas).</param>
    /// <param name="severity">low, medium, high, critical (several separated by commas).</param>
    /// <param name="check">A check id.</param>
    /// <param name="account">An account id or name.</param>
    /// <param name="zone">A zone id or name.</param>
    private static async Task<Ok<FindingsResponse>> FindingsAsync(
        HttpContext http, string? status, string? severity, string? check, string? account, string? zone, int? limit, string? cursor, CancellationToken ct)
    {
        var result = await FindingsQuery.ListAsync(ApiRequest.Store(http), new FindingFilter(status, severity, check, account, zone), PageRequest.From(limit, cursor), ct);
        return TypedResults.Ok(new FindingsResponse(result.Page.Items, result.Page.Total, result.Page.NextCursor, result.SnapshotId, result.EvaluatedAt));
    }
}
