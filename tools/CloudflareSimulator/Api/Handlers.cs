using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Simulation;

internal static class Handlers
{
    public const string Prefix = "/client/v4";

    /// <summary>
    /// The account named by the route's account_id, when the id is well formed, the account exists and the caller holds
    /// any of <paramref name="groups"/> on it; otherwise the failure Cloudflare answers (7003/7000-style, or 10000).
    /// </summary>
    public static bool TryFindAccount(this SimulatorState state, HttpContext context, ReadOnlySpan<string> groups, out ScenarioAccount account,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ApiFailure? failure)
    {
        account = null!;
        failure = null;
        var id = context.Route("account_id");
        if (!IsIdentifier(id))
        {
            failure = ApiErrors.InvalidIdentifier(context.ApiPath());
            return false;
        }

        if (!state.AccountsById.TryGetValue(id, out var found))
        {
            failure = ApiErrors.UnknownObject(context.ApiPath());
            return false;
        }

        if (!context.Caller().GrantsAny(groups, id))
        {
            failure = ApiErrors.AuthenticationError;
            return false;
        }

        account = found;
        return true;
    }

    public static void MapSimulatorRoute(this IEndpointRouteBuilder routes, string template, RequestDelegate handler, RouteAuth auth = RouteAuth.Normal) =>
        routes.MapGet(Prefix + template, handler).WithMetadata(new SimRoute(template, auth));

    /// <summary>A route for a write method (DELETE, PUT); its stats key is "METHOD template".</summary>
    public static void MapSimulatorWrite(this IEndpointRouteBuilder routes, string method, string template, RequestDelegate handler) =>
        routes.MapMethods(Prefix + template, [method], handler).WithMetadata(new SimRoute(template, RouteAuth.Normal));

    public static Principal Caller(this HttpContext context) => context.Features.Get<Principal>()!;

    public static string Route(this HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    /// <summary>Cloudflare object ids are 32 lowercase hex characters.</summary>
    public static bool IsIdentifier(string value)
    {
        if (value.Length != 32)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static string ApiPath(this HttpContext context) =>
        context.Request.Path.StartsWithSegments(Prefix, out var rest) ? rest.Value ?? "/" : context.Request.Path.Value ?? "/";

    public static DateTime Utc(DateTimeOffset value) => value.UtcDateTime;

    public static DateTime? Utc(DateTimeOffset? value) => value?.UtcDateTime;

    public static Task FailAsync(this HttpContext context, ApiFailure failure) => Envelope.WriteFailureAsync(context, failure);
}
