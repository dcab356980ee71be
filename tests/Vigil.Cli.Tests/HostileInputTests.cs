using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>Bad URLs, credentials that cannot be headers, and escape sequences in data: clear errors, never a crash or a raw escape.</summary>
public sealed class HostileInputTests
{
    private const string TokenVariable = "CF_TEST_TOKEN";
    private const string Escapes = "\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202Eevil";

    [Theory]
    [InlineData("ftp://api.cloudflare.com/client/v4", "ftp://")]
    [InlineData("file:///etc/passwd", "is a file")]
    [InlineData("not-a-url", "is not a URL")]
    [InlineData("http://api.example.com/client/v4", "--allow-insecure-http")]
    [InlineData("https://admin:Pa55wordInUrl@api.cloudflare.com/client/v4", "user name or password")]
    public async Task A_bad_api_url_is_a_usage_error_and_nothing_is_stored(string url, string expected)
    {
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);

        var result = (await cli.RunAsync("connect", "cloudflare", "--api-url", url, "--token-env", TokenVariable)).ShouldExit(2);

        Assert.Contains("--api-url", result.Stderr);
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain("Pa55wordInUrl", result.Output);
        Assert.Contains("No connections", (await cli.RunAsync("connections", "list")).ShouldExit(0).Stdout);
    }

    [Fact]
    public async Task Plain_http_to_the_simulator_on_loopback_stays_allowed()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        Assert.StartsWith("http://", sim.BaseUrl, StringComparison.Ordinal);
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);

        (await cli.RunAsync("connect", "cloudflare", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
    }

    [Theory]
    [InlineData("\r\nX-Injected: yes")]
    [InlineData("\nsecond-line")]
    [InlineData("\u0007bell")]
    public async Task A_token_with_a_line_break_or_control_character_gets_a_clear_error(string tail)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        var token = DemoCredentials.ReadAllToken + tail;
        using var cli = new CliProcess().With(TokenVariable, token);

        var result = (await cli.RunAsync("connect", "cloudflare", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(2);

        Assert.Contains($"${TokenVariable}", result.Stderr);
        Assert.Contains("API token", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain(DemoCredentials.ReadAllToken, result.Output);
        Assert.Equal(0, sim.Stats.CountFor("GET /user/tokens/verify"));
    }

    [Fact]
    public async Task A_global_key_or_email_with_a_line_break_gets_a_clear_error()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess()
            .With("CF_BAD_KEY", DemoCredentials.GlobalApiKey + "\r\nX-Injected: yes")
            .With("CF_GOOD_KEY", DemoCredentials.GlobalApiKey);

        var badKey = (await cli.RunAsync("connect", "cloudflare", "--api-url", sim.BaseUrl,
            "--email", DemoCredentials.GlobalKeyEmail, "--key-env", "CF_BAD_KEY")).ShouldExit(2);
        Assert.Contains("Global API Key in $CF_BAD_KEY contains a line break", badKey.Stderr);

        var badEmail = (await cli.RunAsync("connect", "cloudflare", "--api-url", sim.BaseUrl,
            "--email", DemoCredentials.GlobalKeyEmail + "\r\nX-Injected: yes", "--key-env", "CF_GOOD_KEY")).ShouldExit(2);
        Assert.Contains("--email contains a line break", badEmail.Stderr);

        Assert.DoesNotContain(DemoCredentials.GlobalApiKey, badKey.Output + badEmail.Output);
        Assert.DoesNotContain("   at ", badKey.Output + badEmail.Output);
    }

    [Fact]
    public async Task Escape_sequences_in_staff_names_never_reach_the_terminal()
    {
        using var cli = new CliProcess();
        var file = Path.Combine(cli.Home, "staff.csv");
        await File.WriteAllTextAsync(file,
            "email,name,status,org_role,offboarded_on\n" +
            $"ada@example.com,\"Ada {Escapes}\",active,engineer,\n" +
            $"bob@example.com,Bob,active,\"eng{Escapes}\",\n");
        var bad = Path.Combine(cli.Home, "bad.csv");
        await File.WriteAllTextAsync(bad, "email,name,status,org_role,offboarded_on\n" + $"cy@example.com,Cy,\"gone{Escapes}\",sre,\n");

        var results = new List<CliResult>
        {
            (await cli.RunAsync("staff", "import", file)).ShouldExit(0),
            (await cli.RunAsync("staff", "import", bad)).ShouldExit(1),
            (await cli.RunAsync("staff", "list")).ShouldExit(0),
            (await cli.RunAsync("staff", "list", "--format", "csv")).ShouldExit(0),
        };
        var json = (await cli.RunAsync("staff", "list", "--format", "json")).ShouldExit(0);
        results.Add(json);

        foreach (var result in results)
        {
            AssertTerminalSafe(result);
        }
        Assert.Contains("ada@example.com", results[2].Stdout);
        Assert.Contains("is not active or offboarded", results[1].Stderr);
        // JSON keeps the exact name, escaped.
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal($"Ada {Escapes}", document.RootElement[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Escape_sequences_from_the_api_never_reach_the_terminal()
    {
        var scenario = Scenario.Demo();
        scenario.Accounts[0].Name += Escapes;
        var member = scenario.Accounts[0].Members[0];
        member.User.FirstName = Escapes;
        member.User.LastName = Escapes;
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);

        AssertTerminalSafe((await cli.RunAsync("connect", "cloudflare", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0));
        AssertTerminalSafe(await cli.RunAsync("sync"));
        AssertTerminalSafe(await cli.RunAsync("checks"));
        AssertTerminalSafe(await cli.RunAsync("connections", "list"));
        var json = await cli.RunAsync("checks", "--format", "json");
        AssertTerminalSafe(json);
        using var _ = JsonDocument.Parse(json.Stdout);
    }

    private static void AssertTerminalSafe(CliResult result)
    {
        foreach (var c in result.Output)
        {
            Assert.False(c is '\u001b' or '\u0007' or '\u009b' or '\u202E' or '\r',
                $"vigil {result.CommandLine} printed U+{(int)c:X4}.\nstdout:\n{result.Stdout}\nstderr:\n{result.Stderr}");
        }
    }
}
