using System.Collections.Concurrent;

namespace Vigil.Simulation;

/// <summary>Request counters; safe to read while the simulator serves.</summary>
public sealed class SimulatorStats
{
    private readonly ConcurrentDictionary<string, long> _byRoute = new(StringComparer.Ordinal);
    private long _totalRequests;
    private long _rateLimited;
    private readonly ConcurrentQueue<string> _requests = new();

    /// <summary>The request log kept by <see cref="Requests"/> stops growing here (a bench run sends many more).</summary>
    public const int MaxLoggedRequests = 100_000;

    public long TotalRequests => Interlocked.Read(ref _totalRequests);

    /// <summary>429 answers sent, by the credential limit, the per-address limit or an injected fault.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Requests per route template, e.g. "GET /accounts/{account_id}/members"; unknown routes count under "GET (unrouted)".</summary>
    public IReadOnlyDictionary<string, long> ByRoute => new Dictionary<string, long>(_byRoute, StringComparer.Ordinal);

    /// <summary>Every request received, in order, as "METHOD /path" (the path under /client/v4, without the query).</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public long CountFor(string routeTemplate) => _byRoute.TryGetValue(routeTemplate, out var count) ? count : 0;

    public void Reset()
    {
        Interlocked.Exchange(ref _totalRequests, 0);
        Interlocked.Exchange(ref _rateLimited, 0);
        _byRoute.Clear();
        _requests.Clear();
        _counted.Clear();
    }

    internal void CountRequest(string routeTemplate)
    {
        Interlocked.Increment(ref _totalRequests);
        _byRoute.AddOrUpdate(routeTemplate, 1, static (_, count) => count + 1);
    }

    internal void LogRequest(string method, string path)
    {
        if (_requests.Count < MaxLoggedRequests)
        {
            _requests.Enqueue($"{method} {path}");
        }
    }

    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);

    private readonly ConcurrentQueue<DateTimeOffset> _counted = new();

    /// <summary>
    /// When each request the credential limit counted arrived (all credentials together), in arrival order: lets a test
    /// check that clients sharing a credential stayed within its budget in every sliding window, not only the fixed ones.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> CountedRequestTimes => [.. _counted];

    internal void CountCredentialRequest(DateTimeOffset at) => _counted.Enqueue(at);
}
