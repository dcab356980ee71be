using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>The overview (dashboard).</summary>
internal sealed class IndexModel : PageModel
{
    public string OrganisationName => User.Organisation().Name;

    public void OnGet()
    {
    }
}
