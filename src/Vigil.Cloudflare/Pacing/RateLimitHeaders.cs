using System.Globalization;
using System.Net.Http.Headers;

namespace Vigil.Cloudflare.Pacing;

/// <summary>Reads Cloudflare's rate-limit headers: <c>Ratelimit: "default";r=50;t=30</c>, the older
/// <c>x-ratelimit-remaining</c>/<c>x-ratelimit-reset</c>, and <c>Retry-After</c>.</summary>
internal static class RateLimitHeaders
{
    public static (int Remaining, TimeSpan ResetAfter)? ReadQuota(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.TryGetValues("Ratelimit", out var values))
        {
            foreach (var value in values)
            {
                if (ParseStructured(value) is { } quota)
                {
                    return quota;
                }
            }
        }
        if (First(headers, "x-ratelimit-remaining") is { } remainingText
            && int.TryParse(remainingText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining))
        {
            var reset = First(headers, "x-ratelimit-reset") is { } resetText ? ParseReset(resetText, now) : null;
            return (remaining, reset ?? TimeSpan.Zero);
        }
        return null;
    }

    /// <summary>Retry-After as seconds or as an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? ReadRetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var retryAfter = headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }
        if (retryAfter?.Date is { } date)
        {
            return date > now ? date - now : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>Parses an RFC 9651-style list such as <c>"default";r=50;t=30</c>; the first item with an r wins.</summary>
    internal static (int Remaining, TimeSpan ResetAfter)? ParseStructured(string value)
    {
        foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int? remaining = null;
            var resetSeconds = 0;
            foreach (var part in item.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=');
                if (eq <= 0 || !int.TryParse(part[(eq + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    continue;
                }
                switch (part[..eq])
                {
                    case "r":
                        remaining = number;
                        break;
                    case "t":
                        resetSeconds = number;
                        break;
                }
            }
            if (remaining is { } r)
            {
                return (r, TimeSpan.FromSeconds(Math.Max(resetSeconds, 0)));
            }
        }
        return null;
    }

    private static TimeSpan? ParseReset(string text, DateTimeOffset now)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            // Either seconds from now or a Unix time; a Unix time is far larger than any window.
            var at = number > 1_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(number) : now.AddSeconds(number);
            return at > now ? at - now : TimeSpan.Zero;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return date > now ? date - now : TimeSpan.Zero;
        }
        return null;
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
