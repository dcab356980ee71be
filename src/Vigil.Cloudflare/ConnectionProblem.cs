using Vigil.Cloudflare.Api;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare;

/// <summary>A connection problem in plain words: a stable code, what is wrong, and how to fix it. Never holds a credential.</summary>
public sealed record ConnectionProblem(string Code, string Message, string Fix)
{
    public override string ToString() => $"{Message} Fix: {Fix}";
}

/// <summary>The catalogue of connection problems, and the mapping from Cloudflare's answers onto it.</summary>
public static class ConnectionProblems
{
    public static readonly ConnectionProblem InvalidGlobalKey = new(
        "invalid_global_key",
        "Cloudflare does not recognise this Global API Key and email pair.",
        "Copy the Global API Key again from My Profile > API Tokens, and use the email address you log in to Cloudflare with.");

    public static readonly ConnectionProblem MalformedToken = new(
        "malformed_token",
        "Cloudflare rejected the token's format.",
        "Paste the API token itself (not the Global API Key, a token id or the Authorization header), without spaces or quotes.");

    public static readonly ConnectionProblem MalformedGlobalKey = new(
        "malformed_global_key",
        "Cloudflare rejected the format of the Global API Key or email.",
        "Use the Global API Key from My Profile > API Tokens with your login email; if you have an API token, connect with it as a token instead.");

    public static readonly ConnectionProblem InvalidToken = new(
        "invalid_token",
        "Cloudflare does not recognise this API token: it is wrong, deleted or revoked.",
        "Create a new API token (My Profile > API Tokens, or Manage Account > Account API Tokens) and update the connection. If it is an account-owned token, give the account id.");

    public static readonly ConnectionProblem TokenExpired = new(
        "token_expired",
        "The API token has expired.",
        "Roll the token or create a new one without a past expiry date, then update the connection.");

    public static readonly ConnectionProblem TokenDisabled = new(
        "token_disabled",
        "The API token is disabled.",
        "Enable the token again in the Cloudflare dashboard, or create a new one.");

    public static readonly ConnectionProblem IpRestricted = new(
        "token_ip_restricted",
        "The API token's IP address filter does not allow requests from where Vigil runs.",
        "Add this machine's public IP address to the token's Client IP Address Filtering, or remove the filter.");

    public static readonly ConnectionProblem AccountTokenWithoutAccountId = new(
        "account_token_without_account_id",
        "This looks like an account-owned API token, which Cloudflare only verifies together with its account id.",
        "Give the account id (--account-id), found on the account's Overview page in the Cloudflare dashboard.");

    public static readonly ConnectionProblem NoAccountsVisible = new(
        "no_accounts_visible",
        "The credential works but sees no Cloudflare account.",
        "Give the token access to the account (Account Resources: Include your account) or check the account id.");

    public static readonly ConnectionProblem RateLimited = new(
        "rate_limited",
        "Cloudflare is rate-limiting this user (more than 1,200 requests in 5 minutes across dashboard, scripts and Vigil).",
        "Wait five minutes and try again; if it keeps happening, find the other tool that calls the API heavily.");

    public static readonly ConnectionProblem Unreachable = new(
        "unreachable",
        "Vigil could not get an answer from the Cloudflare API.",
        "Check the network connection and proxy settings, and the API URL of the connection.");

    /// <summary>A 3xx answer: Vigil does not follow redirects, so a redirected request fails (the detail names the status and where it pointed, without its query).</summary>
    public static ConnectionProblem Redirected(CloudflareApiException ex) => new(
        "redirected",
        $"The API answered {ex.Request} with HTTP {ex.StatusCode}: {ex.Detail ?? "a redirect; Vigil does not follow redirects to Cloudflare's API"}. The credential was not sent to any other address.",
        $"Check the connection's API URL (Cloudflare's is {Connection.DefaultApiUrl}) and any proxy between Vigil and Cloudflare.");

    public static ConnectionProblem NotYetValid(DateTimeOffset notBefore) => new(
        "token_not_yet_valid",
        $"The API token is not valid before {notBefore:yyyy-MM-dd HH:mm} UTC.",
        "Wait until then, or edit the token's TTL start date.");

    public static ConnectionProblem MissingPermission(string permission, string what) => new(
        "missing_permission",
        $"The credential may not {what}: it lacks the \"{permission}\" permission.",
        $"Edit the API token and add the permission \"{permission}\".");

    /// <summary>
    /// The credential problem behind a failed call, or null when the failure is not about the credential
    /// (a 404, a server error). Branches on status and error codes; messages only to tell apart the kinds of 9109.
    /// </summary>
    public static ConnectionProblem? Classify(CloudflareApiException ex, CredentialKind kind)
    {
        if (ex.StatusCode == 429)
        {
            // A refused Retry-After keeps its figures in the message: "Cloudflare asked to wait N s, longer than ...".
            return ex.Detail is { } detail ? RateLimited with { Message = $"{RateLimited.Message} {detail}." } : RateLimited;
        }
        if (ex.IsRedirect)
        {
            return Redirected(ex);
        }
        if (ex.StatusCode == 0)
        {
            return Unreachable;
        }
        if (ex.HasCode(9103, 9106, 9107))
        {
            return InvalidGlobalKey;
        }
        if (ex.HasCode(6003, 6111, 6102, 6103, 1001) && ex.StatusCode == 400)
        {
            return kind == CredentialKind.GlobalKey ? MalformedGlobalKey : MalformedToken;
        }
        if (ex.HasCode(9109))
        {
            if (ex.HasMessage("location"))
            {
                return IpRestricted;
            }
            if (ex.HasMessage("Unauthorized to access requested resource"))
            {
                return MissingPermission(ex.Permission ?? "the permission for this request", Describe(ex.Request));
            }
            return kind == CredentialKind.GlobalKey ? InvalidGlobalKey : InvalidToken;
        }
        if (ex.HasCode(1000) || ex.StatusCode == 401)
        {
            return kind == CredentialKind.GlobalKey ? InvalidGlobalKey : InvalidToken;
        }
        if (ex.IsPermissionDenied)
        {
            return MissingPermission(ex.Permission ?? "the permission for this request", Describe(ex.Request));
        }
        return null;
    }

    /// <summary>True when the credential itself is refused (not just one permission missing): no later call can work.</summary>
    public static bool IsCredentialRejected(ConnectionProblem? problem) =>
        problem is not null && problem.Code is not ("missing_permission" or "rate_limited" or "unreachable" or "no_accounts_visible");

    internal static string Describe(string request) => request switch
    {
        _ when request.Contains("/members", StringComparison.Ordinal) => "list account members",
        _ when request.Contains("/roles", StringComparison.Ordinal) => "list account roles",
        _ when request.Contains("/dnssec", StringComparison.Ordinal) => "read DNSSEC status",
        _ when request.Contains("/rulesets", StringComparison.Ordinal) => "read WAF rulesets",
        _ when request.Contains("/pagerules", StringComparison.Ordinal) => "list page rules",
        _ when request.Contains("/hostnames/settings", StringComparison.Ordinal) => "read per-hostname TLS settings",
        _ when request.Contains("/settings", StringComparison.Ordinal) => "read zone settings",
        _ when request.StartsWith("GET /zones", StringComparison.Ordinal) => "list zones",
        _ when request.StartsWith("GET /accounts/", StringComparison.Ordinal) => "read account settings",
        _ when request.StartsWith("GET /accounts", StringComparison.Ordinal) => "list accounts",
        _ => "make this request",
    };
}
