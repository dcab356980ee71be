namespace Vigil.Simulation.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Defaults_serve_the_demo_with_the_real_limits()
    {
        Assert.True(SimulatorCommandLine.TryParse([], null, out var scenario, out var options, out _));

        Assert.Equal(2, scenario.Accounts.Count);
        Assert.Equal((0, 1200, TimeSpan.FromMinutes(5)), (options.Port, options.RateLimitRequests, options.RateLimitWindow));
        Assert.Empty(options.ExtraTokens);
    }

    [Fact]
    public void Options_and_environment_token_are_read()
    {
        string[] args = ["--port", "8787", "--token", "cfut_cli", "--rate-limit", "50", "--window-seconds", "60", "--latency-ms", "25", "--generate", "3,40,9"];

        Assert.True(SimulatorCommandLine.TryParse(args, "cfut_env", out var scenario, out var options, out _));

        Assert.Equal(8787, options.Port);
        Assert.Equal(["cfut_env", "cfut_cli"], options.ExtraTokens);
        Assert.Equal((50, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(25)), (options.RateLimitRequests, options.RateLimitWindow, options.Latency));
        Assert.Equal(40, scenario.Accounts.Sum(a => a.Members.Count));
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--port", "abc")]
    [InlineData("--colour", "blue")]
    [InlineData("--generate", "1,2")]
    [InlineData("--scenario", "/nonexistent/scenario.json")]
    public void Bad_arguments_are_refused_with_a_reason(params string[] args)
    {
        Assert.False(SimulatorCommandLine.TryParse(args, null, out _, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Token_values_are_never_echoed_in_errors()
    {
        Assert.False(SimulatorCommandLine.TryParse(["--token", ""], null, out _, out _, out var error));
        Assert.DoesNotContain("cfut", error, StringComparison.Ordinal);
    }
}
