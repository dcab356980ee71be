using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
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
    private readonly ICredentialBudget? _shared;
    private readonly IRequestObserver? _observer;

    public CloudflareApiClient(HttpClient http, RequestBudget budget, IOptions<CloudflareOptions> options, TimeProvider time, ILogger<CloudflareApiClient> logger,
        ICredentialBudget? shared = null, IRequestObserver? observer = null)
    {
        _shared = shared;
        _observer = observer;
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
        GetAsync(session, $"/accounts/{Id(accountId, "account")}/tokens/verify", Json.EnvelopeTokenStatusDto, null, ct);

    internal Task<ApiResponse<UserDto>> GetUserAsync(ApiSession session, CancellationToken ct) =>
        GetAsync(session, "/user", Json.EnvelopeUserDto, null, ct);

    internal IAsyncEnumerable<ApiPage<AccountDto>> ListAccountsAsync(ApiSession session, CancellationToken ct) =>
        PaginateAsync(session, "/accounts", PageSizes.Accounts, Json.EnvelopeListAccountDto, a => a.Id, CloudflarePermissions.AccountSettingsRead, ct);

    internal Task<ApiResponse<AccountDto>> GetAccountAsync(ApiSession session, string accountId, CancellationToken ct) =>
        GetAsync(session, $"/accounts/{Id(accountId, "account")}", Json.EnvelopeAccountDto, CloudflarePermissions.AccountSettingsRead, ct);

    internal IAsyncEnumerable<ApiPage<RoleDto>> ListRolesAsync(ApiSession session, string accountId, CancellationToken ct) =>
        PaginateAsync(session, $"/accounts/{Id(accountId, "account")}/roles", PageSizes.Roles, Json.EnvelopeListRoleDto, r => r.Id, CloudflarePermissions.AccountSettingsRead, ct);

    internal IAsyncEnumerable<ApiPage<MemberDto>> ListMembersAsync(ApiSession session, string accountId, CancellationToken ct) =>
        PaginateAsync(session, $"/accounts/{Id(accountId, "account")}/members", PageSizes.Members, Json.EnvelopeListMemberDto, m => m.Id, CloudflarePermissions.AccountSettingsRead, ct);

    /// <summary>IAM user groups with their policies (which member objects do not show).</summary>
    internal IAsyncEnumerable<ApiPage<UserGroupDto>> ListUserGroupsAsync(ApiSession session, string accountId, CancellationToken ct) =>
        PaginateAsync(session, $"/accounts/{Id(accountId, "account")}/iam/user_groups", PageSizes.UserGroups, Json.EnvelopeListUserGroupDto, g => g.Id, CloudflarePermissions.AccountSettingsRead, ct);

    internal IAsyncEnumerable<ApiPage<UserGroupMemberDto>> ListUserGroupMembersAsync(ApiSession session, string accountId, string groupId, CancellationToken ct) =>
        PaginateAsync(session, $"/accounts/{Id(accountId, "account")}/iam/user_groups/{Id(groupId, "user group")}/members", PageSizes.UserGroupMembers, Json.EnvelopeListUserGroupMemberDto, m => m.Id, CloudflarePermissions.AccountSettingsRead, ct);

    /// <summary>The account's permission groups, to name a policy's permission group that came without a name.</summary>
    internal IAsyncEnumerable<ApiPage<PermissionGroupDto>> ListPermissionGroupsAsync(ApiSession session, string accountId, CancellationToken ct) =>
        PaginateAsync(session, $"/accounts/{Id(accountId, "account")}/iam/permission_groups", PageSizes.PermissionGroups, Json.EnvelopeListPermissionGroupDto, g => g.Id, CloudflarePermissions.AccountSettingsRead, ct);

    /// <summary>Dashboard SSO connectors: a single page, no pagination (SDK SinglePage).</summary>
    internal Task<ApiResponse<List<SsoConnectorDto>>> ListSsoConnectorsAsync(ApiSession session, string accountId, CancellationToken ct) =>
        GetAsync(session, $"/accounts/{Id(accountId, "account")}/sso_connectors", Json.EnvelopeListSsoConnectorDto, CloudflarePermissions.SsoConnectorRead, ct);

    /// <summary>The account's account-owned API tokens (page/per_page; Cloudflare's result_info carries total_count but no total_pages).</summary>
    internal IAsyncEnumerable<ApiPage<AccountTokenDto>> ListAccountTokensAsync(ApiSession session, string accountId, CancellationToken ct) =>
        PaginateAsync(session, $"/accounts/{Id(accountId, "account")}/tokens", PageSizes.AccountTokens, Json.EnvelopeListAccountTokenDto, t => t.Id, CloudflarePermissions.AccountApiTokensRead, ct);

    /// <summary>Zones of every status; limited to one account when <paramref name="accountId"/> is given.</summary>
    internal IAsyncEnumerable<ApiPage<ZoneDto>> ListZonesAsync(ApiSession session, string? accountId, CancellationToken ct) =>
        PaginateAsync(session, accountId is null ? "/zones" : $"/zones?account.id={Id(accountId, "account")}", PageSizes.Zones, Json.EnvelopeListZoneDto, z => z.Id, CloudflarePermissions.ZoneRead, ct);

    /// <summary>The deprecated batch read of every setting (one call per zone) while Cloudflare still answers it.</summary>
    internal Task<ApiResponse<List<ZoneSettingDto>>> GetZoneSettingsAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Id(zoneId, "zone")}/settings", Json.EnvelopeListZoneSettingDto, CloudflarePermissions.ZoneSettingsRead, ct);

    internal Task<ApiResponse<ZoneSettingDto>> GetZoneSettingAsync(ApiSession session, string zoneId, string settingId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Id(zoneId, "zone")}/settings/{Escape(settingId)}", Json.EnvelopeZoneSettingDto, CloudflarePermissions.ZoneSettingsRead, ct);

    internal Task<ApiResponse<DnssecDto>> GetDnssecAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Id(zoneId, "zone")}/dnssec", Json.EnvelopeDnssecDto, CloudflarePermissions.DnsRead, ct);

    /// <summary>The zone's entrypoint ruleset of a phase; Result is null when the phase has none (404).</summary>
    internal async Task<ApiResponse<RulesetDto>> GetEntrypointAsync(ApiSession session, string zoneId, string phase, CancellationToken ct)
    {
        var path = $"/zones/{Id(zoneId, "zone")}/rulesets/phases/{Escape(phase)}/entrypoint";
        try
        {
            return await GetAsync(session, path, Json.EnvelopeRulesetDto, CloudflarePermissions.FirewallServicesRead, ct).ConfigureAwait(false);
        }
        catch (CloudflareApiException ex) when (ex.StatusCode == 404)
        {
            return new ApiResponse<RulesetDto>(default, null, new RawPayload("GET " + path, _time.GetUtcNow(), ex.Body ?? ""));
        }
    }

    /// <summary>
    /// The rulesets of a zone (<c>/zones/{id}</c>) or account (<c>/accounts/{id}</c>), without rules: entrypoints (kind
    /// zone or root) with their phase, custom rulesets and the managed rulesets available. Cursor-paged: the next cursor
    /// comes in <c>result_info.cursor</c> (or <c>result_info.cursors.after</c>); one page is the usual case.
    /// </summary>
    internal async IAsyncEnumerable<ApiPage<RulesetDto>> ListRulesetsAsync(
        ApiSession session, string ownerPath, string permission, [EnumeratorCancellation] CancellationToken ct)
    {
        var path = $"{ownerPath}/rulesets";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            if (page > _options.MaxPagesWithoutCount)
            {
                // A cursor list sends no count to plan by: a server handing out new cursors forever must not be read forever.
                throw new CloudflareResponseException(
                    $"Cloudflare's list GET {path} did not end after {page - 1} pages; Vigil stops at {_options.MaxPagesWithoutCount} pages, so the list is incomplete.");
            }
            var response = await GetAsync(session, cursor is null ? path : $"{path}?cursor={Escape(cursor)}", Json.EnvelopeListRulesetDto, permission, ct).ConfigureAwait(false);
            var items = response.Result ?? [];
            yield return new ApiPage<RulesetDto>(page, items, response.Info, response.Raw);
            cursor = response.Info?.Cursor is { Length: > 0 } next ? next : response.Info?.Cursors?.After is { Length: > 0 } after ? after : null;
            if (cursor is null || items.Count == 0 || !seen.Add(cursor))
            {
                yield break;
            }
        }
    }

    /// <summary>An account's entrypoint ruleset of a phase; Result is null when the phase has none (404).</summary>
    internal async Task<ApiResponse<RulesetDto>> GetAccountEntrypointAsync(ApiSession session, string accountId, string phase, CancellationToken ct)
    {
        var path = $"/accounts/{Id(accountId, "account")}/rulesets/phases/{Escape(phase)}/entrypoint";
        try
        {
            return await GetAsync(session, path, Json.EnvelopeRulesetDto, CloudflarePermissions.AccountWafRead, ct).ConfigureAwait(false);
        }
        catch (CloudflareApiException ex) when (ex.StatusCode == 404)
        {
            return new ApiResponse<RulesetDto>(default, null, new RawPayload("GET " + path, _time.GetUtcNow(), ex.Body ?? ""));
        }
    }

    /// <summary>One ruleset with its rules, e.g. a managed ruleset a zone deploys (to weigh the overrides that turn its rules off).</summary>
    internal Task<ApiResponse<RulesetDto>> GetRulesetAsync(ApiSession session, string ownerPath, string rulesetId, string permission, CancellationToken ct) =>
        GetAsync(session, $"{ownerPath}/rulesets/{Id(rulesetId, "ruleset")}", Json.EnvelopeRulesetDto, permission, ct);

    /// <summary>The zone's Page Rules, every status (the list is not paged). Cloudflare's API reference accepts Zone Read or Page Rules Read.</summary>
    internal Task<ApiResponse<List<PageRuleDto>>> ListPageRulesAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Id(zoneId, "zone")}/pagerules", Json.EnvelopeListPageRuleDto, CloudflarePermissions.ZoneRead, ct);

    /// <summary>
    /// Per-hostname minimum TLS overrides of the zone. A 404 means the zone has no such settings (the feature is not
    /// on the zone) and answers an empty list, keeping the answer as evidence.
    /// </summary>
    internal async Task<ApiResponse<List<HostnameSettingDto>>> GetHostnameMinTlsAsync(ApiSession session, string zoneId, CancellationToken ct)
    {
        var path = $"/zones/{Id(zoneId, "zone")}/hostnames/settings/min_tls_version";
        try
        {
            return await GetAsync(session, path, Json.EnvelopeListHostnameSettingDto, CloudflarePermissions.SslAndCertificatesRead, ct).ConfigureAwait(false);
        }
        catch (CloudflareApiException ex) when (ex.StatusCode == 404)
        {
            return new ApiResponse<List<HostnameSettingDto>>([], null, new RawPayload("GET " + path, _time.GetUtcNow(), ex.Body ?? ""));
        }
    }

    /// <summary>The zone's DNS records, every type, page by page (page/per_page with result_info counts; DNS Read).</summary>
    internal IAsyncEnumerable<ApiPage<DnsRecordDto>> ListDnsRecordsAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        PaginateAsync(session, $"/zones/{Id(zoneId, "zone")}/dns_records", PageSizes.DnsRecords, Json.EnvelopeListDnsRecordDto, r => r.Id, CloudflarePermissions.DnsRead, ct);
    /// <summary>The zone's certificate packs, every page; Cloudflare lists active packs unless asked for status=all.</summary>
    internal IAsyncEnumerable<ApiPage<CertificatePackDto>> ListCertificatePacksAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        PaginateAsync(session, $"/zones/{Id(zoneId, "zone")}/ssl/certificate_packs", PageSizes.CertificatePacks, Json.EnvelopeListCertificatePackDto, p => p.Id,
            CloudflarePermissions.SslAndCertificatesRead, ct);

    /// <summary>The zone's Universal SSL setting (SSL and Certificates Read).</summary>
    internal Task<ApiResponse<EnabledSettingDto>> GetUniversalSslSettingsAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Id(zoneId, "zone")}/ssl/universal/settings", Json.EnvelopeEnabledSettingDto, CloudflarePermissions.SslAndCertificatesRead, ct);

    /// <summary>Whether zone-level Authenticated Origin Pulls is enabled (SSL and Certificates Read).</summary>
    internal Task<ApiResponse<EnabledSettingDto>> GetOriginPullSettingsAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Id(zoneId, "zone")}/origin_tls_client_auth/settings", Json.EnvelopeEnabledSettingDto, CloudflarePermissions.SslAndCertificatesRead, ct);
    /// <summary>The zone's bot protection configuration: Bot Fight Mode, Super Bot Fight Mode or Bot Management for Enterprise.</summary>
    internal Task<ApiResponse<BotManagementDto>> GetBotManagementAsync(ApiSession session, string zoneId, CancellationToken ct) =>
        GetAsync(session, $"/zones/{Id(zoneId, "zone")}/bot_management", Json.EnvelopeBotManagementDto, CloudflarePermissions.BotManagementRead, ct);

    /// <summary>The Logpush jobs of a zone (<c>/zones/{id}</c>) or account (<c>/accounts/{id}</c>): one unpaged list; Cloudflare's SDK types allow null items.</summary>
    internal Task<ApiResponse<List<LogpushJobDto?>>> ListLogpushJobsAsync(ApiSession session, string ownerPath, CancellationToken ct) =>
        GetAsync(session, $"{ownerPath}/logpush/jobs", Json.EnvelopeListLogpushJobDto, CloudflarePermissions.LogsRead, ct);

    /// <summary>The first page of a list with a small page size: the cheapest proof that a read is allowed.</summary>
    internal Task<ApiResponse<List<JsonElement>>> ProbeListAsync(ApiSession session, string path, string permission, CancellationToken ct) =>
        GetAsync(session, path + (path.Contains('?') ? "&" : "?") + "per_page=5", Json.EnvelopeListJsonElement, permission, ct);

    internal Task<ApiResponse<JsonElement>> ProbeAsync(ApiSession session, string path, string permission, CancellationToken ct) =>
        GetAsync(session, path, Json.EnvelopeJsonElement, permission, ct);

    /// <summary>
    /// Streams a page-style list at the given page size, in page order, and fails rather than return part of it.
    /// Ends on <c>result_info.total_pages</c> (or ceil(total_count/per_page)), on a short or empty page when neither is
    /// sent, and on a page whose ids repeat an earlier page: Cloudflare's /accounts answers every page number with page 1
    /// for account-owned tokens. Fails with a <see cref="CloudflareResponseException"/> when a page before the last comes
    /// back empty, when fewer items arrive than <c>total_count</c>, or when the list would need more pages than its count
    /// allows (or than <see cref="CloudflareOptions.MaxPagesWithoutCount"/> when no count is sent). Each list read is
    /// recorded in <see cref="ApiSession.Lists"/>: pages, items, counts and why it stopped.
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
        var list = "GET " + path;
        var pagesRead = 0;
        var itemsRead = 0;
        int? totalCount = null;
        int? totalPagesSent = null;
        int? echoedPerPageSent = null;
        var recorded = false;
        void Record(string stop, bool complete)
        {
            if (!recorded)
            {
                recorded = true;
                session.Lists.Enqueue(new ListCoverage(list, pagesRead, itemsRead, totalCount, totalPagesSent, echoedPerPageSent ?? perPage, stop, complete));
            }
        }
        CloudflareResponseException Fail(string stop, string message)
        {
            Record(stop, false);
            return new CloudflareResponseException(message);
        }
        Task<ApiResponse<List<T>>> Fetch(int page, CancellationToken token) =>
            GetAsync(session, $"{path}{separator}page={page}&per_page={perPage}", type, permission, token);
        async Task<ApiResponse<List<T>>> Read(Task<ApiResponse<List<T>>> fetch)
        {
            try
            {
                var response = await fetch.ConfigureAwait(false);
                pagesRead++;
                return response;
            }
            catch (Exception ex) when (ex is CloudflareApiException or HttpRequestException or CloudflareResponseException)
            {
                Record(ListStop.RequestFailed, false);
                throw;
            }
        }

        try
        {
            // Page 1 alone: it tells how many pages follow, if the endpoint says.
            var first = await Read(Fetch(1, ct)).ConfigureAwait(false);
            var firstItems = first.Result ?? [];
            itemsRead += firstItems.Count;
            totalCount = first.Info?.TotalCount is int tc && tc >= 0 ? tc : null;
            totalPagesSent = first.Info?.TotalPages is int tp && tp >= 0 ? tp : null;
            echoedPerPageSent = first.Info?.PerPage is int echoed && echoed > 0 ? echoed : null;
            var echoedPerPage = echoedPerPageSent ?? perPage;
            if (firstItems.Count > 0)
            {
                seenPages.Add(PageKey(firstItems, idOf));
            }
            yield return new ApiPage<T>(1, firstItems, first.Info, first.Raw);
            var neededByCount = totalCount is { } count ? (int)Math.Min(int.MaxValue, (count + (long)echoedPerPage - 1) / echoedPerPage) : (int?)null;
            var totalPages = totalPagesSent ?? neededByCount;

            if (totalPages is null)
            {
                // No count to plan by: one page at a time until a short or empty page, and no further than the cap.
                if (firstItems.Count == 0)
                {
                    Record(ListStop.EmptyPage, true);
                    yield break;
                }
                if (firstItems.Count < echoedPerPage)
                {
                    Record(ListStop.ShortPage, true);
                    yield break;
                }
                for (var page = 2; ; page++)
                {
                    if (page > _options.MaxPagesWithoutCount)
                    {
                        throw Fail(ListStop.PageCap,
                            $"Cloudflare's list {list} did not end after {pagesRead} pages ({itemsRead} items) and sent no total_count to plan by; Vigil stops at {_options.MaxPagesWithoutCount} pages, so the list is incomplete.");
                    }
                    var response = await Read(Fetch(page, ct)).ConfigureAwait(false);
                    var items = response.Result ?? [];
                    if (items.Count > 0 && !seenPages.Add(PageKey(items, idOf)))
                    {
                        LogRepeatedPage(_logger, StripQuery(path), page);
                        Record(ListStop.RepeatedPage, true);
                        yield break;
                    }
                    itemsRead += items.Count;
                    yield return new ApiPage<T>(page, items, response.Info, response.Raw);
                    if (items.Count == 0)
                    {
                        Record(ListStop.EmptyPage, true);
                        yield break;
                    }
                    if (items.Count < (response.Info?.PerPage is int pp && pp > 0 ? pp : echoedPerPage))
                    {
                        Record(ListStop.ShortPage, true);
                        yield break;
                    }
                }
            }

            // A count that needs more pages than the list can have is not believed: at most its total_count's pages plus
            // a little slack (items added while paging), and never more than MaxPages.
            var cap = Math.Min(neededByCount is { } needed ? needed + PageSlack : _options.MaxPagesWithoutCount, _options.MaxPages);
            if (totalPages > cap)
            {
                throw Fail(ListStop.PageCap, totalCount is { } claimed
                    ? $"Cloudflare's list {list} claims {totalPages} pages, more than the {cap} pages its total_count of {claimed} allows at {echoedPerPage} per page; Vigil did not read it, so the list is incomplete."
                    : $"Cloudflare's list {list} claims {totalPages} pages and sent no total_count; Vigil reads at most {cap} pages of such a list, so the list is incomplete.");
            }

            var repeated = false;
            if (firstItems.Count == 0 && totalPages > 1)
            {
                throw Fail(ListStop.EndedEarly,
                    $"Cloudflare's list {list} ended early: page 1 of {totalPages} came back empty, so the list is incomplete.");
            }
            if (firstItems.Count > 0 && totalPages > 1)
            {
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
                        var response = await Read(task).ConfigureAwait(false);
                        if (response.Info?.TotalPages is int grown && grown > totalPages)
                        {
                            // The list grew while it was read (a member added): read on to its new end, but not past the
                            // cap, or a server that adds a page with every answer would be read forever.
                            if (grown > cap)
                            {
                                throw Fail(ListStop.PageCap, totalCount is { } counted
                                    ? $"Cloudflare's list {list} grew to {grown} pages while it was read, more than the {cap} pages its total_count of {counted} allows at {echoedPerPage} per page; Vigil stopped there, so the list is incomplete."
                                    : $"Cloudflare's list {list} grew to {grown} pages while it was read and sent no total_count; Vigil reads at most {cap} pages of such a list, so the list is incomplete.");
                            }
                            totalPages = grown;
                        }
                        FillWindow();
                        var items = response.Result ?? [];
                        if (items.Count == 0)
                        {
                            // A page before the last answering null or [] would silently drop everything after it.
                            throw Fail(ListStop.EndedEarly,
                                $"Cloudflare's list {list} ended early: page {page} of {totalPages} came back empty after {itemsRead} items{(totalCount is { } c ? $" of a total_count of {c}" : "")}, so the list is incomplete.");
                        }
                        if (!seenPages.Add(PageKey(items, idOf)))
                        {
                            LogRepeatedPage(_logger, StripQuery(path), page);
                            repeated = true;
                            break;
                        }
                        itemsRead += items.Count;
                        yield return new ApiPage<T>(page, items, response.Info, response.Raw);
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

            if (totalCount is { } expected && itemsRead < expected)
            {
                throw Fail(ListStop.FewerThanTotalCount,
                    $"Cloudflare's list {list} gave {itemsRead} items in {pagesRead} page{(pagesRead == 1 ? "" : "s")}, fewer than its total_count of {expected}, so the list is incomplete.");
            }
            Record(repeated ? ListStop.RepeatedPage : ListStop.TotalPagesReached, true);
        }
        finally
        {
            // A reader that stopped early, or a failure elsewhere in the stage.
            Record(ListStop.Abandoned, false);
        }
    }

    /// <summary>Pages allowed beyond what total_count needs: members or zones added while the list is read.</summary>
    private const int PageSlack = 2;

    /// <summary>
    /// Settles a request's slot in the shared budget. A failure to do so (the database unreachable) must not hide the
    /// request's own outcome: the slot then stays in flight, counted until it expires, which errs on the side of waiting.
    /// </summary>
    private async Task SettleAsync(BudgetSlot slot)
    {
        try
        {
            await _shared!.SettleAsync(slot).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSettleFailed(_logger, ex.GetType().Name);
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
            // This process's own pacing, then (when there is one) the credential's budget across processes, last so that the
            // send time it records is the time the request leaves.
            var waited = await _budget.AcquireAsync(ct).ConfigureAwait(false);
            BudgetSlot? slot = null;
            if (_shared is not null && session.BudgetKey is { } key)
            {
                try
                {
                    slot = await _shared.AcquireAsync(key, ct).ConfigureAwait(false);
                }
                catch
                {
                    _budget.Complete();
                    throw;
                }
                waited += slot.Value.Waited;
            }
            session.Usage.RecordCall(waited);
            if (session.ConnectionName is { } sentFor)
            {
                _observer?.Sent(sentFor, waited);
            }

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
                if (status is >= 300 and < 400)
                {
                    // Never followed (the handler's AllowAutoRedirect is off): the credential must not reach another address,
                    // and another address's answer is not Cloudflare's data.
                    throw new CloudflareApiException(status, [], request, permission, Redirect(response.Headers.Location, uri));
                }
                var now = _time.GetUtcNow();
                var quota = RateLimitHeaders.ReadQuota(response.Headers, now);
                if (quota is { } q)
                {
                    _budget.ObserveServerQuota(q.Remaining, q.ResetAfter);
                }
                if (status == 429)
                {
                    session.Usage.RecordRateLimited();
                    if (session.ConnectionName is { } limitedFor)
                    {
                        _observer?.RateLimited(limitedFor);
                    }
                    var wait = RateLimitHeaders.ReadRetryAfter(response.Headers, now)
                        ?? (quota is { ResetAfter.Ticks: > 0 } ? quota.Value.ResetAfter : _budget.Window);
                    if (wait > _budget.Window)
                    {
                        // Cloudflare's limit resets every window; a longer wait (Retry-After: 999999) would freeze the sync for days.
                        var errorBody = await ReadBodyAsync(response, request, permission, linked.Token).ConfigureAwait(false);
                        throw Failure(status, errorBody, request, permission,
                            $"Cloudflare asked to wait {Math.Ceiling(wait.TotalSeconds):0} s, longer than the {_budget.Window.TotalSeconds:0} s rate-limit window");
                    }
                    _budget.BlockFor(wait);
                    if (++rateLimitedRetries > _options.MaxRateLimitRetries)
                    {
                        var errorBody = await ReadBodyAsync(response, request, permission, linked.Token).ConfigureAwait(false);
                        throw Failure(status, errorBody, request, permission);
                    }
                    LogRateLimited(_logger, request, wait.TotalSeconds);
                    attempt--; // waiting out a 429 is not a failed attempt
                    continue;
                }
                body = await ReadBodyAsync(response, request, permission, linked.Token).ConfigureAwait(false);
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
                if (slot is { } answered)
                {
                    // After the body was read: the answer is complete, and the shared budget counts the send from now.
                    await SettleAsync(answered).ConfigureAwait(false);
                }
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

    /// <summary>
    /// The body as text, read no further than <see cref="CloudflareOptions.MaxResponseBytes"/>: a declared length above
    /// the cap fails before reading, and an undeclared one fails as soon as the count passes it, so a hostile or broken
    /// answer never fills memory.
    /// </summary>
    private async Task<string> ReadBodyAsync(HttpResponseMessage response, string request, string? permission, CancellationToken ct)
    {
        var limit = _options.MaxResponseBytes;
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentLength is long declared && declared > limit)
        {
            throw TooLarge(status, request, permission, $"declares {FormatBytes(declared)}");
        }
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk.AsMemory(), ct).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > limit)
                    {
                        throw TooLarge(status, request, permission, "goes on past it");
                    }
                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            // Skip a UTF-8 byte order mark, as ReadAsStringAsync did: the JSON reader does not accept one in a string.
            return Encoding.UTF8.GetString(bytes.StartsWith(Utf8Bom) ? bytes[Utf8Bom.Length..] : bytes);
        }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private CloudflareApiException TooLarge(int status, string request, string? permission, string how) =>
        new(status, [], request, permission,
            $"the response body {how} the {FormatBytes(_options.MaxResponseBytes)} limit (Cloudflare option MaxResponseBytes); Vigil stopped reading it");

    private static string FormatBytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB"
        : bytes % 1024 == 0 ? $"{bytes / 1024} KB"
        : $"{bytes} bytes";

    /// <summary>Where a redirect pointed, without its query or user info (either could carry a secret).</summary>
    private static string Redirect(Uri? location, Uri requested)
    {
        var where = location is null ? null : location.IsAbsoluteUri ? location : new Uri(requested, location);
        var shown = where is null ? "no address" : $"{where.Scheme}://{where.Authority}{where.AbsolutePath}";
        if (shown.Length > 200)
        {
            shown = shown[..200] + "...";
        }
        return $"a redirect to {shown}; Vigil does not follow redirects to Cloudflare's API";
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

    /// <summary>A Cloudflare object id for a path segment: 32 hex characters, else the request is not made.</summary>
    internal static string Id(string? id, string what) => CloudflareIds.Require(id, what);

    private static string StripQuery(string path) => path.Split('?')[0];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cloudflare {Request} answered page {Page} with the same items as an earlier page; stopping there")]
    private static partial void LogRepeatedPage(ILogger logger, string request, int page);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cloudflare rate-limited {Request} (HTTP 429); all requests wait {Seconds:0.#} s before retrying")]
    private static partial void LogRateLimited(ILogger logger, string request, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying Cloudflare {Request} after attempt {Attempt} failed ({Reason})")]
    private static partial void LogRetrying(ILogger logger, string request, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared request budget could not record a request's answer ({Error}); its slot counts as in flight until it expires")]
    private static partial void LogSettleFailed(ILogger logger, string error);
}
