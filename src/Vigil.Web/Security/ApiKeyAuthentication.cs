using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Vigil.App.Users;

namespace Vigil.Web.Security;

/// <summary>
/// <c>Authorization: Bearer KEY</c> with a key from <c>vigil users api-key</c>: the key's user, in their organisation,
/// with their role. A wrong, replaced or removed key gets 401 and says no more.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, RootStore root, UserAccounts users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var key = header["Bearer ".Length..].Trim();
        if (await users.AuthenticateApiKeyAsync(root.Store, key, Context.RequestAborted) is not { } found)
        {
            return AuthenticateResult.Fail("the API key is not valid");
        }

        var principal = VigilClaims.Principal(found.User, found.Organisation, VigilSchemes.ApiKey);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, VigilSchemes.ApiKey));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
