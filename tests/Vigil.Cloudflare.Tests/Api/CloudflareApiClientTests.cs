using System.Net;
using Microsoft.Extensions.Time.Testing;
using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using static Vigil.Cloudflare.Tests.Support.FakeHandler;

namespace Vigil.Cloudflare.Tests.Api;

public sealed class CloudflareApiClientTests
{
    private const string Base = "https://api.example.test/client/v4";
    private static readonly CloudflareCredential Token = CloudflareCredential.UserToken(new Secret("cfut_unit_test_token_value"));

    private static async Task<List<ApiPage<AccountDto>>> ListAccountsAsync(FakeHandler handler)
    {
        using var host = new TestHost(Base, handler: handler);
        var pages = new List<ApiPage<AccountDto>>();
        await foreach (var page in host.Client.ListAccountsAsync(new ApiSession(Base, Token), CancellationToken.None))
        {
            pages.Add(page);
        }
        return pages;
    }

    private static string Accounts(int from, int count) =>
        "[" + string.Join(",", Enumerable.Range(from, count).Select(i => $$"""{"id":"acc{{i}}","name":"A{{i}}"}""")) + "]";

    [Fact]
    public async Task Follows_total_pages_at_the_largest_page_size()
    {
        var handler = new FakeHandler((request, n) => Json(Ok(Accounts(n * 50, n < 3 ? 50 : 7), $$"""{"page":{{n}},"per_page":50,"count":50,"total_count":107,"total_pages":3}""")));

        var pages = await ListAccountsAsync(handler);

        Assert.Equal(3, pages.Count);
        Assert.Equal(["/client/v4/accounts?page=1&per_page=50", "/client/v4/accounts?page=2&per_page=50", "/client/v4/accounts?page=3&per_page=50"], handler.Paths);
        Assert.Equal("GET /accounts?page=2&per_page=50", pages[1].Raw.Request);
    }

