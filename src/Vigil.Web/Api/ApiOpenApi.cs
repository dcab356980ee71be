using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Vigil.Web.Api;

/// <summary>
/// The OpenAPI document of the REST API at <c>/openapi/v1.json</c> (signed in, like everything but /health). A copy is
/// committed at <c>src/Vigil.Web/Api/openapi-v1.json</c>; <c>OpenApiDocumentTests</c> fails when they differ and says how to
/// regenerate it.
/// </summary>
internal static class ApiOpenApi
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddVigilOpenApi(this IServiceCollection services) => services.AddOpenApi(DocumentName, o =>
    {
        // Only the API: the pages and /health are not part of its contract.
        o.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Vigil REST API",
                Version = "v1",
                Description = "Compliance monitoring for Cloudflare. Sign in with the session cookie (pages) or send `Authorization: Bearer API_KEY` " +
                    "(`vigil users api-key EMAIL`). Errors are RFC 9457 problem details; lists are paginated with `limit` and the opaque `cursor` " +
                    "from the previous page's `next_cursor`.",
            };
            // The server address depends on where it runs: left out so that the committed copy does not drift.
            document.Servers?.Clear();
            return Task.CompletedTask;
        });
    });

    public static IEndpointConventionBuilder MapVigilOpenApi(this IEndpointRouteBuilder app) =>
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Security.VigilPolicies.Viewer);
}
