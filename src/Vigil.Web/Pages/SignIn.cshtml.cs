using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App.Users;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>The sign-in page (anonymous): fields "Email" and "Password", button "Sign in".</summary>
internal sealed class SignInModel(RootStore root, UserAccounts users, AccountSignInThrottle throttle, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var email = (Email ?? "").Trim();
        if (!throttle.TryAttempt(email))
        {
            Problem = "Too many sign-in attempts for this account; wait a minute and try again.";
            return Refused(StatusCodes.Status429TooManyRequests);
        }

        var result = await users.SignInAsync(root.Store, email, Password ?? "", ct);
        if (result.LockedUntil is { } until)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalMinutes));
            Problem = $"This account is locked after repeated failed sign-ins; try again in {minutes} minute(s), or ask an admin to reset the password.";
            return Refused(StatusCodes.Status403Forbidden);
        }

        if (!result.Succeeded)
        {
            Problem = "The email or password is not right.";
            return Refused(StatusCodes.Status401Unauthorized);
        }

        var principal = VigilClaims.Principal(result.User!, result.Organisation!, VigilSchemes.Cookie);
        await HttpContext.SignInAsync(VigilSchemes.Cookie, principal, new AuthenticationProperties { IsPersistent = false });
        return LocalRedirect(ReturnUrl is { Length: > 0 } back && Url.IsLocalUrl(back) && !back.StartsWith("/signin", StringComparison.OrdinalIgnoreCase) ? back : "/");
    }

    private PageResult Refused(int status)
    {
        Password = null;
        Response.StatusCode = status;
        return Page();
    }
}