    [Fact]
    public async Task Without_total_pages_falls_back_to_total_count()
    {
        var handler = new FakeHandler((request, n) => Json(Ok(Accounts(n * 50, n < 2 ? 50 : 10), """{"per_page":50,"total_count":60}""")));

        Assert.Equal(2, (await ListAccountsAsync(handler)).Count);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Without_any_count_stops_on_a_short_page()
    {
        var handler = new FakeHandler((request, n) => Json(Ok(Accounts(n * 50, n < 3 ? 50 : 3))));

        Assert.Equal(3, (await ListAccountsAsync(handler)).Count);
    }

    [Fact]
    public async Task A_page_repeating_an_earlier_one_ends_the_list_instead_of_looping()
    {
        // Account-owned tokens: every page number answers page 1, and here with no counts to stop on.
        var handler = new FakeHandler((request, n) => n > 10 ? throw new InvalidOperationException("looped") : Json(Ok(Accounts(0, 50))));

        var pages = await ListAccountsAsync(handler);

        Assert.Single(pages);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Retries_server_errors_and_dropped_bodies_then_succeeds()
    {
        var handler = new FakeHandler((request, n) => n switch
        {
            1 => Json("<html>502 Bad Gateway</html>", HttpStatusCode.BadGateway),
            2 => throw new HttpRequestException("connection reset"),
            3 => Json("""{"success":true,"errors":[],"result":[{"id":"acc1","na"""),
            _ => Json(Ok(Accounts(0, 1), """{"total_pages":1}""")),
        });
        using var host = new TestHost(Base, handler: handler);
        var session = new ApiSession(Base, Token);

        var response = await host.Client.GetAsync(session, "/accounts", CloudflareJsonContext.Default.EnvelopeListAccountDto, null, CancellationToken.None);

        Assert.Equal("acc0", Assert.Single(response.Result!).Id);
        Assert.Equal(4, session.Usage.ApiCalls);
    }

    [Fact]
    public async Task Gives_up_on_malformed_json_after_bounded_attempts_with_a_clear_error()
    {
        var handler = new FakeHandler((request, n) => Json("""{"success":true,"result":[{"""));
        using var host = new TestHost(Base, o => o.MaxAttempts = 3, handler);

        var ex = await Assert.ThrowsAsync<CloudflareApiException>(() =>
            host.Client.GetAsync(new ApiSession(Base, Token), "/accounts", CloudflareJsonContext.Default.EnvelopeListAccountDto, null, CancellationToken.None));

        Assert.Equal(3, handler.Requests.Count);
        Assert.Contains("not valid JSON", ex.Message);
        Assert.Contains("GET /accounts", ex.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, 10000, "Authentication error")]
    [InlineData(HttpStatusCode.Unauthorized, 1000, "Invalid API Token")]
    [InlineData(HttpStatusCode.Forbidden, 9109, "Cannot use the access token from location: 1.2.3.4")]
    [InlineData(HttpStatusCode.BadRequest, 6003, "Invalid request headers")]
    public async Task Never_retries_auth_or_permission_errors(HttpStatusCode status, int code, string message)
    {
        var handler = new FakeHandler((request, n) => Json(Error(code, message), status));
        using var host = new TestHost(Base, handler: handler);

        var ex = await Assert.ThrowsAsync<CloudflareApiException>(() =>
            host.Client.GetDnssecAsync(new ApiSession(Base, Token), "023e105f4ecef8ad9ca31a8372d0c353", CancellationToken.None));

        Assert.Single(handler.Requests);
        Assert.Equal((int)status, ex.StatusCode);
        Assert.True(ex.HasCode(code));
        Assert.Equal(CloudflarePermissions.DnsRead, ex.Permission);
    }

    [Fact]
    public async Task Error_chain_codes_are_kept()
    {
        var handler = new FakeHandler((request, n) => Json("""
            {"success":false,"errors":[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}],"messages":[],"result":null}
            """, HttpStatusCode.BadRequest));
        using var host = new TestHost(Base, handler: handler);

        var ex = await Assert.ThrowsAsync<CloudflareApiException>(() => host.Client.GetUserAsync(new ApiSession(Base, Token), CancellationToken.None));

        Assert.Equal([6003, 6111], ex.Errors.Select(e => e.Code));
        Assert.Equal(ConnectionProblems.MalformedToken, ConnectionProblems.Classify(ex, Token.Kind));
    }

    [Fact]
    public async Task A_429_is_waited_out_as_retry_after_says_and_counted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var sentAt = new List<DateTimeOffset>();
        var handler = new FakeHandler((request, n) =>
        {
            sentAt.Add(time.GetUtcNow());
            return n == 1
                ? Json(Error(971, "Please wait and consider throttling your request speed"), HttpStatusCode.TooManyRequests, r => r.Headers.TryAddWithoutValidation("Retry-After", "40"))
                : Json(Ok("""{"id":"u1","email":"a@example.test"}"""));
        });
        using var host = new TestHost(Base, handler: handler, time: time);
        var session = new ApiSession(Base, Token);

        var call = host.Client.GetUserAsync(session, CancellationToken.None);
        while (!call.IsCompleted)
        {
            await Task.Delay(1);
            time.Advance(TimeSpan.FromSeconds(1));
        }
        await call;

        Assert.Equal(2, sentAt.Count);
        Assert.True(sentAt[1] - sentAt[0] >= TimeSpan.FromSeconds(40), $"retried after {(sentAt[1] - sentAt[0]).TotalSeconds} s");
        Assert.Equal(1, session.Usage.RateLimited);
        Assert.Equal(2, session.Usage.ApiCalls);
    }

    [Fact]
    public async Task Sends_the_right_auth_headers_for_each_credential_kind()
    {
        var handler = new FakeHandler((request, n) => Json(Ok("""{"id":"u1","email":"a@example.test"}""")));
        using var host = new TestHost(Base, handler: handler);

        await host.Client.GetUserAsync(new ApiSession(Base, Token), CancellationToken.None);
        await host.Client.GetUserAsync(new ApiSession(Base, CloudflareCredential.GlobalKey("a@example.test", new Secret("cfk_key_value"))), CancellationToken.None);

        Assert.Equal("Bearer", handler.Requests[0].Headers.Authorization!.Scheme);
        Assert.Equal("cfk_key_value", handler.Requests[1].Headers.GetValues("X-Auth-Key").Single());
        Assert.Equal("a@example.test", handler.Requests[1].Headers.GetValues("X-Auth-Email").Single());
        Assert.Null(handler.Requests[1].Headers.Authorization);
    }

    [Fact]
    public async Task Missing_entrypoint_is_a_null_result_not_an_error()
    {
        var handler = new FakeHandler((request, n) => Json(Error(10003, "could not find entrypoint ruleset in the http_ratelimit phase"), HttpStatusCode.NotFound));
        using var host = new TestHost(Base, handler: handler);

        var response = await host.Client.GetEntrypointAsync(new ApiSession(Base, Token), "023e105f4ecef8ad9ca31a8372d0c353", "http_ratelimit", CancellationToken.None);

        Assert.Null(response.Result);
        Assert.Contains("10003", response.Raw.Body);
    }

    [Fact]
    public async Task Endless_429s_give_up_after_the_bounded_retries_as_rate_limited()
    {
        var handler = new FakeHandler((request, n) =>
            Json(Error(971, "Please wait and consider throttling your request speed"), HttpStatusCode.TooManyRequests, r => r.Headers.TryAddWithoutValidation("Retry-After", "0")));
        using var host = new TestHost(Base, o => o.MaxRateLimitRetries = 2, handler);
        var session = new ApiSession(Base, Token);

        var ex = await Assert.ThrowsAsync<CloudflareApiException>(() => host.Client.GetUserAsync(session, CancellationToken.None));

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(3, session.Usage.RateLimited);
        Assert.Equal(ConnectionProblems.RateLimited, ConnectionProblems.Classify(ex, Token.Kind));
    }

    [Fact]
    public void Invalid_options_are_rejected_when_first_used()
    {
        using var host = new TestHost(Base, o =>
        {
            o.BudgetRequests = 0;
            o.MaxRequestsPerSecond = 500;
        });

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => host.Client);

        Assert.Contains("BudgetRequests", ex.Message);
        Assert.Contains("MaxRequestsPerSecond", ex.Message);
    }
}
