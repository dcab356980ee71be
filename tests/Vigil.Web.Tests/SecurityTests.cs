using System.Net;
using System.Reflection;
using Vigil.Core.Users;
using Vigil.Storage;

namespace Vigil.Web.Tests;

/// <summary>Sign-in, sessions, API keys, anti-forgery, lockout, rate limits and headers over a real Kestrel on loopback.</summary>
public sealed class SecurityTests : IAsyncLifetime
{
    private WebServerFixture _web = null!;

    public async Task InitializeAsync() => _web = await WebServerFixture.StartAsync();

    public Task DisposeAsync() => _web.DisposeAsync().AsTask();

    [Fact]
    public async Task Health_answers_without_sign_in_when_the_store_answers()
    {
        using var client = _web.Client();
        var response = await client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_is_503_when_the_store_does_not_answer()
    {
        var broken = DispatchProxy.Create<IVigilStore, BrokenStore>();
        await using var server = VigilWebServer.Create(broken, new ServeOptions { Urls = "http://127.0.0.1:0" },
            new VigilWebHostOptions { DataProtectionPath = Path.Combine(_web.Home, "other-keys") });
        await server.StartAsync(CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(server.Addresses[0] + "/") };

        var response = await client.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("unavailable", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("findings")]
    [InlineData("members")]
    [InlineData("no-such-page")]
    public async Task Pages_redirect_to_the_sign_in_page_without_a_session(string path)
    {
        using var client = _web.Client();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("GET", "api/v1/findings")]
    [InlineData("GET", "api/v1/")]
    [InlineData("POST", "api/v1/syncs")]
    public async Task The_api_answers_401_without_a_session_or_key(string method, string path)
    {
        using var client = _web.Client();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Signing_in_sets_an_http_only_lax_session_cookie_and_opens_the_overview()
    {
        var password = await _web.AddUserAsync("ada@example.com", UserRole.Viewer);
        var cookies = new CookieContainer();
        using var client = _web.Client(cookies);

        var response = await _web.SignInAsync(client, "Ada@Example.com", password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vigil_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        // Plain HTTP on loopback: Secure would stop the browser sending it back; on HTTPS it is set (SameAsRequest).
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);

        var overview = await client.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Overview", await overview.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_page_without_saying_which_part_was_wrong()
    {
        await _web.AddUserAsync("ada@example.com", UserRole.Viewer);
        using var client = _web.Client();

        var wrong = await _web.SignInAsync(client, "ada@example.com", "not-the-password");
        var unknown = await _web.SignInAsync(client, "nobody@example.com", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Contains("The email or password is not right.", await wrong.Content.ReadAsStringAsync());
        Assert.Contains("The email or password is not right.", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task A_form_post_without_the_anti_forgery_token_is_refused()
    {
        var password = await _web.AddUserAsync("ada@example.com", UserRole.Admin);
        using var anonymous = _web.Client();
        await anonymous.GetAsync("signin");
        var signIn = await anonymous.PostAsync("signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "ada@example.com",
            ["Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Null(signIn.Headers.Location);

        using var client = await _web.SignedInClientAsync("ada@example.com", password);
        var signOut = await client.PostAsync("signout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task A_state_changing_api_request_with_the_session_cookie_needs_the_anti_forgery_header()
    {
        var password = await _web.AddUserAsync("ada@example.com", UserRole.Admin);
        using var client = await _web.SignedInClientAsync("ada@example.com", password);

        var response = await client.PostAsync("api/v1/anything", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anti-forgery", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_account_locks_after_five_wrong_passwords_and_a_reset_unlocks_it()
    {
        var password = await _web.AddUserAsync("ada@example.com", UserRole.Viewer);
        using var client = _web.Client();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _web.SignInAsync(client, "ada@example.com", "wrong-password-" + i)).StatusCode);
        }

        var fifth = await _web.SignInAsync(client, "ada@example.com", "wrong-password-5");
        Assert.Equal(HttpStatusCode.Forbidden, fifth.StatusCode);

        // Locked: even the right password is refused, and no session cookie is issued.
        var right = await _web.SignInAsync(client, "ada@example.com", password);
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync());
        Assert.DoesNotContain(right.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("vigil_session=", StringComparison.Ordinal));

        var fresh = (await new App.Users.UserAccounts(TimeProvider.System).ResetPasswordAsync(_web.Store, "ada@example.com", null, CancellationToken.None))!.Reveal();
        Assert.Equal(HttpStatusCode.Redirect, (await _web.SignInAsync(client, "ada@example.com", fresh)).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_account()
    {
        await using var web = await WebServerFixture.StartAsync(new SignInLimits(PerAddressPerMinute: 100, PerAccountPerMinute: 3));
        var password = await web.AddUserAsync("ada@example.com", UserRole.Viewer);
        await web.AddUserAsync("bob@example.com", UserRole.Viewer);
        using var client = web.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await web.SignInAsync(client, "bob@example.com", "wrong-password")).StatusCode);
        }

        var limited = await web.SignInAsync(client, "BOB@example.com", "wrong-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Too many sign-in attempts for this account", await limited.Content.ReadAsStringAsync());
        // Another account from the same address is not held back.
        Assert.Equal(HttpStatusCode.Redirect, (await web.SignInAsync(client, "ada@example.com", password)).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_address()
    {
        await using var web = await WebServerFixture.StartAsync(new SignInLimits(PerAddressPerMinute: 3, PerAccountPerMinute: 100));
        var password = await web.AddUserAsync("ada@example.com", UserRole.Viewer);
        using var client = web.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await web.SignInAsync(client, $"user{i}@example.com", "wrong-password")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await web.SignInAsync(client, "ada@example.com", password)).StatusCode);
    }

    [Theory]
    [InlineData("signin")]
    [InlineData("health")]
    [InlineData("api/v1/findings")]
    [InlineData("")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = _web.Client();
        var response = await client.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task The_pages_have_no_inline_script()
    {
        var password = await _web.AddUserAsync("ada@example.com", UserRole.Admin);
        using var client = await _web.SignedInClientAsync("ada@example.com", password);
        foreach (var path in new[] { "", "signin" })
        {
            var html = await client.GetStringAsync(path);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
            Assert.DoesNotContain(" onclick=", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task An_api_key_authenticates_as_its_user_and_a_wrong_or_replaced_key_gets_401()
    {
        await _web.AddUserAsync("ada@example.com", UserRole.Viewer);
        var key = await _web.ApiKeyAsync("ada@example.com");
        using var client = _web.Client();

        // Signed in, the empty API answers 404 for an unknown resource rather than 401.
        Assert.Equal(HttpStatusCode.NotFound, (await Send(client, key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, key[..^2] + "xx")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, "vigil_nonsense")).StatusCode);

        var replacement = await _web.ApiKeyAsync("ada@example.com");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, key)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(client, replacement)).StatusCode);

        static Task<HttpResponseMessage> Send(HttpClient client, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/no-such-resource");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            return client.SendAsync(request);
        }
    }

    [Fact]
    public async Task Removing_a_user_or_resetting_their_password_ends_their_session()
    {
        var accounts = new App.Users.UserAccounts(TimeProvider.System);
        var adaPassword = await _web.AddUserAsync("ada@example.com", UserRole.Viewer);
        var bobPassword = await _web.AddUserAsync("bob@example.com", UserRole.Viewer);
        using var ada = await _web.SignedInClientAsync("ada@example.com", adaPassword);
        using var bob = await _web.SignedInClientAsync("bob@example.com", bobPassword);
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("")).StatusCode);

        await accounts.RemoveAsync(_web.Store, "ada@example.com", CancellationToken.None);
        await accounts.ResetPasswordAsync(_web.Store, "bob@example.com", null, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Redirect, (await ada.GetAsync("")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task A_user_works_on_their_own_organisation()
    {
        var globex = await _web.Store.AddOrganisationAsync("Globex <b>Corp</b>", TimeProvider.System.GetUtcNow(), CancellationToken.None);
        await using var view = _web.Store.ForOrganisation(globex);
        var password = await _web.AddUserAsync("gil@globex.example", UserRole.Viewer, view);
        using var client = await _web.SignedInClientAsync("gil@globex.example", password);

        var html = await client.GetStringAsync("");

        Assert.Contains("Globex &lt;b&gt;Corp&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>Corp</b>", html);
    }

    [Fact]
    public async Task The_sign_in_return_url_never_leaves_the_site()
    {
        var password = await _web.AddUserAsync("ada@example.com", UserRole.Viewer);
        using var client = _web.Client();
        var token = await WebServerFixture.FormTokenAsync(client, "signin");
        var response = await client.PostAsync("signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "ada@example.com",
            ["Password"] = password,
            ["ReturnUrl"] = "https://evil.example/steal",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    /// <summary>A store whose every call fails, as a database that stopped answering does.</summary>
    public class BrokenStore : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_Engine" => "sqlite",
            "DisposeAsync" => ValueTask.CompletedTask,
            _ => throw new InvalidOperationException("cannot connect to the Vigil database"),
        };
    }
}
