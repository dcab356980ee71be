using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>Connection troubleshooting through the CLI: each bad credential gets its own message and fix, and nothing is stored.</summary>
public sealed class ConnectDiagnosticsTests
{
    private const string TokenVariable = "CF_TEST_TOKEN";

    [Theory]
    [InlineData(DemoCredentials.ExpiredToken, "expired")]
    [InlineData(DemoCredentials.DisabledToken, "disabled")]
    [InlineData(DemoCredentials.IpRestrictedToken, "IP address")]
    [InlineData("cfut_ThisTokenWasNeverIssuedByCloudflare0000000", "does not recognise this API token")]
    public async Task A_refused_token_is_explained_and_nothing_is_stored(string token, string expected)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, token);

        var result = (await cli.RunAsync("connect", "cloudflare", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(1);

        Assert.Contains(expected, result.Output);
        Assert.Contains("fix:", result.Output);
        Assert.Contains("nothing was stored", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain(token, result.Output);
        Assert.Contains("No connections", (await cli.RunAsync("connections", "list")).ShouldExit(0).Stdout);
    }

    [Fact]
    public async Task A_global_api_key_connects_and_a_wrong_one_is_explained()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess()
            .With("CF_GOOD_KEY", DemoCredentials.GlobalApiKey)
            .With("CF_WRONG_KEY", "0123456789abcdef0123456789abcdef01234");

        var good = (await cli.RunAsync("connect", "cloudflare", "--name", "legacy", "--api-url", sim.BaseUrl,
            "--email", DemoCredentials.GlobalKeyEmail, "--key-env", "CF_GOOD_KEY")).ShouldExit(0);
        Assert.Contains("Global API Key", good.Output);

        var wrong = (await cli.RunAsync("connect", "cloudflare", "--name", "typo", "--api-url", sim.BaseUrl,
            "--email", DemoCredentials.GlobalKeyEmail, "--key-env", "CF_WRONG_KEY")).ShouldExit(1);
        Assert.Contains("Global API Key and email", wrong.Output);
        Assert.DoesNotContain(DemoCredentials.GlobalApiKey, good.Output + wrong.Output);
        Assert.DoesNotContain("typo", (await cli.RunAsync("connections", "list")).ShouldExit(0).Stdout);
    }

    [Fact]
    public async Task A_missing_read_permission_names_the_permission_to_add()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.NoZoneReadToken);

        var result = (await cli.RunAsync("connect", "cloudflare", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(4);

        Assert.Contains("Zone Read", result.Output);
        Assert.Contains("infrastructure monitoring: NOT fully readable", result.Output);
        Assert.Contains("access review: ready", result.Output);
    }

    [Fact]
    public async Task An_unset_token_variable_is_a_usage_error_naming_the_variable()
    {
        using var cli = new CliProcess();
        var result = (await cli.RunAsync("connect", "cloudflare", "--token-env", "VIGIL_TEST_UNSET_VARIABLE")).ShouldExit(2);
        Assert.Contains("VIGIL_TEST_UNSET_VARIABLE", result.Stderr);
    }

    [Fact]
    public async Task The_token_never_reaches_output_logs_or_the_vigil_home_in_plain_text()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken).With("VIGIL_LOG_LEVEL", "Trace");
        var outputs = new List<CliResult>
        {
            (await cli.RunAsync("connect", "cloudflare", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0),
            (await cli.RunAsync("connections", "list")).ShouldExit(0),
            (await cli.RunAsync("connections", "test", "cloudflare")).ShouldExit(0),
            (await cli.RunAsync("sync")).ShouldExit(0),
            await cli.RunAsync("connect", "--help"),
        };

        foreach (var output in outputs)
        {
            Assert.DoesNotContain(DemoCredentials.ReadAllToken, output.Output);
        }
        foreach (var file in Directory.EnumerateFiles(cli.Home, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(Contains(bytes, System.Text.Encoding.UTF8.GetBytes(DemoCredentials.ReadAllToken)), $"{file} holds the token in plain text");
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
