namespace Vigil.Cloudflare.Api;

/// <summary>One error item of a Cloudflare envelope; items of an <c>error_chain</c> are flattened beside their parent.</summary>
public sealed record CloudflareError(int Code, string Message);

/// <summary>
/// A Cloudflare call that failed for good: an error answer, or no usable answer once retries ran out.
/// The message names the request path (never a credential) and every error code.
/// </summary>
public sealed class CloudflareApiException : Exception
{
    internal CloudflareApiException(int statusCode, IReadOnlyList<CloudflareError> errors, string request, string? permission, string? detail = null, Exception? inner = null)
        : base(Describe(statusCode, errors, request, detail), inner)
    {
        StatusCode = statusCode;
        Errors = errors;
        Request = request;
        Permission = permission;
        Detail = detail;
    }

    /// <summary>HTTP status; 0 when no usable response arrived (connection dropped, timeout, unreadable body).</summary>
    public int StatusCode { get; }

    public IReadOnlyList<CloudflareError> Errors { get; }

    /// <summary>Method and path relative to the API base, e.g. "GET /zones/abc/dnssec".</summary>
    public string Request { get; }

    /// <summary>The permission group the request needs, when known.</summary>
    public string? Permission { get; }

    /// <summary>What Vigil adds to Cloudflare's answer (e.g. "Cloudflare asked to wait 999999 s, ..."); null when nothing.</summary>
    public string? Detail { get; }

    /// <summary>True for a 3xx answer: Vigil never follows a redirect, so the credential never reaches another address.</summary>
    public bool IsRedirect => StatusCode is >= 300 and < 400;

    /// <summary>The error body as received, kept as evidence (e.g. a 404 "no entrypoint" answer).</summary>
    internal string? Body { get; init; }

    public bool HasCode(params int[] codes) => Errors.Any(e => codes.Contains(e.Code));

    public bool HasMessage(string fragment) => Errors.Any(e => e.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    /// <summary>403 + 10000 (or 9109 "Unauthorized to access requested resource"): a valid credential without the permission group.</summary>
    public bool IsPermissionDenied =>
        StatusCode == 403 && (HasCode(10000) || (HasCode(9109) && HasMessage("Unauthorized to access requested resource")) || Errors.Count == 0);

    /// <summary>404 (or 400/405) that Cloudflare uses for "no such route or object".</summary>
    public bool IsNotFound => StatusCode == 404 || (StatusCode is 400 or 405 && HasCode(7000, 7003));

    private static string Describe(int statusCode, IReadOnlyList<CloudflareError> errors, string request, string? detail)
    {
        var what = statusCode == 0 ? "got no usable answer" : $"answered HTTP {statusCode}";
        var codes = errors.Count == 0 ? "" : " (" + string.Join("; ", errors.Select(e => $"{e.Code} {e.Message}")) + ")";
        return $"Cloudflare {request} {what}{codes}{(detail is null ? "" : ": " + detail)}";
    }
}

/// <summary>A response Cloudflare sent that Vigil cannot use (a required field missing).</summary>
public sealed class CloudflareResponseException(string message) : Exception(message);
