using System.Diagnostics.CodeAnalysis;

namespace Vigil.Cloudflare;

/// <summary>
/// A Cloudflare API base URL that is safe to send a credential to, store and print: an absolute <c>https://</c> URL
/// (or <c>http://</c> to this machine, as the simulator uses), with no user name or password, query or fragment.
/// Plain <c>http://</c> to another host is refused unless the caller allows it explicitly.
/// One rule for every place a URL is accepted (CLI, configuration, the web app).
/// </summary>
public sealed class ApiUrl
{
    private ApiUrl(Uri uri)
    {
        Uri = uri;
        Text = uri.AbsoluteUri.TrimEnd('/');
    }

    public Uri Uri { get; }

    /// <summary>The normalised form stored and printed, without a trailing '/'.</summary>
    public string Text { get; }

    /// <summary>True for <c>http://</c> to a host other than this machine (allowed only on request).</summary>
    public bool IsInsecure => Uri.Scheme == Uri.UriSchemeHttp && !Uri.IsLoopback;

    public override string ToString() => Text;

    /// <summary>Parses and checks <paramref name="text"/>; on failure <paramref name="problem"/> says why and never repeats a password.</summary>
    public static bool TryParse(string? text, bool allowInsecureHttp, [NotNullWhen(true)] out ApiUrl? url, [NotNullWhen(false)] out string? problem)
    {
        url = null;
        problem = Check(text, allowInsecureHttp, out var uri);
        if (problem is not null)
        {
            return false;
        }

        url = new ApiUrl(uri!);
        return true;
    }

    /// <exception cref="ArgumentException">The URL is refused; the message says why.</exception>
    public static ApiUrl Parse(string? text, bool allowInsecureHttp) =>
        TryParse(text, allowInsecureHttp, out var url, out var problem) ? url : throw new ArgumentException(problem, nameof(text));

    private static string? Check(string? text, bool allowInsecureHttp, out Uri? uri)
    {
        uri = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return "the API URL is empty; expected e.g. " + Core.Sync.Connection.DefaultApiUrl;
        }

        // Anything that may hold a password is never echoed back.
        var shown = trimmed.Contains('@', StringComparison.Ordinal) || trimmed.Any(char.IsControl) || trimmed.Length > 200 ? "the API URL" : $"'{trimmed}'";
        if (trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "the API URL contains spaces or control characters";
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var parsed))
        {
            return $"{shown} is not a URL; expected https://HOST/PATH, e.g. {Core.Sync.Connection.DefaultApiUrl}";
        }

        if (parsed.IsFile || parsed.IsUnc)
        {
            return $"{shown} is a file, not an API URL; expected https://HOST/PATH, e.g. {Core.Sync.Connection.DefaultApiUrl}";
        }

        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
        {
            return $"{shown} uses {parsed.Scheme}://; the Cloudflare API is reached over https:// only";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "the API URL contains a user name or password ('user:password@'); Vigil would store and print it. "
                + "Remove it: Cloudflare credentials are given with --token-env or --email/--key-env";
        }

        if (parsed.Host.Length == 0)
        {
            return $"{shown} has no host name";
        }

        if (parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            return $"{shown} has a query or fragment; give only the base, e.g. {Core.Sync.Connection.DefaultApiUrl}";
        }

        if (parsed.Scheme == Uri.UriSchemeHttp && !parsed.IsLoopback && !allowInsecureHttp)
        {
            return $"{shown} uses plain http:// to another machine, which would send the credential unencrypted; "
                + "use https://, or pass --allow-insecure-http if you really mean it (e.g. a TLS-terminating proxy on a trusted network)";
        }

        uri = parsed;
        return null;
    }
}
