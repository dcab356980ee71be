using Vigil.App;

namespace Vigil.Web.Api;

/// <summary>
/// The REST API under <c>/api/v1</c>. The group arrives already authenticated (cookie or Bearer API key; 401 otherwise),
/// needing at least the viewer policy, with anti-forgery enforced on state-changing cookie requests. The scoped
/// <c>IVigilStore</c> is the signed-in user's organisation; <c>VigilClaims</c> reads the user. One
/// <c>Map...Endpoints()</c> file per resource; errors are problem details (<see cref="ApiErrors"/>).
/// </summary>
internal static class ApiEndpoints
{
    /// <summary>The API's services: background syncs, and snake_case JSON for the minimal API endpoints.</summary>
    public static IServiceCollection AddVigilApi(this IServiceCollection services)
    {
        services.AddSingleton<BackgroundSyncs>();
        services.ConfigureHttpJsonOptions(o => ApiRequest.Configure(o.SerializerOptions));
        return services;
    }

    /// <summary>The single extension point for the API (the api branch owns everything under Api/).</summary>
    public static RouteGroupBuilder MapVigilApi(this RouteGroupBuilder api)
    {
        api.AddEndpointFilter(ApiErrors.FilterAsync);
        api.MapConnectionsEndpoints();
        api.MapSyncsEndpoints();
        api.MapChecksEndpoints();
        api.MapZonesEndpoints();
        api.MapMembersEndpoints();
        api.MapPeopleEndpoints();
        api.MapSettingsEndpoints();
        api.MapReviewsEndpoints();
        api.MapReportsEndpoints();
        api.MapHistoryEndpoints();
        return api;
    }
}
