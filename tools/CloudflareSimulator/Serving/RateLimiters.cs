using System.Collections.Concurrent;

namespace Vigil.Simulation;

internal readonly record struct RateDecision(bool Allowed, int Remaining, int ResetSeconds);

/// <summary>
/// Cloudflare's client API limit: N requests per window per credential; going over blocks every call from that
/// credential for a whole window from the moment of the excess ("blocked for the next five minutes").
/// </summary>
internal sealed class CredentialRateLimiter(int limit, TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public int Limit => limit;
    public int WindowSeconds => (int)Math.Ceiling(window.TotalSeconds);

    public RateDecision Count(string credentialKey)
    {
        var bucket = _buckets.GetOrAdd(credentialKey, static _ => new Bucket());
        var now = time.GetUtcNow();
        lock (bucket)
        {
            if (bucket.BlockedUntil is { } until)
            {
                if (now < until)
                {
                    return new RateDecision(false, 0, SecondsUntil(until, now));
                }

                bucket.BlockedUntil = null;
                bucket.Count = 0;
                bucket.WindowStart = now;
            }

            if (bucket.Count == 0 || now >= bucket.WindowStart + window)
            {
                bucket.WindowStart = now;
                bucket.Count = 0;
            }

            bucket.Count++;
            if (bucket.Count > limit)
            {
                var blockedUntil = now + window;
                bucket.BlockedUntil = blockedUntil;
                return new RateDecision(false, 0, SecondsUntil(blockedUntil, now));
            }

            return new RateDecision(true, limit - bucket.Count, SecondsUntil(bucket.WindowStart + window, now));
        }
    }

    private static int SecondsUntil(DateTimeOffset end, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((end - now).TotalSeconds));

    private sealed class Bucket
    {
        public DateTimeOffset WindowStart;
        public int Count;
        public DateTimeOffset? BlockedUntil;
    }
}

/// <summary>Requests per client address per second (Cloudflare: 200/s per IP); excess requests get 429 without a block.</summary>
internal sealed class AddressRateLimiter(int perSecond, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public bool TryCount(string address)
    {
        var bucket = _buckets.GetOrAdd(address, static _ => new Bucket());
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        lock (bucket)
        {
            if (bucket.Second != second)
            {
                bucket.Second = second;
                bucket.Count = 0;
            }

            return ++bucket.Count <= perSecond;
        }
    }

    private sealed class Bucket
    {
        public long Second;
        public int Count;
    }
}
