using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Sync;
using static Vigil.Cloudflare.Tests.Support.FakeHandler;

namespace Vigil.Cloudflare.Tests.Api;

/// <summary>A list is read whole or not at all: early ends, short counts and endless pages fail; the /accounts quirk does not.</summary>
public sealed class ListCompletenessTests
{
    private const string Base = "https://api.example.test/client/v4";
    private const string AccountId = "01a7362d577a6c3019a474fd6f485823";
    private static readonly CloudflareCredential Token = CloudflareCredential.UserToken(new Secret("cfut_unit_test_token_value"));

    private static string Members(int page, int count) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$$"""{"id":"{{{page:x16}}}{{{i:x16}}}","status":"accepted","user":{"email":"m{{{page}}}x{{{i}}}@example.test"}}""")) + "]";

    private static string Info(int page, int totalCount, int totalPages, int perPage = 50) =>
        $$"""{"page":{{page}},"per_page":{{perPage}},"total_count":{{totalCount}},"total_pages":{{totalPages}}}""";

    private static int PageOf(HttpRequestMessage request) => int.Parse(System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"]!);

    private static async Task<(List<ApiPage<MemberDto>> Pages, ApiSession Session)> ReadAsync(FakeHandler handler, Action<CloudflareOptions>? configure = null)
    {
        using var host = new TestHost(Base, configure, handler);
        var session = new ApiSession(Base, Token);
        var pages = new List<ApiPage<MemberDto>>();
        await foreach (var page in host.Client.ListMembersAsync(session, AccountId, CancellationToken.None))
        {
            pages.Add(page);
        }
        return (pages, session);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task A_page_before_total_pages_answering_nothing_fails_the_list(string empty)
    {
        var handler = new FakeHandler((request, _) => PageOf(request) switch
        {
            2 => Json(Ok(empty, Info(2, 130, 3))),
            var p => Json(Ok(Members(p, p < 3 ? 50 : 30), Info(p, 130, 3))),
        });

        var error = await Assert.ThrowsAsync<CloudflareResponseException>(() => ReadAsync(handler));

        Assert.Equal($"Cloudflare's list GET /accounts/{AccountId}/members ended early: page 2 of 3 came back empty after 50 items of a total_count of 130, so the list is incomplete.", error.Message);
    }

    [Fact]
    public async Task Fewer_items_than_total_count_fails_the_list()
    {
        var handler = new FakeHandler((request, _) => Json(Ok(Members(PageOf(request), 50), Info(PageOf(request), 150, 2))));

        var error = await Assert.ThrowsAsync<CloudflareResponseException>(() => ReadAsync(handler));

        Assert.Contains("gave 100 items in 2 pages, fewer than its total_count of 150", error.Message);
    }

    [Fact]
    public async Task A_page_repeating_page_one_short_of_total_count_fails_rather_than_pass_as_the_accounts_quirk()
    {
        var handler = new FakeHandler((request, _) => Json(Ok(Members(1, 50), Info(PageOf(request), 120, 3))));

        var error = await Assert.ThrowsAsync<CloudflareResponseException>(() => ReadAsync(handler));

        Assert.Contains("fewer than its total_count of 120", error.Message);
    }

    [Fact]
    public async Task Total_pages_beyond_what_total_count_allows_fails_before_reading_them()
    {
        var handler = new FakeHandler((request, n) => n > 20 ? throw new InvalidOperationException("kept paging") : Json(Ok(Members(PageOf(request), 50), Info(PageOf(request), 120, 1_000_000))));

        var error = await Assert.ThrowsAsync<CloudflareResponseException>(() => ReadAsync(handler));

        Assert.Contains("claims 1000000 pages, more than the 5 pages its total_count of 120 allows at 50 per page", error.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Distinct_pages_forever_without_counts_stop_at_the_cap()
    {
        var handler = new FakeHandler((request, n) => n > 50 ? throw new InvalidOperationException("kept paging") : Json(Ok(Members(PageOf(request), 50))));

        var error = await Assert.ThrowsAsync<CloudflareResponseException>(() => ReadAsync(handler, o => o.MaxPagesWithoutCount = 4));

        Assert.Contains("did not end after 4 pages (200 items) and sent no total_count to plan by", error.Message);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task Total_pages_that_grow_with_every_page_stop_at_the_cap_from_total_count()
    {
        // Every answer says there is one more page: distinct pages forever.
        var handler = new FakeHandler((request, n) => n > 20 ? throw new InvalidOperationException("kept paging") : Json(Ok(Members(PageOf(request), 50), Info(PageOf(request), 120, PageOf(request) + 1))));

        var error = await Assert.ThrowsAsync<CloudflareResponseException>(() => ReadAsync(handler));

        Assert.Contains("grew to 6 pages while it was read, more than the 5 pages its total_count of 120 allows at 50 per page", error.Message);
        Assert.Equal(5, handler.Requests.Count);
    }

    [Fact]
    public async Task A_list_that_gains_a_page_while_it_is_read_is_read_to_its_new_end()
    {
        var handler = new FakeHandler((request, _) => PageOf(request) switch
        {
            1 => Json(Ok(Members(1, 50), Info(1, 100, 2))),
            2 => Json(Ok(Members(2, 50), Info(2, 101, 3))),
            _ => Json(Ok(Members(3, 1), Info(3, 101, 3))),
        });

        var (pages, session) = await ReadAsync(handler);

        Assert.Equal(101, pages.Sum(p => p.Items.Count));
        Assert.Equal(ListStop.TotalPagesReached, Assert.Single(session.Lists).Stop);
    }

    [Fact]
    public async Task A_count_that_grows_while_paging_still_reads_to_total_pages()
    {
        // A member added between page 1 and page 3: more items than total_count is not a loss.
        var handler = new FakeHandler((request, _) => PageOf(request) switch
        {
            3 => Json(Ok(Members(3, 11), Info(3, 111, 3))),
            var p => Json(Ok(Members(p, 50), Info(p, 110, 3))),
        });

        var (pages, session) = await ReadAsync(handler);

        Assert.Equal(111, pages.Sum(p => p.Items.Count));
        var coverage = Assert.Single(session.Lists);
        Assert.Equal(new ListCoverage($"GET /accounts/{AccountId}/members", 3, 111, 110, 3, 50, ListStop.TotalPagesReached, true), coverage);
    }

    [Fact]
    public async Task Coverage_records_the_accounts_quirk_as_a_repeated_page_not_a_failure()
    {
        using var host = new TestHost(Base, handler: new FakeHandler((_, _) =>
            Json(Ok("""[{"id":"01a7362d577a6c3019a474fd6f485823","name":"Acme"}""" + "," + string.Join(",", Enumerable.Range(1, 49).Select(i => $$"""{"id":"{{i:x32}}","name":"A{{i}}"}""")) + "]"))));
        var session = new ApiSession(Base, Token);
        var count = 0;
        await foreach (var page in host.Client.ListAccountsAsync(session, CancellationToken.None))
        {
            count += page.Items.Count;
        }

        Assert.Equal(50, count);
        var coverage = Assert.Single(session.Lists);
        Assert.Equal(ListStop.RepeatedPage, coverage.Stop);
        Assert.True(coverage.Complete);
        Assert.Equal(2, coverage.Pages);
        Assert.Null(coverage.TotalCount);
    }

    [Fact]
    public async Task Coverage_records_a_refused_list_as_incomplete()
    {
        var handler = new FakeHandler((_, _) => Json(Error(10000, "Authentication error"), System.Net.HttpStatusCode.Forbidden));

        using var host = new TestHost(Base, handler: handler);
        var session = new ApiSession(Base, Token);
        await Assert.ThrowsAsync<CloudflareApiException>(async () =>
        {
            await foreach (var _ in host.Client.ListMembersAsync(session, AccountId, CancellationToken.None))
            {
            }
        });

        var coverage = Assert.Single(session.Lists);
        Assert.Equal(ListStop.RequestFailed, coverage.Stop);
        Assert.False(coverage.Complete);
        Assert.Equal(0, coverage.Pages);
    }
}
