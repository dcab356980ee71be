namespace Vigil.Cloudflare.Api;

/// <summary>
/// Cloudflare's object ids (accounts, zones, rulesets, user groups, ...) are 32 hexadecimal characters. Only such an id
/// goes into a request path: an id like <c>..</c> would otherwise climb out of its segment (Uri.EscapeDataString leaves
/// dots alone and the URI parser then removes the segment), sending the credential to an endpoint Vigil never chose.
/// </summary>
internal static class CloudflareIds
{
    public const int Length = 32;

    public static bool IsValid(string? id) => id is { Length: Length } && id.All(char.IsAsciiHexDigit);

    /// <summary>The id itself when it is a Cloudflare id; otherwise a <see cref="CloudflareResponseException"/> naming what it was for.</summary>
    /// <param name="what">What the id names, e.g. "account" or "zone".</param>
    public static string Require(string? id, string what) =>
        IsValid(id)
            ? id!
            : throw new CloudflareResponseException(
                $"Vigil refused the {what} id {Show(id)}: it is not a 32-character hexadecimal Cloudflare id, and only such ids go into request paths.");

    /// <summary>The id quoted when it is short and printable, else described (a hostile id may hold terminal escapes).</summary>
    internal static string Show(string? id) => id switch
    {
        null => "(none)",
        { Length: <= 64 } when id.All(c => c is >= ' ' and <= '~') => $"'{id}'",
        _ => $"of {id.Length} characters",
    };
}
