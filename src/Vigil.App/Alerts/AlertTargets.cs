using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core;

namespace Vigil.App.Alerts;

/// <summary>Checks and redacts channel URLs, and packs a channel's secret parts into the one value the store seals.</summary>
internal static class AlertTargets
{
    /// <summary>The URL when it may receive alerts: absolute http(s), no user info, https unless on loopback.</summary>
    /// <exception cref="InvalidRequestException">Not a usable URL; the message never repeats it whole.</exception>
    public static Uri ParseUrl(string text, string what)
    {
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidRequestException($"the {what} URL must be an absolute http(s) URL", "url");
        }

        if (url.UserInfo.Length > 0)
        {
            throw new InvalidRequestException($"the {what} URL must not carry a user name or password ({Redact(url)}); use --secret-env for signing", "url");
        }

        if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url.Host))
        {
            throw new InvalidRequestException($"the {what} URL must use https ({Redact(url)}): alerts name members and zones; plain http is accepted on loopback only", "url");
        }

        return url;
    }

    /// <summary>"https://hooks.slack.com/…": scheme, host and port only. A Slack URL's path is its secret; a webhook's may be.</summary>
    public static string Redact(Uri url)
    {
        var origin = url.GetLeftPart(UriPartial.Authority);
        if (url.UserInfo.Length > 0)
        {
            origin = $"{url.Scheme}://{url.Authority}";
        }

        return url.PathAndQuery is "/" or "" ? origin : origin + "/…";
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>What the store seals for a channel: its full URL, signing secret and SMTP password (each when present).</summary>
    public static Secret Pack(string? url, Secret? signingSecret, Secret? password)
    {
        var sealedPart = new JsonObject
        {
            ["url"] = url,
            ["signing_secret"] = signingSecret?.Reveal(),
            ["password"] = password?.Reveal(),
        };
        return new Secret(sealedPart.ToJsonString());
    }

    public static Unpacked Unpack(Secret secret)
    {
        var node = JsonNode.Parse(secret.Reveal()) as JsonObject ?? throw new JsonException("not an object");
        return new Unpacked(
            node["url"]?.GetValue<string>(),
            node["signing_secret"]?.GetValue<string>(),
            node["password"]?.GetValue<string>());
    }

    /// <summary>A channel's sealed part, opened just before sending.</summary>
    internal sealed record Unpacked(string? Url, string? SigningSecret, string? Password)
    {
        public override string ToString() => "[redacted]";
    }
}
