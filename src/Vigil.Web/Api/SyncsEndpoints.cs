using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.App;
using Vigil.App.Queries;
using Vigil.Core.Sync;
using Vigil.Web.Security;

namespace Vigil.Web.Api;

/// <summary>POST /api/v1/syncs: which stages to run (both by default).</summary>
internal sealed record StartSyncRequest(string? Purpose = null);

/// <summary>/api/v1/syncs: trigger sync-then-evaluate (202, in the background), list runs, get one with stages and progress.</summary>
internal static class SyncsEndpoints
{
    public const string Trigger = "api";

    public static RouteGroupBuilder MapSyncsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/syncs").WithTags("Syncs");
        group.MapPost("", StartAsync).WithName("StartSync").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<StartSyncRequest>("application/json")
            .Produces<RunView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem();
        group.MapGet("", ListAsync).WithName("ListSyncs");
        group.MapGet("/{id}", GetAsync).WithName("GetSync");
        return api;
    }

    private static async Task<IResult> StartAsync(HttpContext http, CancellationToken ct)
    {
        var purpose = ConnectionPurpose.Both;
        if (http.Request.ContentLength > 0)
        {
            var body = await ApiRequest.BodyAsync<StartSyncRequest>(http, ct);
            purpose = body.Purpose?.Trim().ToLowerInvariant() switch
            {
                null or "" or "both" => ConnectionPurpose.Both,
                "access" => ConnectionPurpose.Access,
                "infra" => ConnectionPurpose.Infra,
                _ => throw new InvalidRequestException("purpose must be access, infra or both", "purpose"),
            };
        }

        var syncs = http.RequestServices.GetRequiredService<BackgroundSyncs>();
        var stopping = http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        // The run outlives the request: it gets services of its own, which it disposes when it ends.
        var runId = await syncs.StartAsync(ApiStore.Services(http), purpose, Trigger, stopping, ct);
        var run = await RunsQuery.GetAsync(ApiRequest.Store(http), runId, syncs.ProgressOf, ct);
        return TypedResults.Accepted($"/api/v1/syncs/{Uri.EscapeDataString(runId)}", run);
    }

    private static async Task<Ok<ApiPage<RunView>>> ListAsync(HttpContext http, int? limit, string? cursor, CancellationToken ct)
    {
        var syncs = http.RequestServices.GetRequiredService<BackgroundSyncs>();
        var page = await RunsQuery.ListAsync(ApiRequest.Store(http), PageRequest.From(limit, cursor), syncs.ProgressOf, ct);
        return TypedResults.Ok(ApiPage<RunView>.From(page));
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, CancellationToken ct)
    {
        var syncs = http.RequestServices.GetRequiredService<BackgroundSyncs>();
        return await RunsQuery.GetAsync(ApiRequest.Store(http), id, syncs.ProgressOf, ct) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem(detail: $"no sync run '{id}'", statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }
}
