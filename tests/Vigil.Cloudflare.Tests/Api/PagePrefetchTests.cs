using System.Net;
using System.Text;
using System.Web;
using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using static Vigil.Cloudflare.Tests.Support.FakeHandler;

namespace Vigil.Cloudflare.Tests.Api;

/// <summary>Once page 1 gives total_pages, later pages are requested a few at a time but still come out in page order.</summary>
public sealed class PagePrefetchTests
{
    private const string Base = "https://api.example.test/client/v4";
    private static readonly CloudflareCredential Token = CloudflareCredential.UserToken(new Secret("cfut_unit_test_token_value"));

    [Fact]
    public async Task Later_pages_are_requested_ahead_and_yielded_in_order_with_no_extra_request()
    {
        var handler = new OverlapHandler(pages: 10, failOnPage: null);
        using var host = new TestHost(Base, o => o.PagePrefetch = 4, handler);

        var pages = new List<int>();
        await foreach (var page in host.Client.ListMembersAsync(new ApiSession(Base, Token), "01a7362d577a6c3019a474fd6f485823", CancellationToken.None))
        {
            pages.Add(page.Number);
            Assert.Equal(page.Number, int.Parse(page.Items[0].Id!.Split('-')[0]));
        }

        Assert.Equal(Enumerable.Range(1, 10), pages);
        Assert.Equal(10, handler.Requests);
        Assert.InRange(handler.MostInFlight, 2, 4);
    }

    [Fact]
    public async Task A_failing_page_surfaces_its_error_after_the_pages_before_it()
    {
        var handler = new OverlapHandler(pages: 10, failOnPage: 3);
        using var host = new TestHost(Base, o => o.PagePrefetch = 4, handler);

        var pages = new List<int>();
        var error = await Assert.ThrowsAsync<CloudflareApiException>(async () =>
        {
            await foreach (var page in host.Client.ListMembersAsync(new ApiSession(Base, Token), "01a7362d577a6c3019a474fd6f485823", CancellationToken.None))
            {
                pages.Add(page.Number);
            }
        });

        Assert.Equal([1, 2], pages);
        Assert.Equal(403, error.StatusCode);
    }

    /// <summary>Answers member pages after a short real delay, so that requests overlap, and records how many overlapped.</summary>
    private sealed class OverlapHandler(int pages, int? failOnPage) : HttpMessageHandler
    {
        private int _inFlight;
        private int _requests;
        private int _mostInFlight;

        public int Requests => _requests;

        public int MostInFlight => _mostInFlight;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while ((seen = _mostInFlight) < now && Interlocked.CompareExchange(ref _mostInFlight, now, seen) != seen)
            {
            }
            try
            {
                await Task.Delay(30, cancellationToken);
                var page = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"]!);
                if (page == failOnPage)
                {
                    return Json(Error(10000, "Authentication error"), HttpStatusCode.Forbidden);
                }
                var members = string.Join(",", Enumerable.Range(0, 50).Select(i => $$$"""{"id":"{{{page}}}-{{{i}}}","status":"accepted","user":{"email":"m{{{page}}}x{{{i}}}@example.test"}}"""));
                return Json(Ok("[" + members + "]", $$"""{"page":{{page}},"per_page":50,"count":50,"total_count":{{pages * 50}},"total_pages":{{pages}}}"""));
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}
