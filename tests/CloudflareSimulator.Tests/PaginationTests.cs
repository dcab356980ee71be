using System.Net;

namespace Vigil.Simulation.Tests;

public sealed class PaginationTests
{
    private static Scenario WithMembers(int count)
    {
        var scenario = ScenarioGenerator.Generate(1, count, 0);
        return scenario;
    }

    private static async Task<(CloudflareSimulator Sim, HttpClient Client, string AccountId)> StartAsync(Scenario scenario)
    {
        var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { RateLimitRequests = 0 });
        return (sim, sim.Client(ScenarioGenerator.AllReadToken), scenario.Accounts[0].Id);
    }

    [Fact]
    public async Task Empty_list_has_no_items_and_zero_counts()
    {
        var (sim, client, account) = await StartAsync(WithMembers(0));
        await using var _ = sim;
        using var __ = client;

        var answer = await client.GetApiAsync($"accounts/{account}/members");

        Assert.Equal(0, answer.Result.GetArrayLength());
        Assert.Equal((1, 20, 0, 0, 0), (answer.Info("page"), answer.Info("per_page"), answer.Info("count"), answer.Info("total_count"), answer.Info("total_pages")));
    }

    [Fact]
    public async Task Exactly_one_full_page_reports_one_page()
    {
        var (sim, client, account) = await StartAsync(WithMembers(20));
        await using var _ = sim;
        using var __ = client;

        var first = await client.GetApiAsync($"accounts/{account}/members");
        var second = await client.GetApiAsync($"accounts/{account}/members?page=2");

        Assert.Equal((20, 20, 1), (first.Info("count"), first.Info("total_count"), first.Info("total_pages")));
        Assert.Equal(0, second.Result.GetArrayLength());
        Assert.Equal((2, 0, 20, 1), (second.Info("page"), second.Info("count"), second.Info("total_count"), second.Info("total_pages")));
    }

    [Fact]
    public async Task Fifty_one_items_at_fifty_per_page_make_two_pages_with_one_on_the_last()
    {
        var (sim, client, account) = await StartAsync(WithMembers(51));
        await using var _ = sim;
        using var __ = client;

        var first = await client.GetApiAsync($"accounts/{account}/members?per_page=50");
        var last = await client.GetApiAsync($"accounts/{account}/members?per_page=50&page=2");

        Assert.Equal((50, 2), (first.Info("count"), first.Info("total_pages")));
        Assert.Equal((1, 2, 51), (last.Info("count"), last.Info("total_pages"), last.Info("total_count")));
        Assert.Empty(first.ResultIds.Intersect(last.ResultIds));
    }

    [Theory]
    [InlineData("per_page=500", 50)]
    [InlineData("per_page=1", 5)]
    [InlineData("per_page=-3", 5)]
    public async Task Per_page_clamps_to_the_endpoint_range_and_echoes_the_real_value(string query, int expected)
    {
        var (sim, client, account) = await StartAsync(WithMembers(60));
        await using var _ = sim;
        using var __ = client;

        var answer = await client.GetApiAsync($"accounts/{account}/members?{query}");

        Assert.Equal(expected, answer.Info("per_page"));
        Assert.Equal(expected, answer.Result.GetArrayLength());
    }

    [Fact]
    public async Task Legacy_firewall_rules_page_at_25_by_default_and_up_to_100()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var byDefault = await client.GetApiAsync($"zones/{DemoZoneIds.LegacyWaf}/firewall/rules");
        var clamped = await client.GetApiAsync($"zones/{DemoZoneIds.LegacyWaf}/firewall/rules?per_page=1000");

        Assert.Equal((25, 2), (byDefault.Info("per_page"), byDefault.Info("total_count")));
        Assert.Equal(100, clamped.Info("per_page"));
    }

    [Fact]
    public async Task Page_past_the_end_is_empty_with_correct_counts()
    {
        var (sim, client, account) = await StartAsync(WithMembers(30));
        await using var _ = sim;
        using var __ = client;

        var answer = await client.GetApiAsync($"accounts/{account}/members?page=9");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(0, answer.Result.GetArrayLength());
        Assert.Equal((9, 0, 30, 2), (answer.Info("page"), answer.Info("count"), answer.Info("total_count"), answer.Info("total_pages")));
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=-1")]
    [InlineData("page=abc")]
    [InlineData("per_page=lots")]
    public async Task Bad_page_numbers_answer_400(string query)
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var answer = await client.GetApiAsync($"zones?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.False(answer.Success);
        Assert.NotEmpty(answer.ErrorCodes);
    }

    [Fact]
    public async Task Paging_through_members_returns_each_exactly_once()
    {
        var (sim, client, account) = await StartAsync(WithMembers(123));
        await using var _ = sim;
        using var __ = client;

        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var answer = await client.GetApiAsync($"accounts/{account}/members?per_page=50&page={page}");
            seen.AddRange(answer.ResultIds);
            if (page >= answer.Info("total_pages"))
            {
                break;
            }
        }

        Assert.Equal(123, seen.Distinct().Count());
    }

    [Fact]
    public async Task Member_filters_and_ordering_apply_before_paging()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var pending = await client.GetApiAsync($"accounts/{Api.Prod}/members?status=pending");
        var byEmail = await client.GetApiAsync($"accounts/{Api.Prod}/members?order=user.email&direction=desc&per_page=50");
        var badOrder = await client.GetApiAsync($"accounts/{Api.Prod}/members?order=shoe_size");

        Assert.Equal(1, pending.Info("total_count"));
        Assert.Equal("pending", pending.Result[0].GetProperty("status").GetString());
        var emails = byEmail.Result.EnumerateArray().Select(m => m.GetProperty("user").GetProperty("email").GetString()!).ToArray();
        Assert.Equal(emails.OrderByDescending(e => e, StringComparer.OrdinalIgnoreCase), emails);
        Assert.Equal(HttpStatusCode.BadRequest, badOrder.Status);
    }

    [Fact]
    public async Task Zone_filters_select_by_account_status_and_name()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var staging = await client.GetApiAsync($"zones?account.id={Api.Staging}");
        var pending = await client.GetApiAsync("zones?status=pending");
        var byName = await client.GetApiAsync("zones?name=acme-analytics.io");
        var contains = await client.GetApiAsync("zones?name=contains:sandbox");

        Assert.Equal(3, staging.Info("total_count"));
        Assert.Equal([DemoZoneIds.Pending], pending.ResultIds);
        Assert.Equal([DemoZoneIds.Main], byName.ResultIds);
        Assert.Equal([DemoZoneIds.Sandbox], contains.ResultIds);
    }

    [Fact]
    public async Task Roles_are_paginated()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var answer = await client.GetApiAsync($"accounts/{Api.Prod}/roles?per_page=5");

        Assert.Equal((5, 8, 2), (answer.Info("count"), answer.Info("total_count"), answer.Info("total_pages")));
    }
}
