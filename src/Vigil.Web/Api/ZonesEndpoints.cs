using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App.Queries;

namespace Vigil.Web.Api;

/// <summary>/api/v1/zones: each zone with its settings and WAF state as the checks read them.</summary>
internal static class ZonesEndpoints
{
    public static RouteGroupBuilder MapZonesEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/zones").WithTags("Zones");
        group.MapGet("", ListAsync).WithName("ListZones").ProducesValidationProblem();
        group.MapGet("/{zone}", GetAsync).WithName("GetZone");
        return api;
    }

    private static async Task<Ok<ApiPage<ZoneView>>> ListAsync(HttpContext http, string? account, string? search, int? limit, string? cursor, CancellationToken ct) =>
        TypedResults.Ok(ApiPage<ZoneView>.From(await ZonesQuery.ListAsync(ApiRequest.Store(http), new ZoneFilter(account, search), PageRequest.From(limit, cursor), ct)));

    private static async Task<Results<Ok<ZoneView>, ProblemHttpResult>> GetAsync(string zone, HttpContext http, CancellationToken ct) =>
        await ZonesQuery.GetAsync(ApiRequest.Store(http), zone, ct) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem(detail: $"no zone '{zone}' in the current snapshot", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
