using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.App;

namespace Vigil.Web.Api;

/// <summary>The REST API's services and endpoints, mapped onto the host's authenticated /api/v1 group.</summary>
internal static class ApiEndpoints
{
    public static IServiceCollection AddVigilApi(this IServiceCollection services)
    {
        services.AddSingleton<BackgroundSyncs>();
        services.ConfigureHttpJsonOptions(o => ApiRequest.Configure(o.SerializerOptions));
        return services;
    }

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
        return api;
    }
}
