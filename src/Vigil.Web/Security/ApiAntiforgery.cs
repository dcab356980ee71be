using Microsoft.AspNetCore.Antiforgery;

namespace Vigil.Web.Security;

/// <summary>
/// Anti-forgery for the API when a browser calls it with the session cookie: every state-changing request under /api
/// must carry the token (header X-CSRF-TOKEN, as a page's script sends it), whatever endpoint it reaches. Bearer-key
/// requests carry no ambient credential and need none.
/// </summary>
internal static class ApiAntiforgery
{
    public static IApplicationBuilder UseVigilApiAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var method = context.Request.Method;
        var safe = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
        if (!safe && context.Request.Path.StartsWithSegments("/api") && context.User.Identity is { IsAuthenticated: true } identity
            && identity.AuthenticationType != VigilSchemes.ApiKey)
        {
            try
            {
                await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid anti-forgery token",
                    detail: "A state-changing request made with the session cookie needs the X-CSRF-TOKEN header; API clients use Authorization: Bearer with an API key.")
                    .ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });
}
