using Vigil.App;
using Vigil.Storage;
using Vigil.Web.Security;

namespace Vigil.Web.Api;

/// <summary>The signed-in organisation's store, and services over it for operations that talk to Cloudflare.</summary>
internal static class ApiStore
{
    /// <summary>The request's organisation view (disposed with the request).</summary>
    public static IVigilStore Of(HttpContext http) => http.RequestServices.GetRequiredService<IVigilStore>();

    /// <summary>
    /// Services over a view of the organisation that belongs to the caller, who disposes them (a background sync outlives
    /// the request, so it cannot use the request's view).
    /// </summary>
    public static VigilServices Services(HttpContext http)
    {
        var root = http.RequestServices.GetRequiredService<RootStore>().Store;
        return VigilServices.Create(root.ForOrganisation(http.User.Organisation()), time: ApiRequest.Time(http));
    }
}
