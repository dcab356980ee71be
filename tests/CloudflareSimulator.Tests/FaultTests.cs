using System.Net;
using System.Text.Json;

namespace Vigil.Simulation.Tests;

public sealed class FaultTests
{
    [Theory]
    [InlineData(500, "application/json")]
    [InlineData(502, "text/html")]
    [InlineData(503, "text/html")]
    public async Task Server_errors_hit_the_next_matching_requests_only(int status, string contentType)
    {
        await using var sim = await Api.StartDemoAsync();
        sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, StatusCode = status, PathPattern = "^/zones$", Times = 2 });
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        using var first = await client.GetAsync("zones");
        using var second = await client.GetAsync("zones");
        using var other = await client.GetAsync("accounts");
        using var third = await client.GetAsync("zones");

        Assert.Equal((HttpStatusCode)status, first.StatusCode);
        Assert.Equal(contentType, first.Content.Headers.ContentType?.MediaType);
        Assert.Equal((HttpStatusCode)status, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(0, sim.Faults.Count);
    }

    [Fact]
    public async Task Malformed_json_is_a_truncated_200_body()
    {
        await using var sim = await Api.StartDemoAsync();
        sim.Faults.Add(FaultRule.Next(1, FaultKind.MalformedJson, "^/accounts"));
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        using var response = await client.GetAsync("accounts");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("{\"result\":", body, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public async Task Dropped_connection_fails_the_request_mid_response()
    {
        await using var sim = await Api.StartDemoAsync();
        sim.Faults.Add(FaultRule.Next(1, FaultKind.DropConnection, "^/zones$"));
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await client.GetAsync("zones");
            await response.Content.ReadAsStringAsync();
        });
        using var after = await client.GetAsync("zones");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Forced_429_looks_like_the_rate_limiter_but_does_not_block()
    {
        await using var sim = await Api.StartDemoAsync();
        sim.Faults.Add(new FaultRule { Kind = FaultKind.RateLimited, Times = 1, RetryAfter = TimeSpan.FromSeconds(7) });
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var limited = await client.GetApiAsync("zones");
        var next = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal([971], limited.ErrorCodes);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal(1, sim.Stats.RateLimited);
    }

    [Fact]
    public async Task Slow_fault_delays_then_answers_normally()
    {
        await using var sim = await Api.StartDemoAsync();
        sim.Faults.Add(new FaultRule { Kind = FaultKind.Slow, Times = 1, Delay = TimeSpan.FromMilliseconds(50) });
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var answer = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(0, sim.Faults.Count);
    }

    [Fact]
    public async Task Probability_rules_are_reproducible_for_a_seed()
    {
        static async Task<string> PatternAsync()
        {
            await using var sim = await Api.StartDemoAsync();
            sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, Probability = 0.5, Seed = 42, Method = "GET" });
            using var client = sim.Client(DemoCredentials.ReadAllToken);
            var pattern = "";
            for (var i = 0; i < 12; i++)
            {
                using var response = await client.GetAsync("zones");
                pattern += response.IsSuccessStatusCode ? "." : "x";
            }

            return pattern;
        }

        var first = await PatternAsync();
        var second = await PatternAsync();

        Assert.Equal(first, second);
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task Clear_removes_every_rule()
    {
        await using var sim = await Api.StartDemoAsync();
        sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError });
        sim.Faults.Clear();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("zones")).Status);
    }
}
