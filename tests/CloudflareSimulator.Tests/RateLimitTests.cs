using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Vigil.Simulation.Tests;

public sealed class RateLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static Task<CloudflareSimulator> StartAsync(FakeTimeProvider time, int limit = 5, Scenario? scenario = null) =>
        CloudflareSimulator.StartAsync(scenario ?? Scenario.Demo(), new SimulatorOptions
        {
            RateLimitRequests = limit,
            RateLimitWindow = TimeSpan.FromMinutes(5),
            TimeProvider = time,
        });

    [Fact]
    public async Task Every_response_carries_the_rate_limit_headers_with_remaining_quota()
    {
        var time = new FakeTimeProvider(Start);
        await using var sim = await StartAsync(time);
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var ok = await client.GetApiAsync("zones");
        var error = await client.GetApiAsync("zones/not-a-zone-id");

        Assert.Equal("\"default\";r=4;t=300", string.Join(",", ok.Headers.GetValues("Ratelimit")));
        Assert.Equal("\"default\";q=5;w=300", string.Join(",", ok.Headers.GetValues("Ratelimit-Policy")));
        Assert.Equal("\"default\";r=3;t=300", string.Join(",", error.Headers.GetValues("Ratelimit")));
        Assert.False(ok.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Going_over_the_limit_answers_429_with_retry_after_and_code_971()
    {
        var time = new FakeTimeProvider(Start);
        await using var sim = await StartAsync(time);
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("zones")).Status);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        var limited = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal([971], limited.ErrorCodes);
        Assert.Equal(TimeSpan.FromSeconds(300), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(1, sim.Stats.RateLimited);
    }

    [Fact]
    public async Task A_blocked_credential_stays_blocked_for_every_call_until_the_block_ends()
    {
        var time = new FakeTimeProvider(Start);
        await using var sim = await StartAsync(time, limit: 2);
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        await client.GetApiAsync("zones");
        await client.GetApiAsync("zones");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetApiAsync("zones")).Status);

        time.Advance(TimeSpan.FromMinutes(4));
        var verify = await client.GetApiAsync("user/tokens/verify");
        time.Advance(TimeSpan.FromSeconds(59));
        var stillBlocked = await client.GetApiAsync("accounts");
        time.Advance(TimeSpan.FromSeconds(1));
        var free = await client.GetApiAsync("accounts");

        Assert.Equal(HttpStatusCode.TooManyRequests, verify.Status);
        Assert.Equal(TimeSpan.FromSeconds(60), verify.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillBlocked.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), stillBlocked.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, free.Status);
        Assert.Equal("\"default\";r=1;t=300", string.Join(",", free.Headers.GetValues("Ratelimit")));
    }

    [Fact]
    public async Task The_window_resets_after_it_elapses_without_a_block()
    {
        var time = new FakeTimeProvider(Start);
        await using var sim = await StartAsync(time, limit: 2);
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        await client.GetApiAsync("zones");
        await client.GetApiAsync("zones");

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("zones")).Status);
    }

    [Fact]
    public async Task Credentials_are_limited_separately()
    {
        var time = new FakeTimeProvider(Start);
        await using var sim = await StartAsync(time, limit: 1);
        using var first = sim.Client(DemoCredentials.ReadAllToken);
        using var second = sim.Client(DemoCredentials.StagingOnlyToken);
        await first.GetApiAsync("zones");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.GetApiAsync("zones")).Status);

        Assert.Equal(HttpStatusCode.OK, (await second.GetApiAsync("zones")).Status);
    }

    [Fact]
    public async Task Scenario_can_choose_the_older_10100_code()
    {
        var scenario = Scenario.Demo();
        scenario.Quirks.RateLimitErrorCode = 10100;
        var time = new FakeTimeProvider(Start);
        await using var sim = await StartAsync(time, limit: 1, scenario);
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        await client.GetApiAsync("zones");

        var limited = await client.GetApiAsync("zones");

        Assert.Equal([10100], limited.ErrorCodes);
        Assert.StartsWith("More than 1200 requests per 300 seconds reached", limited.FirstErrorMessage);
    }

    [Fact]
    public async Task Per_address_limit_answers_429_within_one_second_and_recovers_the_next()
    {
        var time = new FakeTimeProvider(Start);
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo(), new SimulatorOptions { PerIpRequestsPerSecond = 3, TimeProvider = time });
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("zones")).Status);
        }

        var limited = await client.GetApiAsync("zones");
        time.Advance(TimeSpan.FromSeconds(1));
        var next = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Fact]
    public async Task Zero_disables_the_credential_limit_and_its_headers()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo(), new SimulatorOptions { RateLimitRequests = 0 });
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var answer = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.False(answer.Headers.Contains("Ratelimit"));
    }
}
