using Vigil.Core;

namespace Vigil.Cloudflare.Tests;

/// <summary>A credential that cannot go in an HTTP header is refused up front, without repeating it.</summary>
public sealed class CloudflareCredentialTests
{
    private const string Token = "cfut_SecretPartOne";

    [Theory]
    [InlineData(Token + "\r\nX-Injected: yes", "line break")]
    [InlineData(Token + "\nmore", "line break")]
    [InlineData(Token + "\u0000tail", "control character")]
    [InlineData(Token + "\u001b[2J", "control character")]
    [InlineData(Token + "\ttab", "control character")]
    [InlineData(Token + "é", "non-ASCII")]
    public void A_token_that_cannot_be_a_header_is_refused_without_quoting_it(string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => CloudflareCredential.UserToken(new Secret(value)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretPartOne", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CloudflareCredential.AccountToken(new Secret(value)));
        Assert.Throws<ArgumentException>(() => CloudflareCredential.GlobalKey("admin@example.com", new Secret(value)));
    }

    [Fact]
    public void An_email_with_a_line_break_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CloudflareCredential.GlobalKey("admin@example.com\r\nX-Auth-Key: x", new Secret("0123456789abcdef")));
        Assert.Contains("line break", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clean_token_and_key_are_accepted()
    {
        Assert.True(CloudflareCredential.UserToken(new Secret("cfut_abcDEF-123_xyz")).IsToken);
        Assert.Equal("admin@example.com", CloudflareCredential.GlobalKey(" admin@example.com ", new Secret("0123456789abcdef0123456789abcdef01234")).Email);
    }
}
