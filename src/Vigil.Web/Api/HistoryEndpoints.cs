using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App;
using Vigil.App.History;
using Vigil.Core.History;

namespace Vigil.Web.Api;

/// <summary>
/// /api/v1/history and /api/v1/diff over <see cref="HistoryOperations"/>, answering the same JSON as
/// <c>vigil history --format json</c> (one row per stored evaluation and check, oldest first) and
/// <c>vigil diff A B --format json</c>.
/// </summary>
internal static class HistoryEndpoints
{
    public static RouteGroupBuilder MapHistoryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/history", HistoryAsync).WithName("GetCheckHistory").WithTags("History").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/diff", DiffAsync).WithName("DiffSnapshots").WithTags("History").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>Every stored evaluation's result per check, oldest first; <c>check</c> keeps one check's rows.</summary>
    private static async Task<IResult> HistoryAsync(HttpContext http, string? check, CancellationToken ct)
    {
        if (check is not null && string.IsNullOrWhiteSpace(check))
        {
            return ApiErrors.Validation("check", "check needs a check id, e.g. cloudflare.zone-min-tls-1-2 (GET /api/v1/checks lists them)");
        }

        try
        {
            return TypedResults.Ok(await HistoryOperations.CheckHistoryAsync(ApiRequest.Store(http), check, ct));
        }
        catch (OperationException e)
        {
            return FieldNotFound("check", e.Message);
        }
    }

    /// <summary>What changed between snapshot <c>from</c> and snapshot <c>to</c> (sync run ids, as GET /api/v1/syncs lists them).</summary>
    private static async Task<IResult> DiffAsync(HttpContext http, string? from, string? to, CancellationToken ct)
    {
        foreach (var (field, value) in new[] { ("from", from), ("to", to) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return ApiErrors.Validation(field, $"{field} is required: a snapshot (sync run) id, as GET /api/v1/syncs lists them");
            }
        }

        var store = ApiRequest.Store(http);
        foreach (var (field, value) in new[] { ("from", from!.Trim()), ("to", to!.Trim()) })
        {
            if (await store.GetRunAsync(value, ct) is null)
            {
                return FieldNotFound(field, $"there is no snapshot '{value}': GET /api/v1/syncs lists the snapshot ids");
            }
        }

        try
        {
            return TypedResults.Ok<SnapshotDiff>(await HistoryOperations.DiffAsync(store, from.Trim(), to.Trim(), ct));
        }
        catch (OperationException e)
        {
            // A run that committed nothing, or whose data retention removed: name the side by its id in the message.
            return ApiErrors.Conflict(e.Message);
        }
    }

    private static ProblemHttpResult FieldNotFound(string field, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}
