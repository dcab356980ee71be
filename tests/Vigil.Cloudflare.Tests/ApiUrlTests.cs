namespace Vigil.Cloudflare.Tests;

public sealed class ApiUrlTests
{
    [Theory]
    [InlineData("https://api.cloudflare.com/client/v4", "https://api.cloudflare.com/client/v4")]
    [InlineData("https://api.cloudflare.com/client/v4/", "https://api.cloudflare.com/client/v4")]
    [InlineData("  https://proxy.example.com:8443/cf/client/v4 ", "https://proxy.example.com:8443/cf/client/v4")]
    [InlineData("http://127.0.0.1:5081/client/v4", "http://127.0.0.1:5081/client/v4")]
    [InlineData("http://localhost:5081/client/v4", "http://localhost:5081/client/v4")]
    [InlineData("http://[::1]:5081/client/v4", "http://[::1]:5081/client/v4")]
    public void Accepts_https_and_loopback_http(string text, string expected)
    {
        Assert.True(ApiUrl.TryParse(text, allowInsecureHttp: false, out var url, out var problem), problem);
        Assert.Equal(expected, url.Text);
    }

    [Theory]
    [InlineData("ftp://api.cloudflare.com/client/v4", "ftp://")]
    [InlineData("file:///etc/passwd", "is a file")]
    [InlineData("/etc/passwd", "is a file")]
    [InlineData("not a url", "spaces")]
    [InlineData("api.cloudflare.com/client/v4", "is not a URL")]
    [InlineData("", "empty")]
    [InlineData("https://api.cloudflare.com/client/v4?x=1", "query")]
    [InlineData("javascript:alert(1)", "javascript://")]
    [InlineData("http://api.example.com/client/v4", "--allow-insecure-http")]
    [InlineData("http://10.0.0.5/client/v4", "--allow-insecure-http")]
    public void Refuses_with_a_reason(string text, string expected)
    {
        Assert.False(ApiUrl.TryParse(text, allowInsecureHttp: false, out var url, out var problem));
        Assert.Null(url);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ApiUrl.Parse(text, allowInsecureHttp: false));
    }

    [Fact]
    public void Plain_http_to_another_host_needs_the_explicit_allowance()
    {
        Assert.True(ApiUrl.TryParse("http://cf-proxy.internal/client/v4", allowInsecureHttp: true, out var url, out _));
        Assert.True(url.IsInsecure);
        Assert.False(ApiUrl.Parse("http://127.0.0.1:1/client/v4", allowInsecureHttp: false).IsInsecure);
    }

    [Theory]
    [InlineData("https://admin:hunter2secret@api.cloudflare.com/client/v4")]
    [InlineData("https://hunter2secret@api.cloudflare.com/client/v4")]
    [InlineData("http://admin:hunter2secret@127.0.0.1:5000/client/v4")]
    public void Refuses_a_user_name_or_password_and_never_repeats_it(string text)
    {
        Assert.False(ApiUrl.TryParse(text, allowInsecureHttp: true, out _, out var problem));
        Assert.Contains("user name or password", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configured_base_url_follows_the_same_rule()
    {
        var validator = new CloudflareOptionsValidator();
        Assert.True(validator.Validate(null, new CloudflareOptions()).Succeeded);
        Assert.True(validator.Validate(null, new CloudflareOptions { BaseUrl = "ftp://x/client/v4" }).Failed);
        Assert.True(validator.Validate(null, new CloudflareOptions { BaseUrl = "https://u:p@api.cloudflare.com/client/v4" }).Failed);
        Assert.True(validator.Validate(null, new CloudflareOptions { BaseUrl = "http://api.example.com/client/v4" }).Failed);
    }
}
