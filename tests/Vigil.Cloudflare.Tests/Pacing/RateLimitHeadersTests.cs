using System.Net;
using Vigil.Cloudflare.Pacing;

namespace Vigil.Cloudflare.Tests.Pacing;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("\"default\";r=50;t=30", 50, 30)]
    [InlineData("\"default\";r=0;t=300", 0, 300)]
    [InlineData("\"default\";t=12;r=7, \"burst\";r=99;t=1", 7, 12)]
    public void Reads_the_structured_header(string value, int remaining, int seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Ratelimit", value);

        var quota = RateLimitHeaders.ReadQuota(response.Headers, Now);

        Assert.Equal((remaining, TimeSpan.FromSeconds(seconds)), quota);
    }

    [Fact]
    public void Reads_the_legacy_headers_with_an_http_date_reset()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("x-ratelimit-remaining", "3");
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset", Now.AddSeconds(45).ToString("R"));

        Assert.Equal((3, TimeSpan.FromSeconds(45)), RateLimitHeaders.ReadQuota(response.Headers, Now));
    }

    [Fact]
    public void Ignores_absent_or_unreadable_headers()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Ratelimit", "garbage");

        Assert.Null(RateLimitHeaders.ReadQuota(response.Headers, Now));
        Assert.Null(RateLimitHeaders.ReadRetryAfter(response.Headers, Now));
    }

    [Fact]
    public void Reads_retry_after_in_seconds()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "120");

        Assert.Equal(TimeSpan.FromSeconds(120), RateLimitHeaders.ReadRetryAfter(response.Headers, Now));
    }
}
