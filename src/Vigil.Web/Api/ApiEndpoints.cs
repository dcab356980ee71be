namespace Vigil.Web.Api;

/// <summary>
/// The REST API under <c>/api/v1</c>. The group arrives already authenticated (cookie or Bearer API key; 401 otherwise),
/// needing at least the viewer policy, with anti-forgery enforced on state-changing cookie requests. The scoped
/// <c>IVigilStore</c> is the signed-in user's organisation; <c>VigilClaims</c> reads the user. Add one
/// <c>Map...Endpoints()</c> file per resource here and call it below.
/// </summary>
internal static class ApiEndpoints
{
    /// <summary>The single extension point for the API (the api branch owns everything under Api/).</summary>
    public static RouteGroupBuilder MapVigilApi(this RouteGroupBuilder api) => api;
}
