using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>POST /signout (with the anti-forgery token) ends the session; GET only points back.</summary>
internal sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(VigilSchemes.Cookie);
        return Redirect("/signin");
    }
}
