using System.Net;

namespace Vigil.Simulation.Tests;

public sealed class PermissionTests(DemoSimulatorFixture fixture) : IClassFixture<DemoSimulatorFixture>
{
    private readonly CloudflareSimulator _sim = fixture.Simulator;

    [Theory]
    [InlineData("zones")]
    [InlineData("zones/" + DemoZoneIds.Main)]
    public async Task Token_without_zone_read_gets_10000_on_zone_reads(string path)
    {
        using var client = _sim.Client(DemoCredentials.NoZoneReadToken);
        var answer = await client.GetApiAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal([10000], answer.ErrorCodes);
        Assert.Equal("Authentication error", answer.FirstErrorMessage);
    }

    [Fact]
    public async Task Token_without_zone_read_still_reads_settings_it_holds()
    {
        using var client = _sim.Client(DemoCredentials.NoZoneReadToken);
        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings/ssl");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("strict", answer.Result.GetProperty("value").GetString());
    }

    [Theory]
    [InlineData("accounts/" + Api.Prod)]
    [InlineData("accounts/" + Api.Prod + "/members")]
    [InlineData("accounts/" + Api.Prod + "/roles")]
    public async Task Token_without_account_settings_read_gets_10000_on_access_review_reads(string path)
    {
        using var client = _sim.Client(DemoCredentials.NoAccountSettingsReadToken);
        var answer = await client.GetApiAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal([10000], answer.ErrorCodes);
    }

    [Fact]
    public async Task Token_without_account_settings_read_still_lists_its_accounts()
    {
        using var client = _sim.Client(DemoCredentials.NoAccountSettingsReadToken);
        var answer = await client.GetApiAsync("accounts");

        Assert.Equal(2, answer.Info("total_count"));
    }

    [Fact]
    public async Task Scoped_token_sees_only_its_account_and_zones()
    {
        using var client = _sim.Client(DemoCredentials.StagingOnlyToken);

        var accounts = await client.GetApiAsync("accounts");
        var zones = await client.GetApiAsync("zones");
        var prodMembers = await client.GetApiAsync($"accounts/{Api.Prod}/members");
        var prodZone = await client.GetApiAsync($"zones/{DemoZoneIds.Main}");
        var stagingMembers = await client.GetApiAsync($"accounts/{Api.Staging}/members");

        Assert.Equal([Api.Staging], accounts.ResultIds);
        Assert.Equal(3, zones.Info("total_count"));
        Assert.All(zones.Result.EnumerateArray(), z => Assert.Equal(Api.Staging, z.GetProperty("account").GetProperty("id").GetString()));
        Assert.Equal((HttpStatusCode.Forbidden, 10000), (prodMembers.Status, prodMembers.ErrorCodes.Single()));
        Assert.Equal((HttpStatusCode.Forbidden, 10000), (prodZone.Status, prodZone.ErrorCodes.Single()));
        Assert.Equal(9, stagingMembers.Info("total_count"));
    }

    [Fact]
    public async Task Zone_scoped_permission_grants_that_zone_only()
    {
        var scenario = Scenario.Demo();
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "00000000000000000000000000000abc",
            Value = "cfut_OneZone",
            Permissions = [new TokenPermission { Group = PermissionGroups.ZoneRead, ZoneIds = [DemoZoneIds.Main] }],
        });
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var client = sim.Client("cfut_OneZone");

        Assert.Equal(new[] { DemoZoneIds.Main }, (await client.GetApiAsync("zones")).ResultIds);
        Assert.Equal(new[] { Api.Prod }, (await client.GetApiAsync("accounts")).ResultIds);
        Assert.Equal(new[] { 10000 }, (await client.GetApiAsync($"zones/{DemoZoneIds.Main}/dnssec")).ErrorCodes);
    }

    [Fact]
    public async Task Write_group_satisfies_the_read_group()
    {
        var scenario = Scenario.Demo();
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "00000000000000000000000000000abd",
            Value = "cfut_Writer",
            Permissions = [new TokenPermission { Group = "DNS Write" }],
        });
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var client = sim.Client("cfut_Writer");

        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync($"zones/{DemoZoneIds.Main}/dnssec")).Status);
    }

    [Fact]
    public async Task Firewall_reads_accept_zone_waf_read_instead_of_firewall_services_read()
    {
        var scenario = Scenario.Demo();
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "00000000000000000000000000000abe",
            Value = "cfut_WafOnly",
            Permissions = [new TokenPermission { Group = PermissionGroups.ZoneWafRead }],
        });
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var client = sim.Client("cfut_WafOnly");

        var entrypoint = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/rulesets/phases/http_request_firewall_managed/entrypoint");
        var settings = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings");

        Assert.Equal(HttpStatusCode.OK, entrypoint.Status);
        Assert.Equal([10000], settings.ErrorCodes);
    }

    [Fact]
    public async Task User_details_need_user_details_read()
    {
        using var client = _sim.Client(DemoCredentials.StagingOnlyToken);
        var answer = await client.GetApiAsync("user");

        Assert.Equal("marcus.lindqvist@acme-analytics.io", answer.Result.GetProperty("email").GetString());
    }
}
