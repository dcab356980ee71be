using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Cloudflare.Pacing;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Api;

/// <summary>
/// The Cloudflare v4 REST client: every request waits its turn in the <see cref="RequestBudget"/>, transient failures
/// (5xx, timeouts, dropped connections, truncated bodies) are retried with jittered exponential backoff, 429s are
/// waited out as Retry-After says, and 4xx answers are never retried.
/// </summary>
public sealed partial class CloudflareApiClient
{
    private static readonly CloudflareJsonContext Json = CloudflareJsonContext.Default;

    private readonly HttpClient _http;
    private readonly RequestBudget _budget;
    private readonly CloudflareOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CloudflareApiClient> _logger;

    public CloudflareApiClient(HttpClient http, RequestBudget budget, IOptions<CloudflareOptions> options, TimeProvider time, ILogger<CloudflareApiClient> logger)
    {
        _http = http;
        _http.Timeout = Timeout.InfiniteTimeSpan; // each attempt has its own timeout below
        _budget = budget;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    internal RequestBudget Budget => _budget;

    internal Task<ApiResponse<TokenStatusDto>> VerifyUserTokenAsync(ApiSession session, CancellationToken ct) =>
        GetAsync(session, "/user/tokens/verify", Json.EnvelopeTokenStatusDto, null, ct);

    internal Task<ApiResponse<TokenStatusDto>> VerifyAccountTokenAsync(ApiSession session, string accountId, CancellationToken ct) =>
        GetAsync(session, $"/accounts/{Escape(accountId)}/tokens/verify", Json.EnvelopeTokenStatusDto, null, ct);

    internal Task<ApiResponse<UserDto>> GetUserAsync(ApiSession session, CancellationToken ct) =>
        GetAsync(session, "/user", Json.EnvelopeUserDto, null, ct);

    internal IAsyncEnumerable<ApiPage<AccountDto>> ListAccountsAsync(ApiSession session, CancellationToken ct) =>
        PaginateAsync(session, "/accounts", PageSizes.Accounts, Json.EnvelopeListAccountDto, a => a.Id, CloudflarePermissions.AccountSettingsRead, ct);

    internal Task<ApiResponse<AccountDto>> GetAccountAsync(ApiSession session, string accountId, CancellationToken ct) =>
        GetAsync(session, $"/accounts/{Escape(accountId)}", Json.EnvelopeAccountDto, CloudflarePermissions.AccountSettingsRead, ct);

    internal IAsyncEnumerable<ApiPage<RoleDto>> ListRolesAsync(ApiSession session, string accountId, CancellationToken ct) =>
        PaginateAsync(session, $"/accounts/{Escape(accountId)}/roles", PageSizes.Roles, Json.EnvelopeListRoleDto, r => r.Id, CloudflarePermissions.AccountSettingsRead, ct);

    internal IAsyncEnumerable<ApiPage<MemberDto>> ListMembersAsync(ApiSession session, string accountId, CancellationToken ct) =>
        PaginateAsync(session, $"/accounts/{Escape(accountId)}/members", PageSizes.Members, Json.EnvelopeListMemberDto, m => m.Id, CloudflarePermissions.AccountSettingsRead, ct);

    /// <summary>Zones of every status; limited to one account when <paramref name="accountId"/> is given.</summary>
    internal IAsyncEnumerable<ApiPage<ZoneDto>> ListZonesAsync(ApiSession session, string? accountId, CancellationToken ct) =>
        PaginateAsync(session, accountId is null ? "/zones" : $"/zones?account.id={Escape(accountId)}", PageSizes.Zones, Json.EnvelopeListZoneDto, z => z.Id, CloudflarePermissions.ZoneRead, ct);

    /// <summary>The deprecated batch read of every setting (one call per zone) while Cloudflare still answers it.</summary>
    internal Task<ApiResponse<List<ZoneSettingDto>>> GetZoneSettingsAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Escape(zoneId)}/settings", Json.EnvelopeListZoneSettingDto, CloudflarePermissions.ZoneSettingsRead, ct);

    internal Task<ApiResponse<ZoneSettingDto>> GetZoneSettingAsync(ApiSession session, string zoneId, string settingId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Escape(zoneId)}/settings/{Escape(settingId)}", Json.EnvelopeZoneSettingDto, CloudflarePermissions.ZoneSettingsRead, ct);

