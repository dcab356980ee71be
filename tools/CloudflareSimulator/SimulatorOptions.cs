namespace Vigil.Simulation;

public sealed class SimulatorOptions
{
    /// <summary>Loopback port to listen on; 0 picks any free port.</summary>
    public int Port { get; init; }

    /// <summary>Requests per credential per <see cref="RateLimitWindow"/>; 0 disables the limit.</summary>
    public int RateLimitRequests { get; init; } = 1200;

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests per client address per second; 0 disables the limit.</summary>
    public int PerIpRequestsPerSecond { get; init; } = 200;

    /// <summary>Delay added to every response.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Extra token values, each accepted as a user token with every read permission.</summary>
    public IReadOnlyList<string> ExtraTokens { get; init; } = [];

    /// <summary>
    /// The user owning each of <see cref="ExtraTokens"/> (token value → login email), which GET /user answers for it; a
    /// user the scenario lacks is created with an id derived from the email. Unlisted extra tokens belong to the scenario's
    /// first user, as before. Listed tokens are rate-limited per user, as Cloudflare counts (across a user's tokens).
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraTokenUsers { get; init; } = new Dictionary<string, string>();

    /// <summary>Clock for rate-limit windows and token validity.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Maps the test-only control API under <c>/__control</c> (off Cloudflare's /client/v4 prefix): change zones,
    /// settings, members and rulesets with or without an audit log entry. Off by default; the demo never enables it.
    /// </summary>
    public bool ControlApi { get; init; }
}
