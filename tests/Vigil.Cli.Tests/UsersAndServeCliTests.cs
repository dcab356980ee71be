using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil users ...</c> and <c>vigil serve</c> as a user or the end-to-end script runs them.</summary>
public sealed class UsersAndServeCliTests
{
    [Fact]
    public async Task Users_add_prints_a_one_time_password_on_its_own_line_and_list_shows_the_user()
    {
        using var cli = new CliProcess();

        var added = (await cli.RunAsync("users", "add", "Ada@Example.com", "--role", "admin")).ShouldExit(0);

        var password = Regex.Match(added.Stdout, "^password: (\\S+)$", RegexOptions.Multiline);
        Assert.True(password.Success, added.Stdout);
        Assert.True(password.Groups[1].Value.Length >= 20);
        var list = (await cli.RunAsync("users", "list")).ShouldExit(0);
        Assert.Contains("ada@example.com", list.Stdout);
        Assert.Contains("admin", list.Stdout);
        Assert.DoesNotContain(password.Groups[1].Value, list.Output);
        // The hash is PBKDF2 (Identity v3 format), never the password.
        var database = await File.ReadAllBytesAsync(Path.Combine(cli.Home, "vigil.db"));
        Assert.DoesNotContain(password.Groups[1].Value, System.Text.Encoding.UTF8.GetString(database));
    }

    [Fact]
    public async Task Users_add_reads_the_password_from_stdin_and_refuses_a_short_one()
    {
        using var cli = new CliProcess();

        var added = (await cli.RunWithInputAsync("correct horse battery staple\n", "users", "add", "bob@example.com", "--role", "reviewer", "--password-stdin")).ShouldExit(0);
        Assert.DoesNotContain("password:", added.Stdout);
        Assert.DoesNotContain("correct horse", added.Output);

        var tooShort = (await cli.RunWithInputAsync("short\n", "users", "add", "carol@example.com", "--role", "viewer", "--password-stdin")).ShouldExit(2);
        Assert.Contains("at least 12 characters", tooShort.Stderr);
        var again = (await cli.RunAsync("users", "add", "BOB@example.com", "--role", "viewer")).ShouldExit(2);
        Assert.Contains("already a user", again.Stderr);
        Assert.DoesNotContain("carol", (await cli.RunAsync("users", "list")).Stdout);
    }

    [Fact]
    public async Task Users_add_refuses_an_unknown_role_and_a_bad_email()
    {
        using var cli = new CliProcess();
        (await cli.RunAsync("users", "add", "ada@example.com", "--role", "owner")).ShouldExit(2);
        var bad = (await cli.RunAsync("users", "add", "not an email", "--role", "viewer")).ShouldExit(2);
        Assert.Contains("not an email address", bad.Stderr);
    }

    [Fact]
    public async Task Users_api_key_prints_the_key_once_and_remove_and_reset_work()
    {
        using var cli = new CliProcess();
        (await cli.RunAsync("users", "add", "ada@example.com", "--role", "viewer")).ShouldExit(0);

        var key = (await cli.RunAsync("users", "api-key", "ada@example.com")).ShouldExit(0);
        var value = Regex.Match(key.Stdout, "^api key: (vigil_\\S+)$", RegexOptions.Multiline);
        Assert.True(value.Success, key.Stdout);
        Assert.DoesNotContain(value.Groups[1].Value, (await cli.RunAsync("users", "list")).Output);

        var reset = (await cli.RunAsync("users", "reset-password", "ada@example.com")).ShouldExit(0);
        Assert.Matches(new Regex("^password: \\S+$", RegexOptions.Multiline), reset.Stdout);

        (await cli.RunAsync("users", "remove", "ada@example.com")).ShouldExit(0);
        var gone = (await cli.RunAsync("users", "remove", "ada@example.com")).ShouldExit(1);
        Assert.Contains("there is no user ada@example.com", gone.Stderr);
        (await cli.RunAsync("users", "api-key", "ada@example.com")).ShouldExit(1);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", "--insecure-http")]
    [InlineData("http://192.0.2.10:8080", "--insecure-http")]
    [InlineData("https://127.0.0.1:8443", "--cert")]
    public async Task Serve_refuses_plain_http_off_loopback_and_https_without_a_certificate(string url, string advice)
    {
        using var cli = new CliProcess();
        var refused = (await cli.RunAsync("serve", "--urls", url)).ShouldExit(2);
        Assert.Contains(advice, refused.Stderr);
    }

    [Fact]
    public async Task Serve_listens_on_loopback_says_so_answers_health_and_stops_on_ctrl_c()
    {
        using var cli = new CliProcess();
        (await cli.RunAsync("users", "add", "ada@example.com", "--role", "viewer")).ShouldExit(0);
        var key = Regex.Match((await cli.RunAsync("users", "api-key", "ada@example.com")).ShouldExit(0).Stdout, "^api key: (vigil_\\S+)$", RegexOptions.Multiline).Groups[1].Value;
        var port = FreePort();
        using var server = cli.Start("serve", "--urls", $"http://127.0.0.1:{port}");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        var health = await PollAsync(http, "health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/findings")).StatusCode);
        // Metrics name every organisation: only a signed-in user (or a scraper with an API key) reads them.
        var anonymousMetrics = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Redirect, anonymousMetrics.StatusCode);
        Assert.EndsWith("/signin", anonymousMetrics.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "metrics");
        scrape.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var metrics = await http.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("vigil_", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        server.Signal("INT");
        var result = (await server.WaitAsync()).ShouldExit(0);
        Assert.Contains($"Vigil is serving on http://127.0.0.1:{port} (loopback only", result.Stdout);
    }

    [Fact]
    public async Task Serve_with_insecure_http_off_loopback_warns_at_start()
    {
        using var cli = new CliProcess();
        var port = FreePort();
        using var server = cli.Start("serve", "--urls", $"http://0.0.0.0:{port}", "--insecure-http");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await PollAsync(http, "health");

        server.Signal("INT");
        var result = (await server.WaitAsync()).ShouldExit(0);
        Assert.Contains("WARNING: plain HTTP on a non-loopback address", result.Stdout);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task<HttpResponseMessage> PollAsync(HttpClient http, string path)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (true)
        {
            try
            {
                return await http.GetAsync(path);
            }
            catch (HttpRequestException) when (TimeProvider.System.GetUtcNow() < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
