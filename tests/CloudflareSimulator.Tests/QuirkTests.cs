using System.Net;

namespace Vigil.Simulation.Tests;

public sealed class QuirkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    public async Task Accounts_list_ignores_the_page_for_account_tokens(int page)
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.AccountToken);

        var answer = await client.GetApiAsync($"accounts?page={page}");

        Assert.Equal([DemoCredentials.AccountTokenAccountId], answer.ResultIds);
        Assert.Equal((1, 1, 1), (answer.Info("page"), answer.Info("total_pages"), answer.Info("count")));
    }

    [Fact]
    public async Task Accounts_list_pages_normally_when_the_quirk_is_off_or_for_user_tokens()
    {
        var scenario = Scenario.Demo();
        scenario.Quirks.AccountsIgnorePage = false;
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var accountClient = sim.Client(DemoCredentials.AccountToken);
        using var userClient = sim.Client(DemoCredentials.ReadAllToken);

        Assert.Equal(0, (await accountClient.GetApiAsync("accounts?page=2")).Result.GetArrayLength());
        Assert.Equal(0, (await userClient.GetApiAsync("accounts?page=2")).Result.GetArrayLength());
    }

    [Fact]
    public async Task Batch_settings_answer_every_setting_while_the_route_exists()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.Weak}/settings");

        var settings = answer.Result.EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("value"));
        Assert.Equal("flexible", settings["ssl"].GetString());
        Assert.Equal("1.0", settings["min_tls_version"].GetString());
        Assert.Equal("essentially_off", settings["security_level"].GetString());
        Assert.False(settings["security_header"].GetProperty("strict_transport_security").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Ended_batch_settings_answer_like_a_removed_route_while_single_settings_still_work()
    {
        var scenario = Scenario.Demo();
        scenario.Quirks.BatchSettingsEnded = true;
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var batch = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings");
        var single = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings/security_header");

        Assert.Equal(HttpStatusCode.NotFound, batch.Status);
        Assert.Equal([7000], batch.ErrorCodes);
        Assert.Equal("No route for that URI", batch.FirstErrorMessage);
        Assert.Equal(31536000, single.Result.GetProperty("value").GetProperty("strict_transport_security").GetProperty("max_age").GetInt32());
    }

    [Fact]
    public async Task Zone_owner_is_null_by_default_and_filled_when_the_quirk_is_off()
    {
        var scenario = Scenario.Demo();
        await using (var sim = await CloudflareSimulator.StartAsync(scenario))
        {
            using var client = sim.Client(DemoCredentials.ReadAllToken);
            var zone = await client.GetApiAsync($"zones/{DemoZoneIds.Main}");
            Assert.Equal(System.Text.Json.JsonValueKind.Null, zone.Result.GetProperty("owner").GetProperty("id").ValueKind);
        }

        scenario.Quirks.NullZoneOwner = false;
        await using (var sim = await CloudflareSimulator.StartAsync(scenario))
        {
            using var client = sim.Client(DemoCredentials.ReadAllToken);
            var zone = await client.GetApiAsync($"zones/{DemoZoneIds.Main}");
            Assert.Equal(Api.Prod, zone.Result.GetProperty("owner").GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Accounts_filter_by_name_and_reverse_by_direction()
    {
        await using var sim = await Api.StartDemoAsync(new SimulatorOptions { Latency = TimeSpan.FromMilliseconds(5) });
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var staging = await client.GetApiAsync("accounts?name=staging");
        var reversed = await client.GetApiAsync("accounts?direction=desc");

        Assert.Equal([Api.Staging], staging.ResultIds);
        Assert.Equal([Api.Staging, Api.Prod], reversed.ResultIds);
    }
}
