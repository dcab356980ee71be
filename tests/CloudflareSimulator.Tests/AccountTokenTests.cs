using System.Net;
using System.Text.Json;

namespace Vigil.Simulation.Tests;

/// <summary>GET /accounts/{account_id}/tokens in Cloudflare's shape: page/per_page, total_count without total_pages, 403 without the permission.</summary>
public sealed class AccountTokenTests(DemoSimulatorFixture fixture) : IClassFixture<DemoSimulatorFixture>
{
    private readonly CloudflareSimulator _sim = fixture.Simulator;

    [Fact]
    public async Task Lists_the_demo_accounts_tokens_in_cloudflare_shape()
    {
        using var client = _sim.Client(DemoCredentials.ReadAllToken);
        var answer = await client.GetApiAsync($"accounts/{Api.Prod}/tokens");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["ci-deploy", "legacy-terraform"], answer.Result.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal((2, 1, 20, 2), (answer.Info("count"), answer.Info("page"), answer.Info("per_page"), answer.Info("total_count")));
        Assert.False(answer.ResultInfo.TryGetProperty("total_pages", out _));

        var bounded = answer.Result[0];
        Assert.Equal("active", bounded.GetProperty("status").GetString());
        Assert.Equal(["203.0.113.0/24"], bounded.GetProperty("condition").GetProperty("request_ip").GetProperty("in").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("marcus.lindqvist@acme-analytics.io", bounded.GetProperty("creator_email_at_creation").GetString());
        var lastUsed = bounded.GetProperty("last_used_on").GetDateTimeOffset();
        Assert.InRange(TimeProvider.System.GetUtcNow() - lastUsed, TimeSpan.FromHours(23), TimeSpan.FromHours(25));
        var policy = bounded.GetProperty("policies")[0];
        Assert.Equal("allow", policy.GetProperty("effect").GetString());
        Assert.Equal("DNS Write", policy.GetProperty("permission_groups")[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, policy.GetProperty("resources").ValueKind);

        var open = answer.Result[1];
        Assert.False(open.TryGetProperty("expires_on", out _));
        Assert.False(open.TryGetProperty("condition", out _));
        Assert.False(open.TryGetProperty("token", out _));
        Assert.False(open.TryGetProperty("value", out _));
    }

    [Fact]
    public async Task Pages_with_per_page_and_keeps_total_count()
    {
        var scenario = Scenario.Demo();
        var account = scenario.Accounts[0];
        for (var i = 0; i < 10; i++)
        {
            account.AccountTokens.Add(new ScenarioAccountToken { Id = $"{i:x2}{new string('0', 30)}", Name = $"bulk-{i}" });
        }
        await using var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0 });
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var third = await client.GetApiAsync($"accounts/{account.Id}/tokens?page=3&per_page=5");
        var beyond = await client.GetApiAsync($"accounts/{account.Id}/tokens?page=4&per_page=5");
        var capped = await client.GetApiAsync($"accounts/{account.Id}/tokens?per_page=500");

        Assert.Equal((2, 3, 5, 12), (third.Info("count"), third.Info("page"), third.Info("per_page"), third.Info("total_count")));
        Assert.Equal(["bulk-8", "bulk-9"], third.Result.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(0, beyond.Result.GetArrayLength());
        Assert.Equal((12, 50), (capped.Result.GetArrayLength(), capped.Info("per_page")));
    }

    [Fact]
    public async Task A_token_without_account_api_tokens_read_gets_10000()
    {
        using var client = _sim.Client(DemoCredentials.NoAccountSettingsReadToken);
        var answer = await client.GetApiAsync($"accounts/{Api.Prod}/tokens");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal([10000], answer.ErrorCodes);
        Assert.False(answer.Success);
    }

    [Fact]
    public async Task A_token_past_its_expiry_is_listed_as_expired()
    {
        var scenario = Scenario.Demo();
        scenario.Accounts[1].AccountTokens.Add(new ScenarioAccountToken
        {
            Id = "ab" + new string('0', 30),
            Name = "old",
            ExpiresOn = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });
        await using var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0 });
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var answer = await client.GetApiAsync($"accounts/{Api.Staging}/tokens");

        var old = answer.Result.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "old");
        Assert.Equal("expired", old.GetProperty("status").GetString());
    }
}
