using Microsoft.Extensions.Options;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare;

/// <summary>How Vigil talks to Cloudflare. Defaults suit the real API; tests and the bench shorten the windows.</summary>
public sealed class CloudflareOptions
{
    /// <summary>API base used when a caller gives none. Default https://api.cloudflare.com/client/v4.</summary>
    public string BaseUrl { get; set; } = Connection.DefaultApiUrl;

    /// <summary>Most requests Vigil sends in any sliding <see cref="BudgetWindow"/>. Default 600: half of Cloudflare's 1,200 per 5 minutes,
    /// which the customer's dashboard, Terraform and scripts share.</summary>
    public int BudgetRequests { get; set; } = 600;

    /// <summary>The sliding window of <see cref="BudgetRequests"/>. Default 5 minutes, as Cloudflare counts.</summary>
    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most requests in any one second. Default 20; Cloudflare allows 200 per second per IP.</summary>
    public int MaxRequestsPerSecond { get; set; } = 20;

    /// <summary>
    /// How far before the last high-water mark an incremental sync starts reading the audit log, because entries can
    /// arrive late. Default 10 minutes.
    /// </summary>
    public TimeSpan AuditLogOverlap { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long Cloudflare keeps audit log entries (about 18 months); a high-water mark older than this means a full sync.</summary>
    public TimeSpan AuditLogRetention { get; set; } = TimeSpan.FromDays(540);

    /// <summary>Zones read at the same time. Default 8.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Later pages of one list requested at once, once page 1 tells how many there are. Default 8.</summary>
    public int PagePrefetch { get; set; } = 8;

    /// <summary>Tries per request for 5xx, timeouts, dropped connections and unreadable bodies. Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>429s tolerated per request (each waited out as Retry-After says) before giving up. Default 3.</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>First retry delay; doubles per attempt, with jitter, up to <see cref="RetryMaxDelay"/>. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest retry delay. Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one request, body included. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest response body Vigil reads, in bytes; a larger answer fails its request without being buffered.
    /// Default 16 MB: a 50-item page of Cloudflare's largest objects is well under 1 MB.</summary>
    public long MaxResponseBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Most pages Vigil reads of one list whose answer gives no <c>total_count</c> or <c>total_pages</c> to plan by.
    /// Default 100 (5,000 items at 50 a page); Cloudflare's page-based lists always send the counts.</summary>
    public int MaxPagesWithoutCount { get; set; } = 100;

    /// <summary>Most pages Vigil reads of any one list, whatever its count says. Default 2,000 (100,000 items at 50 a page).</summary>
    public int MaxPages { get; set; } = 2000;
}

internal sealed class CloudflareOptionsValidator : IValidateOptions<CloudflareOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudflareOptions options)
    {
        var failures = new List<string>();
        if (!ApiUrl.TryParse(options.BaseUrl, allowInsecureHttp: false, out _, out var urlProblem))
        {
            failures.Add($"Cloudflare BaseUrl: {urlProblem}.");
        }
        if (options.BudgetRequests < 1)
        {
            failures.Add("Cloudflare BudgetRequests must be at least 1.");
        }
        if (options.BudgetWindow <= TimeSpan.Zero)
        {
            failures.Add("Cloudflare BudgetWindow must be positive.");
        }
        if (options.MaxRequestsPerSecond is < 1 or > 200)
        {
            failures.Add("Cloudflare MaxRequestsPerSecond must be between 1 and 200 (Cloudflare's per-IP limit).");
        }
        if (options.MaxConcurrency < 1)
        {
            failures.Add("Cloudflare MaxConcurrency must be at least 1.");
        }
        if (options.PagePrefetch < 1)
        {
            failures.Add("Cloudflare PagePrefetch must be at least 1.");
        }
        if (options.MaxAttempts < 1)
        {
            failures.Add("Cloudflare MaxAttempts must be at least 1.");
        }
        if (options.MaxRateLimitRetries < 0)
        {
            failures.Add("Cloudflare MaxRateLimitRetries cannot be negative.");
        }
        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add("Cloudflare RetryBaseDelay must be non-negative and no more than RetryMaxDelay.");
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("Cloudflare RequestTimeout must be positive.");
        }
        if (options.MaxResponseBytes < 1024)
        {
            failures.Add("Cloudflare MaxResponseBytes must be at least 1024.");
        }
        if (options.MaxPagesWithoutCount < 1 || options.MaxPages < 1)
        {
            failures.Add("Cloudflare MaxPagesWithoutCount and MaxPages must be at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
