using System.Text.RegularExpressions;

namespace Vigil.Simulation;

public enum FaultKind
{
    /// <summary>HTTP 500/502/503 with a Cloudflare-like body (see <see cref="FaultRule.StatusCode"/>).</summary>
    ServerError,

    /// <summary>Writes part of the body, then aborts the connection.</summary>
    DropConnection,

    /// <summary>Waits <see cref="FaultRule.Delay"/> before answering normally.</summary>
    Slow,

    /// <summary>Answers 200 with a truncated JSON body.</summary>
    MalformedJson,

    /// <summary>Answers 429 as the rate limiter would, without blocking the credential.</summary>
    RateLimited,
}

/// <summary>One fault: which requests it hits (method + path under /client/v4) and how often.</summary>
public sealed class FaultRule
{
    public required FaultKind Kind { get; init; }

    /// <summary>HTTP method to match; null matches every method.</summary>
    public string? Method { get; init; }

    /// <summary>Regular expression matched against the path below /client/v4 (e.g. "^/zones/[^/]+/settings"); null matches all.</summary>
    public string? PathPattern { get; init; }

    /// <summary>Hit only the next N matching requests; null hits every matching request (subject to <see cref="Probability"/>).</summary>
    public int? Times { get; init; }

    /// <summary>Chance (0..1) that a matching request is hit, drawn from a generator seeded with <see cref="Seed"/>.</summary>
    public double Probability { get; init; } = 1.0;

    public int Seed { get; init; } = 1;

    /// <summary>Status for <see cref="FaultKind.ServerError"/>: 500, 502 or 503.</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>Delay for <see cref="FaultKind.Slow"/>.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Retry-After sent with <see cref="FaultKind.RateLimited"/>.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    public static FaultRule Next(int times, FaultKind kind, string? pathPattern = null, string? method = null) =>
        new() { Kind = kind, Times = times, PathPattern = pathPattern, Method = method };
}

/// <summary>Runtime fault rules; the first matching rule that fires decides a request's fault.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveRule> _rules = [];

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var regex = rule.PathPattern is null ? null : new Regex(rule.PathPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        lock (_gate)
        {
            _rules.Add(new ActiveRule(rule, regex, new Random(rule.Seed), rule.Times));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _rules.Count;
            }
        }
    }

    internal FaultRule? Match(string method, string path)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var active = _rules[i];
                if (active.Rule.Method is { } m && !string.Equals(m, method, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (active.Regex is { } regex && !regex.IsMatch(path))
                {
                    continue;
                }

                if (active.Rule.Probability < 1.0 && active.Random.NextDouble() >= active.Rule.Probability)
                {
                    continue;
                }

                if (active.Remaining is { } remaining)
                {
                    if (remaining <= 1)
                    {
                        _rules.RemoveAt(i);
                    }
                    else
                    {
                        active.Remaining = remaining - 1;
                    }
                }

                return active.Rule;
            }

            return null;
        }
    }

    private sealed class ActiveRule(FaultRule rule, Regex? regex, Random random, int? remaining)
    {
        public FaultRule Rule { get; } = rule;
        public Regex? Regex { get; } = regex;
        public Random Random { get; } = random;
        public int? Remaining { get; set; } = remaining;
    }
}