    internal Task<ApiResponse<DnssecDto>> GetDnssecAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Escape(zoneId)}/dnssec", Json.EnvelopeDnssecDto, CloudflarePermissions.DnsRead, ct);

    /// <summary>The zone's entrypoint ruleset of a phase; Result is null when the phase has none (404).</summary>
    internal async Task<ApiResponse<RulesetDto>> GetEntrypointAsync(ApiSession session, string zoneId, string phase, CancellationToken ct)
    {
        var path = $"/zones/{Escape(zoneId)}/rulesets/phases/{Escape(phase)}/entrypoint";
        try
        {
            return await GetAsync(session, path, Json.EnvelopeRulesetDto, CloudflarePermissions.FirewallServicesRead, ct).ConfigureAwait(false);
        }
        catch (CloudflareApiException ex) when (ex.StatusCode == 404)
        {
            return new ApiResponse<RulesetDto>(default, null, new RawPayload("GET " + path, _time.GetUtcNow(), ex.Body ?? ""));
        }
    }

    /// <summary>The zone's Page Rules, every status (the list is not paged). Cloudflare's API reference accepts Zone Read or Page Rules Read.</summary>
    internal Task<ApiResponse<List<PageRuleDto>>> ListPageRulesAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Escape(zoneId)}/pagerules", Json.EnvelopeListPageRuleDto, CloudflarePermissions.ZoneRead, ct);

    /// <summary>
    /// Per-hostname minimum TLS overrides of the zone. A 404 means the zone has no such settings (the feature is not
    /// on the zone) and answers an empty list, keeping the answer as evidence.
    /// </summary>
    internal async Task<ApiResponse<List<HostnameSettingDto>>> GetHostnameMinTlsAsync(ApiSession session, string zoneId, CancellationToken ct)
    {
        var path = $"/zones/{Escape(zoneId)}/hostnames/settings/min_tls_version";
        try
        {
            return await GetAsync(session, path, Json.EnvelopeListHostnameSettingDto, CloudflarePermissions.SslAndCertificatesRead, ct).ConfigureAwait(false);
        }
        catch (CloudflareApiException ex) when (ex.StatusCode == 404)
        {
            return new ApiResponse<List<HostnameSettingDto>>([], null, new RawPayload("GET " + path, _time.GetUtcNow(), ex.Body ?? ""));
        }
    }

    /// <summary>The first page of a list with a small page size: the cheapest proof that a read is allowed.</summary>
    internal Task<ApiResponse<List<JsonElement>>> ProbeListAsync(ApiSession session, string path, string permission, CancellationToken ct) =>
        GetAsync(session, path + (path.Contains('?') ? "&" : "?") + "per_page=5", Json.EnvelopeListJsonElement, permission, ct);

    internal Task<ApiResponse<JsonElement>> ProbeAsync(ApiSession session, string path, string permission, CancellationToken ct) =>
        GetAsync(session, path, Json.EnvelopeJsonElement, permission, ct);

    /// <summary>
    /// Streams a page-style list at the given page size, in page order. Ends on <c>result_info.total_pages</c> (or
    /// ceil(total_count/per_page)), on a short or empty page when neither is sent, and on a page whose ids repeat an
    /// earlier page: Cloudflare's /accounts answers every page number with page 1 for account-owned tokens.
    /// </summary>
    /// <remarks>
    /// Once page 1 says how many pages there are, up to <see cref="CloudflareOptions.PagePrefetch"/> later pages are
    /// requested at once: one account with 10,000 members is 200 pages, and 200 round trips one after another would hold
    /// the access stage back for seconds. The number of requests does not change; the request budget still paces them.
    /// </remarks>
    internal async IAsyncEnumerable<ApiPage<T>> PaginateAsync<T>(
        ApiSession session, string path, int perPage, JsonTypeInfo<Envelope<List<T>>> type, Func<T, string?> idOf, string? permission,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var separator = path.Contains('?') ? '&' : '?';
        var seenPages = new HashSet<string>(StringComparer.Ordinal);
        Task<ApiResponse<List<T>>> Fetch(int page, CancellationToken token) =>
            GetAsync(session, $"{path}{separator}page={page}&per_page={perPage}", type, permission, token);

        // Page 1 alone: it tells how many pages follow, if the endpoint says.
        var first = await Fetch(1, ct).ConfigureAwait(false);
        var firstItems = first.Result ?? [];
        if (firstItems.Count > 0)
        {
            seenPages.Add(PageKey(firstItems, idOf));
        }
        yield return new ApiPage<T>(1, firstItems, first.Info, first.Raw);
        var echoedPerPage = first.Info?.PerPage is int echoed && echoed > 0 ? echoed : perPage;
        var totalPages = first.Info?.TotalPages
            ?? (first.Info?.TotalCount is { } total ? (int)Math.Ceiling(total / (double)echoedPerPage) : null);
        if (firstItems.Count == 0 || (totalPages is { } known ? known <= 1 : firstItems.Count < echoedPerPage))
        {
            yield break;
        }

        if (totalPages is null)
        {
            // No count to plan by: one page at a time until a short or empty page.
            for (var page = 2; ; page++)
            {
                var response = await Fetch(page, ct).ConfigureAwait(false);
                var items = response.Result ?? [];
                if (items.Count > 0 && !seenPages.Add(PageKey(items, idOf)))
                {
                    LogRepeatedPage(_logger, StripQuery(path), page);
                    yield break;
                }
                yield return new ApiPage<T>(page, items, response.Info, response.Raw);
                if (items.Count < (response.Info?.PerPage is int pp && pp > 0 ? pp : echoedPerPage))
                {
                    yield break;
                }
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pending = new Queue<(int Page, Task<ApiResponse<List<T>>> Task)>();
        var next = 2;
        void FillWindow()
        {
            while (pending.Count < _options.PagePrefetch && next <= totalPages)
            {
                pending.Enqueue((next, Fetch(next, stop.Token)));
                next++;
            }
        }
        try
        {
            FillWindow();
            while (pending.Count > 0)
            {
                var (page, task) = pending.Dequeue();
                var response = await task.ConfigureAwait(false);
                FillWindow();
                var items = response.Result ?? [];
                if (items.Count > 0 && !seenPages.Add(PageKey(items, idOf)))
                {
                    LogRepeatedPage(_logger, StripQuery(path), page);
                    yield break;
                }
                yield return new ApiPage<T>(page, items, response.Info, response.Raw);
                if (items.Count == 0)
                {
                    yield break;
                }
            }
        }
        finally
        {
            // Pages requested ahead but no longer wanted (an error, a repeated page, a consumer that stopped) are
            // cancelled and awaited, so none fails unobserved.
            if (pending.Count > 0)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                foreach (var (_, task) in pending)
                {
                    try
                    {
                        await task.ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or CloudflareApiException or CloudflareResponseException or HttpRequestException)
                    {
                        // Already abandoned; the page that ended the list, or the caller's error, is what counts.
                    }
                }
            }
        }
    }

    private static string PageKey<T>(List<T> items, Func<T, string?> idOf) => string.Join('\n', items.Select(idOf).Order(StringComparer.Ordinal));

    internal async Task<ApiResponse<T>> GetAsync<T>(ApiSession session, string pathAndQuery, JsonTypeInfo<Envelope<T>> type, string? permission, CancellationToken ct)
    {
        var request = "GET " + pathAndQuery;
        var uri = session.Resolve(pathAndQuery);
        var attempt = 0;
        var rateLimitedRetries = 0;
        while (true)
        {
            attempt++;
            var waited = await _budget.AcquireAsync(ct).ConfigureAwait(false);
            session.Usage.RecordCall(waited);

            int status;
            string body;
            var completed = false;
            void MarkCompleted()
            {
                if (!completed)
                {
                    completed = true;
                    _budget.Complete();
                }
            }
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Get, uri);
                message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                session.Credential.Apply(message.Headers);
                using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                MarkCompleted();
                var now = _time.GetUtcNow();
                var quota = RateLimitHeaders.ReadQuota(response.Headers, now);
                if (quota is { } q)
                {
                    _budget.ObserveServerQuota(q.Remaining, q.ResetAfter);
                }
                if (status == 429)
                {
                    session.Usage.RecordRateLimited();
                    var wait = RateLimitHeaders.ReadRetryAfter(response.Headers, now)
                        ?? (quota is { ResetAfter.Ticks: > 0 } ? quota.Value.ResetAfter : _budget.Window);
                    _budget.BlockFor(wait);
                    if (++rateLimitedRetries > _options.MaxRateLimitRetries)
                    {
                        var errorBody = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                        throw Failure(status, errorBody, request, permission);
                    }
                    LogRateLimited(_logger, request, wait.TotalSeconds);
                    attempt--; // waiting out a 429 is not a failed attempt
                    continue;
                }
                body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex) && !ct.IsCancellationRequested)
            {
                MarkCompleted();
                if (attempt >= _options.MaxAttempts)
                {
                    throw new CloudflareApiException(0, [], request, permission, $"the connection failed {attempt} times ({ex.GetType().Name})", ex);
                }
                LogRetrying(_logger, request, attempt, ex.GetType().Name);
                await BackoffAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }
            finally
            {
                MarkCompleted();
            }

            if (status >= 500 || status == 408)
            {
                if (attempt >= _options.MaxAttempts)
                {
                    throw Failure(status, body, request, permission, $"still failing after {attempt} attempts");
                }
                LogRetrying(_logger, request, attempt, $"HTTP {status}");
                await BackoffAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }
            if (status is < 200 or >= 300)
            {
                throw Failure(status, body, request, permission);
            }

            Envelope<T>? envelope;
            string? jsonError = null;
            try
            {
                envelope = JsonSerializer.Deserialize(body, type);
            }
            catch (JsonException ex)
            {
                envelope = null;
                jsonError = ex.Message;
            }
            if (envelope is null)
            {
                // A body cut short by a dropped connection reads as malformed JSON: worth a bounded retry.
                if (attempt >= _options.MaxAttempts)
                {
                    throw new CloudflareApiException(status, [], request, permission, $"the response was not valid JSON {attempt} times ({jsonError ?? "empty body"})");
                }
                LogRetrying(_logger, request, attempt, "malformed JSON");
                await BackoffAsync(attempt, ct).ConfigureAwait(false);
                continue;
            }
            if (!envelope.Success)
            {
                throw new CloudflareApiException(status, Flatten(envelope.Errors), request, permission) { Body = body };
            }
            return new ApiResponse<T>(envelope.Result, envelope.ResultInfo, new RawPayload(request, _time.GetUtcNow(), body));
        }
    }

    private static bool IsTransient(Exception ex) => ex is HttpRequestException or IOException or OperationCanceledException;

    private Task BackoffAsync(int attempt, CancellationToken ct)
    {
        var exponential = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, _options.RetryMaxDelay.TotalMilliseconds);
        // Full jitter between half and all of the delay keeps concurrent zone readers from retrying in step.
        var delay = TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, ct);
    }

    private static CloudflareApiException Failure(int status, string body, string request, string? permission, string? detail = null)
    {
        IReadOnlyList<CloudflareError> errors = [];
        try
        {
            errors = Flatten(JsonSerializer.Deserialize(body, Json.ErrorEnvelope)?.Errors);
        }
        catch (JsonException)
        {
            // Not an envelope (a proxy's HTML page, an empty body): the status alone must do.
        }
        return new CloudflareApiException(status, errors, request, permission, detail) { Body = body };
    }

    private static List<CloudflareError> Flatten(List<ApiErrorItem>? items)
    {
        var flat = new List<CloudflareError>();
        foreach (var item in items ?? [])
        {
            flat.Add(new CloudflareError(item.Code, item.Message ?? ""));
            flat.AddRange(Flatten(item.ErrorChain));
        }
        return flat;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string StripQuery(string path) => path.Split('?')[0];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cloudflare {Request} answered page {Page} with the same items as an earlier page; stopping there")]
    private static partial void LogRepeatedPage(ILogger logger, string request, int page);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cloudflare rate-limited {Request} (HTTP 429); all requests wait {Seconds:0.#} s before retrying")]
    private static partial void LogRateLimited(ILogger logger, string request, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying Cloudflare {Request} after attempt {Attempt} failed ({Reason})")]
    private static partial void LogRetrying(ILogger logger, string request, int attempt, string reason);
}
