using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Simulation;

/// <summary>
/// Bot management and Logpush jobs. Shapes: Cloudflare's OpenAPI <c>bot-management_*</c> schemas (bot_management is in
/// openapi-subset.json) and, for Logpush jobs, which the subset lacks, the SDK type <c>LogpushJob</c>
/// (cloudflare-typescript src/resources/logpush/jobs.ts; developers.cloudflare.com/api/resources/logpush/subresources/jobs/).
/// </summary>
internal sealed class ProtectionEndpoints(SimulatorState state)
{
    private static readonly string[] BotGroups = [PermissionGroups.BotManagementRead];
    private static readonly string[] LogsGroups = [PermissionGroups.LogsRead];

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapSimulatorRoute("/zones/{zone_id}/bot_management", GetBotManagementAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/logpush/jobs", ListZoneLogpushJobsAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/logpush/jobs", ListAccountLogpushJobsAsync);
    }

    /// <summary>The zone's bot configuration in the shape its plan gets (the SDK's BotManagementGetResponse union).</summary>
    private Task GetBotManagementAsync(HttpContext context)
    {
        if (!TryFindZone(context, BotGroups, out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        var bots = zone.Zone.BotManagement;
        var plan = zone.Zone.Plan.LegacyId;
        var result = new JsonObject
        {
            ["enable_js"] = bots.EnableJs,
            ["ai_bots_protection"] = "disabled",
            ["using_latest_model"] = true,
        };
        if (plan == "enterprise" && bots.BotManagementSubscription)
        {
            result["auto_update_model"] = bots.AutoUpdateModel;
            result["suppress_session_score"] = false;
            result["bm_cookie_enabled"] = true;
        }
        else if (plan is "pro" or "business" or "enterprise")
        {
            result["sbfm_definitely_automated"] = bots.SbfmDefinitelyAutomated;
            result["sbfm_verified_bots"] = bots.SbfmVerifiedBots;
            result["sbfm_static_resource_protection"] = false;
            result["optimize_wordpress"] = false;
            if (plan != "pro")
            {
                result["sbfm_likely_automated"] = bots.SbfmLikelyAutomated;
            }
        }
        else
        {
            result["fight_mode"] = bots.FightMode;
        }

        return Envelope.WriteSuccessAsync(context, result, ApiJsonContext.Default.JsonObject);
    }

    private Task ListZoneLogpushJobsAsync(HttpContext context) =>
        TryFindZone(context, LogsGroups, out var zone, out var failure)
            ? WriteJobsAsync(context, zone.Zone.LogpushJobs)
            : context.FailAsync(failure);

    private Task ListAccountLogpushJobsAsync(HttpContext context) =>
        state.TryFindAccount(context, LogsGroups, out var account, out var failure)
            ? WriteJobsAsync(context, account.LogpushJobs)
            : context.FailAsync(failure);

    /// <summary>One unpaged list, as Cloudflare sends it (no result_info).</summary>
    private static Task WriteJobsAsync(HttpContext context, IEnumerable<ScenarioLogpushJob> jobs)
    {
        IReadOnlyList<LogpushJobDto> dtos = [.. jobs.Select(j => new LogpushJobDto(
            j.Id,
            j.Dataset,
            j.DestinationConf,
            j.Enabled,
            j.ErrorMessage,
            j.Kind,
            j.LastComplete is { } complete ? Handlers.Utc(complete) : null,
            j.LastError is { } error ? Handlers.Utc(error) : null,
            j.Name,
            new JsonObject { ["output_type"] = "ndjson", ["timestamp_format"] = "rfc3339" }))];
        return Envelope.WriteSuccessAsync(context, dtos, ApiJsonContext.Default.IReadOnlyListLogpushJobDto);
    }

    private bool TryFindZone(HttpContext context, ReadOnlySpan<string> anyOf, out ZoneEntry zone, [NotNullWhen(false)] out ApiFailure? failure)
    {
        zone = null!;
        failure = null;
        var id = context.Route("zone_id");
        if (!Handlers.IsIdentifier(id))
        {
            failure = ApiErrors.InvalidIdentifier(context.ApiPath());
            return false;
        }

        if (!state.ZonesById.TryGetValue(id, out var found))
        {
            failure = ApiErrors.UnknownObject(context.ApiPath());
            return false;
        }

        if (!context.Caller().GrantsAny(anyOf, found.Account.Id, found.Zone.Id))
        {
            failure = ApiErrors.AuthenticationError;
            return false;
        }

        zone = found;
        return true;
    }
}
