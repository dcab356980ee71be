using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Api;

/// <summary>Where and as whom calls go, and what they cost: one per connection and stage.</summary>
internal sealed class ApiSession(Uri baseUrl, CloudflareCredential credential)
{
    public ApiSession(string baseUrl, CloudflareCredential credential)
        : this(ParseBase(baseUrl), credential)
    {
    }

    public Uri BaseUrl { get; } = baseUrl;

    public CloudflareCredential Credential { get; } = credential;

    public ApiUsage Usage { get; } = new();

    /// <summary>The connection's name, for per-connection metrics; null outside a sync (preflight).</summary>
    public string? ConnectionName { get; init; }

    /// <summary>The key of the budget shared between processes (<see cref="Pacing.ICredentialBudget"/>); null: the process budget alone.</summary>
    public string? BudgetKey { get; init; }

    /// <summary>The absolute address of a path under the API base; a path with a "." or ".." segment is refused, so no
    /// request ever leaves the API base's path.</summary>
    public Uri Resolve(string pathAndQuery)
    {
        var path = pathAndQuery.Split('?', 2)[0];
        if (path.Split('/').Any(segment => Uri.UnescapeDataString(segment) is "." or ".."))
        {
            throw new CloudflareResponseException("Vigil refused to request a path with a '.' or '..' segment: it would leave the API base.");
        }
        return new(BaseUrl.AbsoluteUri.TrimEnd('/') + pathAndQuery);
    }

    /// <summary>Lists read in this session, with how far each got (coverage of what the credential could see).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<ListCoverage> Lists { get; } = new();

    // Plain http:// was accepted (or not) when the connection was made; the other rules hold everywhere.
    private static Uri ParseBase(string baseUrl) =>
        ApiUrl.Parse(string.IsNullOrWhiteSpace(baseUrl) ? Connection.DefaultApiUrl : baseUrl, allowInsecureHttp: true).Uri;
}

/// <summary>Counters of one session; updated from concurrent requests.</summary>
internal sealed class ApiUsage
{
    private int _calls;
    private int _rateLimited;
    private long _waitedTicks;

    public int ApiCalls => Volatile.Read(ref _calls);

    public int RateLimited => Volatile.Read(ref _rateLimited);

    public TimeSpan WaitedOnBudget => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    public void RecordCall(TimeSpan waited)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _waitedTicks, waited.Ticks);
    }

    public void RecordRateLimited() => Interlocked.Increment(ref _rateLimited);
}

/// <summary>One successful answer with its raw body kept as evidence.</summary>
internal sealed record ApiResponse<T>(T? Result, ResultInfo? Info, RawPayload Raw);

/// <summary>One page of a list.</summary>
internal sealed record ApiPage<T>(int Number, IReadOnlyList<T> Items, ResultInfo? Info, RawPayload Raw);

/// <summary>Largest page each list endpoint allows (Cloudflare's schema); fewer pages means fewer calls.</summary>
internal static class PageSizes
{
    public const int Accounts = 50;
    public const int Members = 50;
    public const int Roles = 50;
    public const int Zones = 50;
    public const int LegacyFirewallRules = 100;
    /// <summary>IAM user groups, their members and permission groups: page-style lists (V4PagePaginationArray), 50 per page as members.</summary>
    public const int UserGroups = 50;
    public const int UserGroupMembers = 50;
    public const int PermissionGroups = 50;
    /// <summary>Account-owned API tokens: page/per_page, at most 50 per page.</summary>
    public const int AccountTokens = 50;
    /// <summary>
    /// DNS records: Cloudflare documents per_page up to 5,000,000 (default 100). Vigil asks for 5,000: at about half a
    /// kilobyte a record, a page stays near 2.5 MB, far below <see cref="CloudflareOptions.MaxResponseBytes"/> (16 MB) even
    /// with <see cref="CloudflareOptions.PagePrefetch"/> pages in flight, while all but the largest zones still take one call.
    /// </summary>
    public const int DnsRecords = 5000;
    /// <summary>Certificate packs: page/per_page (V4PagePaginationArray); a zone has a few, so one page nearly always.</summary>
    public const int CertificatePacks = 50;
}
