using System.Globalization;
using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Sync;
using static Vigil.Cloudflare.Tests.Support.FakeHandler;

namespace Vigil.Cloudflare.Tests.Api;

/// <summary>
/// A hostile or broken server on a real loopback socket: redirects to another origin, a Retry-After of days, lists cut
/// short, endless bodies and ids that climb out of their path segment. Each must end in a clear failure, with the
/// credential never sent anywhere but the API base and nothing partial committed.
/// </summary>
public sealed class HostileServerTests
{
    private const string AccountId = "0123456789abcdef0123456789abcdef";
    private const string TokenValue = "cfut_hostile_server_test_token_value";
    private const string KeyValue = "cfk_hostile_server_test_global_key_value";
    private const string Email = "owner@example.test";

    private static CloudflareCredential Credential(CredentialKind kind) => kind == CredentialKind.GlobalKey
        ? CloudflareCredential.GlobalKey(Email, new Secret(KeyValue))
        : CloudflareCredential.UserToken(new Secret(TokenValue));

    private static async Task<Connection> ConnectAsync(TestHost host, string baseUrl, CredentialKind kind = CredentialKind.UserToken)
    {
        var connection = InMemoryConnectionStore.NewConnection("main", baseUrl, kind, email: kind == CredentialKind.GlobalKey ? Email : null);
        await host.Connections.SaveAsync(connection, new Secret(kind == CredentialKind.GlobalKey ? KeyValue : TokenValue), CancellationToken.None);
        return connection;
    }

    private static async Task<SyncRun> SyncAsync(TestHost host, ConnectionPurpose purpose = ConnectionPurpose.Both)
    {
        // A frozen or endless sync must fail the test, not hang it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await host.Sync.RunAsync(new SyncRequest(purpose, "test"), null, null, timeout.Token);
    }

