using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Vigil.Simulation;

internal enum RouteAuth
{
    /// <summary>Any active credential with the permissions the handler checks.</summary>
    Normal,

    /// <summary>GET /user/tokens/verify: user tokens only, answers for disabled and expired tokens too.</summary>
    UserTokenVerify,

    /// <summary>GET /accounts/{account_id}/tokens/verify: that account's tokens only.</summary>
    AccountTokenVerify,
}

/// <summary>Route metadata: the template counted in stats and how the route authenticates.</summary>
internal sealed record SimRoute(string Template, RouteAuth Auth);

internal readonly record struct Credential(string RateKey, string? BearerToken, string? Email, string? Key, bool Malformed);

/// <summary>Reads the two Cloudflare schemes and answers failures with Cloudflare's codes (README.md lists them).</summary>
internal sealed class Authenticator(SimulatorState state, TimeProvider time)
{
    public static Credential ReadCredential(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.Authorization.Count > 0)
        {
            var value = headers.Authorization.ToString().Trim();
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            var token = space > 0 ? value[(space + 1)..].Trim() : "";
            var wellFormed = space > 0
                && value[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase)
                && token.Length > 0
                && !token.Contains(' ', StringComparison.Ordinal);
            return wellFormed
                ? new Credential("token:" + token, token, null, null, false)
                : new Credential("malformed:" + Address(context), null, null, null, true);
        }

        var email = headers["X-Auth-Email"].ToString();
        var key = headers["X-Auth-Key"].ToString();
        if (email.Length > 0 || key.Length > 0)
        {
            var rateKey = email.Length > 0 ? "email:" + email.ToLowerInvariant() : "key:" + key;
            return new Credential(rateKey, null, email.Length > 0 ? email : null, key.Length > 0 ? key : null, false);
        }

        return new Credential("ip:" + Address(context), null, null, null, false);
    }

    public static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public ApiFailure? Authenticate(HttpContext context, SimRoute route, Credential credential, out Principal? principal)
    {
        principal = null;
        var verifying = route.Auth != RouteAuth.Normal;
        if (credential.Malformed)
        {
            return ApiErrors.MalformedAuthorization;
        }

        if (credential.BearerToken is { } value)
        {
            var token = state.FindToken(value);
            if (token is null)
            {
                return verifying ? ApiErrors.InvalidApiToken : ApiErrors.InvalidAccessToken;
            }

            if (!AddressAllowed(token, context.Connection.RemoteIpAddress))
            {
                return ApiErrors.LocationDenied(Address(context));
            }

            switch (route.Auth)
            {
                case RouteAuth.UserTokenVerify when token.Kind != TokenKind.User:
                    return ApiErrors.InvalidApiToken;
                case RouteAuth.AccountTokenVerify when token.Kind != TokenKind.Account
                    || !string.Equals(token.AccountId, context.Request.RouteValues["account_id"] as string, StringComparison.Ordinal):
                    return ApiErrors.InvalidApiToken;
                case RouteAuth.Normal when EffectiveStatus(token) != "active" || NotYetValid(token):
                    return ApiErrors.InvalidAccessToken;
            }

            var kind = token.Kind == TokenKind.Account ? PrincipalKind.AccountToken : PrincipalKind.UserToken;
            principal = new Principal(kind, token, kind == PrincipalKind.UserToken ? state.OwnerOf(token) : null, state);
            return null;
        }

        if (verifying)
        {
            return ApiErrors.MissingAuthorizationHeader;
        }

        if (credential.Email is null && credential.Key is null)
        {
            return ApiErrors.MissingCredentials;
        }

        if (credential.Email is null)
        {
            return ApiErrors.MissingAuthEmail;
        }

        if (credential.Key is null)
        {
            return ApiErrors.MissingAuthKey;
        }

        if (!state.UsersByEmail.TryGetValue(credential.Email, out var user)
            || user.GlobalApiKey is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user.GlobalApiKey), Encoding.UTF8.GetBytes(credential.Key)))
        {
            return ApiErrors.UnknownGlobalKey;
        }

        principal = new Principal(PrincipalKind.GlobalKey, null, user, state);
        return null;
    }

    /// <summary>active, disabled or expired, as GET /user/tokens/verify reports it.</summary>
    public string EffectiveStatus(ScenarioToken token)
    {
        if (string.Equals(token.Status, "disabled", StringComparison.Ordinal))
        {
            return "disabled";
        }

        if (string.Equals(token.Status, "expired", StringComparison.Ordinal) || token.ExpiresOn <= time.GetUtcNow())
        {
            return "expired";
        }

        return "active";
    }

    public bool NotYetValid(ScenarioToken token) => token.NotBefore > time.GetUtcNow();

    private static bool AddressAllowed(ScenarioToken token, IPAddress? address)
    {
        if (token.IpAllowList.Count == 0)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var entry in token.IpAllowList)
        {
            if (entry.Contains('/', StringComparison.Ordinal)
                ? IPNetwork.TryParse(entry, out var network) && network.Contains(address)
                : IPAddress.TryParse(entry, out var allowed) && allowed.Equals(address))
            {
                return true;
            }
        }

        return false;
    }
}
