using System.Diagnostics;

namespace Vigil.Simulation.Tests;

public sealed class ScenarioTests
{
    [Fact]
    public void Demo_scenario_has_the_documented_company()
    {
        var demo = Scenario.Demo();

        Assert.Equal(2, demo.Accounts.Count);
        Assert.Equal(27, demo.Accounts.Sum(a => a.Members.Count));
        Assert.Equal((2, 1), (demo.Accounts[0].AccountTokens.Count, demo.Accounts[1].AccountTokens.Count));
        Assert.Equal("Platform Ops", Assert.Single(demo.Accounts[0].UserGroups).Name);
        Assert.Equal("acme-analytics.io", Assert.Single(demo.Accounts[1].SsoConnectors).EmailDomain);
        Assert.Equal(13, demo.Accounts.Sum(a => a.Zones.Count));
        Assert.Contains(demo.Tokens, t => t.Value == DemoCredentials.ReadAllToken);
        Assert.Contains(demo.Users, u => u.Email == DemoCredentials.GlobalKeyEmail && u.GlobalApiKey == DemoCredentials.GlobalApiKey);
        Assert.All(demo.Accounts.SelectMany(a => a.Zones), z => Assert.Matches("^[0-9a-f]{32}$", z.Id));
    }

    [Fact]
    public void Staff_csv_names_the_offboarded_person_and_the_alias()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Scenarios", "demo-staff.csv");
        var lines = File.ReadAllLines(path);

        Assert.Equal("email,name,status,org_role,offboarded_on,aliases,manager", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("jordan.blake@acme-analytics.io,", StringComparison.Ordinal) && l.Contains(",offboarded,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("alex.chen@acmeanalytics.com", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("sam.rivera@", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_round_trip_keeps_the_scenario()
    {
        var demo = Scenario.Demo();

        var json = demo.ToJson();
        var again = Scenario.FromJson(json);

        Assert.Equal(json, again.ToJson());
        Assert.Contains("\"enforce_twofactor\": true", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"account\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void File_round_trip_keeps_the_scenario()
    {
        var scenario = ScenarioGenerator.Generate(2, 10, 4, seed: 3);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, scenario.ToJson());
            Assert.Equal(scenario.ToJson(), Scenario.FromFile(path).ToJson());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Invalid_scenarios_are_rejected_with_the_reason()
    {
        var scenario = Scenario.Demo();
        scenario.Accounts[0].Members[0].Roles.Add("ffffffffffffffffffffffffffffffff");

        var error = Assert.Throws<FormatException>(() => Scenario.FromJson(scenario.ToJson()));
        Assert.Contains("unknown role", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generator_builds_the_requested_sizes_deterministically()
    {
        var scenario = ScenarioGenerator.Generate(50, 20_000, 5_000);
        var again = ScenarioGenerator.Generate(50, 20_000, 5_000);

        Assert.Equal(50, scenario.Accounts.Count);
        Assert.Equal(20_000, scenario.Accounts.Sum(a => a.Members.Count));
        Assert.Equal(5_000, scenario.Accounts.Sum(a => a.Zones.Count));
        Assert.Equal(scenario.Accounts[7].Members[3].Id, again.Accounts[7].Members[3].Id);
        Assert.NotEqual(scenario.Accounts[7].Members[3].Id, ScenarioGenerator.Generate(50, 20_000, 5_000, seed: 2).Accounts[7].Members[3].Id);
    }

    [Fact]
    public void Generated_members_include_every_variant()
    {
        var members = ScenarioGenerator.Generate(5, 2_000, 10).Accounts.SelectMany(a => a.Members).ToArray();

        Assert.Contains(members, m => m.Status == "pending");
        Assert.Contains(members, m => m.User.TwoFactorAuthenticationEnabled is null);
        Assert.Contains(members, m => m.User.TwoFactorAuthenticationEnabled == false);
        Assert.Contains(members, m => m.Roles.Count == 0 && m.Policies.Count > 0);
        Assert.True(members.Select(m => m.User.Email).Distinct().Count() < members.Length, "some people should hold several memberships");
        Assert.All(members.GroupBy(m => m.Id), g => Assert.Single(g));
    }

    [Fact]
    public async Task Generated_organisation_is_served_across_pages()
    {
        var scenario = ScenarioGenerator.Generate(50, 20_000, 5_000);
        await using var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0 });
        using var client = sim.Client(ScenarioGenerator.AllReadToken);

        var accounts = await client.GetApiAsync("accounts?per_page=50");
        var zones = await client.GetApiAsync("zones?per_page=50&page=100");
        var members = await client.GetApiAsync($"accounts/{scenario.Accounts[49].Id}/members?per_page=50&page=8");

        Assert.Equal(50, accounts.Info("total_count"));
        Assert.Equal((5_000, 100, 50), (zones.Info("total_count"), zones.Info("total_pages"), zones.Info("count")));
        Assert.Equal((400, 8, 50), (members.Info("total_count"), members.Info("total_pages"), members.Info("count")));
    }

    [Fact]
    public async Task Generated_global_key_reaches_every_account()
    {
        await using var sim = await CloudflareSimulator.StartAsync(ScenarioGenerator.Generate(3, 30, 6));
        using var client = sim.GlobalKeyClient(ScenarioGenerator.AdminEmail, ScenarioGenerator.GlobalApiKey);

        Assert.Equal(3, (await client.GetApiAsync("accounts")).Info("total_count"));
        Assert.Equal(6, (await client.GetApiAsync("zones")).Info("total_count"));
    }

    [Fact]
    public void Generator_stays_fast_enough_for_benchmarks()
    {
        // Loose guard against accidental quadratic work, not a performance assertion.
        var watch = Stopwatch.StartNew();
        ScenarioGenerator.Generate(50, 20_000, 5_000);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