    private static int PageOf(string target) =>
        System.Text.RegularExpressions.Regex.Match(target, @"[?&]page=(\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1;

    private static string Page(string items, int page, int perPage, int count, int totalCount, int totalPages) =>
        Ok(items, $$"""{"page":{{page}},"per_page":{{perPage}},"count":{{count}},"total_count":{{totalCount}},"total_pages":{{totalPages}}}""");

    private static string Account(string id) => $$$"""[{"id":"{{{id}}}","name":"Acme","settings":{"enforce_twofactor":true}}]""";

    private static string Members(int page, int count) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            $$"""{"id":"{{page:x16}}{{i:x16}}","status":"accepted","user":{"id":"{{i:x32}}","email":"m{{page}}x{{i}}@example.test","two_factor_authentication_enabled":true},"roles":[]}""")) + "]";

    // ---- Redirects ----

    [Theory]
    [InlineData(CredentialKind.UserToken, 302)]
    [InlineData(CredentialKind.GlobalKey, 302)]
    [InlineData(CredentialKind.UserToken, 307)]
    [InlineData(CredentialKind.GlobalKey, 308)]
    public async Task A_redirect_is_never_followed_so_the_credential_never_reaches_the_other_origin(CredentialKind kind, int status)
    {
        // B answers like Cloudflare would, unauthenticated: an empty list taken as data would hide everything.
        await using var other = new LoopbackServer((r, s, ct) => LoopbackServer.WriteJsonAsync(s, 200,
            Ok(r.Path.EndsWith("/verify", StringComparison.Ordinal) ? """{"id":"x","status":"active"}""" : r.Path.EndsWith("/user", StringComparison.Ordinal) ? """{"id":"x"}""" : "[]",
               """{"page":1,"per_page":50,"count":0,"total_count":0,"total_pages":1}"""), ct));
        await using var api = new LoopbackServer((r, s, ct) => LoopbackServer.WriteJsonAsync(s, status, "", ct,
            $"Location: {other.Origin}{r.Target}{(r.Target.Contains('?') ? '&' : '?')}signature=SECRET-IN-QUERY"));
        using var host = new TestHost(api.BaseUrl);

        var report = await host.Preflight.RunAsync(new PreflightRequest(Credential(kind), api.BaseUrl, ConnectionPurpose.Both, null), CancellationToken.None);
        await ConnectAsync(host, api.BaseUrl, kind);
        var run = await SyncAsync(host);

        Assert.Empty(other.Requests);
        Assert.NotEmpty(api.Requests);
        Assert.False(report.CredentialValid);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("redirected", problem.Code);
        Assert.Contains($"HTTP {status}", problem.Message);
        Assert.Contains("does not follow redirects to Cloudflare's API", problem.Message);
        Assert.Contains(other.Origin, problem.Message);
        Assert.Equal(SyncStatus.Failed, run.Status);
        Assert.Equal(2, run.Stages.Count);
        Assert.All(run.Stages, stage =>
        {
            Assert.Equal(SyncStatus.Failed, stage.Status);
            Assert.Contains($"HTTP {status}", stage.Reason);
            Assert.Contains("does not follow redirects to Cloudflare's API", stage.Reason);
        });
        foreach (var text in new[] { run.Reason!, problem.Message, problem.Fix }.Concat(host.Logs.Lines))
        {
            Assert.DoesNotContain("SECRET-IN-QUERY", text);
            Assert.DoesNotContain(TokenValue, text);
            Assert.DoesNotContain(KeyValue, text);
        }
    }

    // ---- Retry-After ----

    [Theory]
    [InlineData("999999", 999999)]
    [InlineData("date", 3 * 24 * 3600)]
    public async Task A_retry_after_longer_than_the_rate_limit_window_fails_the_stage_instead_of_freezing_the_sync(string retryAfter, int seconds)
    {
        var value = retryAfter == "date"
            ? TimeProvider.System.GetUtcNow().AddSeconds(seconds).ToString("r", CultureInfo.InvariantCulture)
            : retryAfter;
        await using var api = new LoopbackServer((r, s, ct) => LoopbackServer.WriteJsonAsync(s, 429, Error(971, "Please wait and consider throttling your request speed"), ct,
            $"Retry-After: {value}"));
        using var host = new TestHost(api.BaseUrl);
        await ConnectAsync(host, api.BaseUrl);

        using var preflightTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var report = await host.Preflight.RunAsync(new PreflightRequest(Credential(CredentialKind.UserToken), api.BaseUrl, ConnectionPurpose.Both, null), preflightTimeout.Token);
        var run = await SyncAsync(host);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("rate_limited", problem.Code);
        Assert.Contains("s, longer than the 300 s rate-limit window", problem.Message);
        Assert.Equal(SyncStatus.Failed, run.Status);
        Assert.All(run.Stages, stage =>
        {
            Assert.Contains("Cloudflare asked to wait", stage.Reason);
            Assert.Contains("s, longer than the 300 s rate-limit window", stage.Reason);
        });
        var asked = System.Text.RegularExpressions.Regex.Match(run.Stages[0].Reason!, @"asked to wait (\d+) s");
        Assert.InRange(int.Parse(asked.Groups[1].Value, CultureInfo.InvariantCulture), seconds - 30, seconds + 1);
        Assert.Equal(3, api.Requests.Count); // one for preflight, one per stage: no retry, no wait
        Assert.Equal(2, run.Counts.RateLimited);
    }

    [Fact]
    public async Task A_retry_after_within_the_window_is_still_waited_out()
    {
        var calls = 0;
        await using var api = new LoopbackServer((r, s, ct) => Interlocked.Increment(ref calls) == 1
            ? LoopbackServer.WriteJsonAsync(s, 429, Error(971, "Please wait"), ct, "Retry-After: 1")
            : LoopbackServer.WriteJsonAsync(s, 200, Ok("""{"id":"0123456789abcdef0123456789abcdef","email":"owner@example.test"}"""), ct));
        using var host = new TestHost(api.BaseUrl);

        var user = await host.Client.GetUserAsync(new ApiSession(api.BaseUrl, Credential(CredentialKind.GlobalKey)), CancellationToken.None);

        Assert.NotNull(user.Result);
        Assert.Equal(2, api.Requests.Count);
    }

    // ---- Silent truncation ----

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task A_member_list_cut_short_fails_the_access_stage_and_keeps_the_previous_members(string shortPage)
    {
        var truncate = false;
        await using var api = new LoopbackServer((r, s, ct) =>
        {
            var page = PageOf(r.Target);
            var body = r.Path switch
            {
                "/client/v4/accounts" => Page(Account(AccountId), 1, 50, 1, 1, 1),
                var p when p.EndsWith("/roles", StringComparison.Ordinal) => Page("[]", 1, 50, 0, 0, 1),
                var p when p.EndsWith("/members", StringComparison.Ordinal) => truncate && page == 2
                    ? Page(shortPage, 2, 50, 0, 110, 3)
                    : Page(Members(page, page < 3 ? 50 : 10), page, 50, page < 3 ? 50 : 10, 110, 3),
                _ => Page("[]", 1, 50, 0, 0, 1),
            };
            return LoopbackServer.WriteJsonAsync(s, 200, body, ct);
        });
        using var host = new TestHost(api.BaseUrl);
        var connection = await ConnectAsync(host, api.BaseUrl);

        var first = await SyncAsync(host);
        truncate = true;
        var second = await SyncAsync(host);

        Assert.Equal(SyncStatus.Complete, first.Status);
        Assert.Equal(110, first.Counts.Members);
        Assert.Equal(SyncStatus.Partial, second.Status);
        var access = second.Stages.Single(s => s.Stage == SyncStageKind.Access);
        Assert.Equal(SyncStatus.Failed, access.Status);
        Assert.Contains("kept the previous data", access.Reason);
        Assert.Contains($"GET /accounts/{AccountId}/members ended early: page 2 of 3 came back empty after 50 items of a total_count of 110", access.Reason);
        var snapshot = await host.Store.LoadCurrentSnapshotAsync(CancellationToken.None);
        Assert.Equal(110, snapshot!.Members.Count);
        Assert.Equal(first.Id, host.Store.Access[connection.Id].RunId);
        var members = Assert.Single(second.Coverage!, c => c.List.EndsWith("/members", StringComparison.Ordinal));
        Assert.Equal(ListStop.EndedEarly, members.Stop);
        Assert.False(members.Complete);
    }

    [Fact]
    public async Task A_zone_list_with_forever_distinct_pages_stops_at_the_cap_and_fails_the_infra_stage()
    {
        // No counts at all, and every page full of new zones: only a page cap ends it.
        await using var api = new LoopbackServer((r, s, ct) =>
        {
            var page = PageOf(r.Target);
            var zones = "[" + string.Join(",", Enumerable.Range(0, 50).Select(i =>
                $$$"""{"id":"{{{page:x16}}}{{{i:x16}}}","name":"z{{{page}}}-{{{i}}}.example","status":"pending","paused":false,"account":{"id":"{{{AccountId}}}"}}""")) + "]";
            return LoopbackServer.WriteJsonAsync(s, 200, Ok(zones), ct);
        });
        using var host = new TestHost(api.BaseUrl, o => o.MaxPagesWithoutCount = 6);
        await ConnectAsync(host, api.BaseUrl);

        var run = await SyncAsync(host, ConnectionPurpose.Infra);

        Assert.Equal(SyncStatus.Failed, run.Status);
        Assert.Contains("GET /zones did not end after 6 pages (300 items) and sent no total_count to plan by; Vigil stops at 6 pages", run.Stages.Single().Reason);
        Assert.Equal(6, api.Requests.Count);
    }

    [Fact]
    public async Task A_rulesets_list_with_forever_new_cursors_stops_at_the_cap_and_fails_the_infra_stage()
    {
        // The rulesets list pages by cursor: a server that hands out a new cursor with every answer is never done.
        const string zoneId = "00000000000000000000000000000a01";
        await using var api = new LoopbackServer((r, s, ct) =>
        {
            if (r.Path == "/client/v4/zones")
            {
                return LoopbackServer.WriteJsonAsync(s, 200, Page($$$"""[{"id":"{{{zoneId}}}","name":"shop.example","status":"active","paused":false,"account":{"id":"{{{AccountId}}}"}}]""", 1, 50, 1, 1, 1), ct);
            }
            if (r.Path.EndsWith("/rulesets", StringComparison.Ordinal))
            {
                var cursor = Guid.NewGuid().ToString("N");
                return LoopbackServer.WriteJsonAsync(s, 200,
                    $$$"""{"success":true,"errors":[],"messages":[],"result":[{"id":"{{{cursor}}}","name":"custom","kind":"custom","phase":"http_request_firewall_custom"}],"result_info":{"cursor":"{{{cursor}}}"}}""", ct);
            }
            return LoopbackServer.WriteJsonAsync(s, 200, Ok("""{"id":"x"}"""), ct);
        });
        using var host = new TestHost(api.BaseUrl, o => o.MaxPagesWithoutCount = 6);
        await ConnectAsync(host, api.BaseUrl);

        var run = await SyncAsync(host, ConnectionPurpose.Infra);

        Assert.Equal(SyncStatus.Failed, run.Status);
        Assert.Contains("/rulesets did not end after 6 pages", run.Stages.Single().Reason);
        Assert.True(api.Requests.Count(r => r.Path.EndsWith("/rulesets", StringComparison.Ordinal)) <= 6);
    }

    // ---- Unbounded responses ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_oversized_body_fails_the_request_without_being_read_whole(bool declareLength)
    {
        const long body = 48L * 1024 * 1024;
        LoopbackServer? api = null;
        api = new LoopbackServer((r, s, ct) => api!.StreamBodyAsync(s, body, declareLength, ct));
        await using var _ = api;
        using var host = new TestHost(api.BaseUrl, o => o.MaxResponseBytes = 1024 * 1024);

        var error = await Assert.ThrowsAsync<CloudflareApiException>(() =>
            host.Client.GetAccountAsync(new ApiSession(api.BaseUrl, Credential(CredentialKind.UserToken)), AccountId, CancellationToken.None));

        Assert.Contains(declareLength ? "the response body declares 48 MB" : "the response body goes on past", error.Message);
        Assert.Contains("the 1 MB limit", error.Message);
        Assert.Single(api.Requests); // not retried: a body too large is not a passing glitch
        await Task.Delay(200);
        Assert.True(api.BytesWritten < 16L * 1024 * 1024, $"the client read {api.BytesWritten} bytes before stopping");
    }

    [Fact]
    public async Task An_oversized_body_fails_the_stage_with_a_clear_reason()
    {
        LoopbackServer? api = null;
        api = new LoopbackServer((r, s, ct) => api!.StreamBodyAsync(s, 8L * 1024 * 1024, false, ct));
        await using var _ = api;
        using var host = new TestHost(api.BaseUrl, o => o.MaxResponseBytes = 256 * 1024);
        await ConnectAsync(host, api.BaseUrl);

        var run = await SyncAsync(host, ConnectionPurpose.Access);

        Assert.Equal(SyncStatus.Failed, run.Status);
        Assert.Contains("the 256 KB limit (Cloudflare option MaxResponseBytes)", run.Stages.Single().Reason);
    }

    // ---- Ids ----

    [Theory]
    [InlineData("..")]
    [InlineData("../../user")]
    [InlineData("%2E%2E")]
    [InlineData("0123456789abcdef0123456789abcde")]
    public async Task Ids_that_are_not_cloudflare_ids_never_reach_a_request_path(string id)
    {
        await using var api = new LoopbackServer((r, s, ct) => LoopbackServer.WriteJsonAsync(s, 200, r.Path switch
        {
            "/client/v4/accounts" => Page(Account(id), 1, 50, 1, 1, 1),
            "/client/v4/zones" => Page($$$"""[{"id":"{{{id}}}","name":"shop.example","status":"active","paused":false,"account":{"id":"{{{AccountId}}}"}}]""", 1, 50, 1, 1, 1),
            _ => Ok("""{"id":"should-not-be-asked"}"""),
        }, ct));
        using var host = new TestHost(api.BaseUrl);
        await ConnectAsync(host, api.BaseUrl);

        var report = await host.Preflight.RunAsync(new PreflightRequest(
            CloudflareCredential.GlobalKey(Email, new Secret(KeyValue)), api.BaseUrl, ConnectionPurpose.Both, null), CancellationToken.None);
        var run = await SyncAsync(host);

        Assert.All(api.Requests, r => Assert.Contains(r.Path, new[] { "/client/v4/user", "/client/v4/accounts", "/client/v4/zones" }));
        Assert.Empty(report.Accounts); // not offered as a usable connection
        Assert.Contains("Vigil refused the account id", Assert.Single(report.Problems).Message);
        Assert.Equal(SyncStatus.Failed, run.Status);
        Assert.Contains("Vigil refused the account id '" + id + "': it is not a 32-character hexadecimal Cloudflare id", run.Stages[0].Reason);
        Assert.Contains("Vigil refused the zone id '" + id + "': it is not a 32-character hexadecimal Cloudflare id", run.Stages[1].Reason);
    }

    [Fact]
    public void A_dot_dot_segment_escapes_even_through_escaping_so_the_session_refuses_it()
    {
        // Why ids are checked: EscapeDataString leaves ".." alone and the URI parser then drops the segment.
        var escaped = new Uri("https://api.example.test/client/v4/accounts/" + Uri.EscapeDataString("..") + "/members");
        Assert.Equal("/client/v4/members", escaped.AbsolutePath);

        var session = new ApiSession("https://api.example.test/client/v4", Credential(CredentialKind.UserToken));
        Assert.Throws<CloudflareResponseException>(() => session.Resolve("/accounts/../members"));
        Assert.Throws<CloudflareResponseException>(() => session.Resolve("/accounts/%2e%2E/members"));
        Assert.Equal("/client/v4/accounts/" + AccountId + "/members", session.Resolve($"/accounts/{AccountId}/members").AbsolutePath);
        Assert.Throws<CloudflareResponseException>(() => CloudflareApiClient.Id("../../user", "account"));
        Assert.Equal(AccountId.ToUpperInvariant(), CloudflareApiClient.Id(AccountId.ToUpperInvariant(), "account"));
    }
}
