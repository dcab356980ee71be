using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>`vigil runs show RUN` prints a run with its stages, skipped reads and coverage; `vigil checks` says how many zones the credential sees.</summary>
public sealed class RunsShowTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";
    private const string ZoneScopedToken = "cfut_zone_scoped_test_token_000000000000000";

    [Fact]
    public async Task A_token_scoped_to_some_zones_shows_what_it_could_see()
    {
        var scenario = Scenario.Demo();
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "5c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f",
            Value = ZoneScopedToken,
            Permissions =
            [
                new TokenPermission { Group = PermissionGroups.AccountSettingsRead, AccountIds = [DemoCredentials.ProductionAccountId] },
                .. new[] { PermissionGroups.ZoneRead, PermissionGroups.ZoneSettingsRead, PermissionGroups.DnsRead, PermissionGroups.FirewallServicesRead }
                    .Select(g => new TokenPermission { Group = g, ZoneIds = [DemoZoneIds.Main, DemoZoneIds.Weak] }),
            ],
        });
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var cli = new CliProcess().With(TokenVariable, ZoneScopedToken);

        var connect = await cli.RunAsync("connect", "cloudflare", "--name", "scoped", "--api-url", sim.BaseUrl, "--token-env", TokenVariable);
        Assert.True(connect.ExitCode is 0 or 4, connect.ToString());
        var sync = await cli.RunAsync("sync", "--format", "json");
        Assert.True(sync.ExitCode is 0 or 4, sync.ToString());
        var runId = JsonDocument.Parse(sync.Stdout).RootElement.GetProperty("snapshot_id").GetString()!;

        var checks = await cli.RunAsync("checks");
        Assert.Contains("2 zones visible to this credential", checks.Stdout);
        var checksJson = await cli.RunAsync("checks", "--format", "json");
        using (var doc = JsonDocument.Parse(checksJson.Stdout))
        {
            var summary = doc.RootElement.GetProperty("summary");
            Assert.True(summary.TryGetProperty("passed", out _));
            var coverage = summary.GetProperty("coverage");
            Assert.Equal(2, coverage.GetProperty("zones_visible").GetInt32());
            Assert.Equal(1, coverage.GetProperty("accounts_visible").GetInt32());
            Assert.Equal("2 zones visible to this credential", coverage.GetProperty("text").GetString());
        }

        var shown = (await cli.RunAsync("runs", "show", runId)).ShouldExit(0);
        Assert.Contains($"Run {runId}", shown.Stdout);
        Assert.Contains("Stages:", shown.Stdout);
        Assert.Contains("Coverage", shown.Stdout);
        Assert.Contains("GET /zones", shown.Stdout);
        Assert.Contains("total_pages reached", shown.Stdout);

        var json = (await cli.RunAsync("runs", "show", runId, "--format", "json")).ShouldExit(0);
        using var run = JsonDocument.Parse(json.Stdout);
        Assert.Equal(runId, run.RootElement.GetProperty("id").GetString());
        Assert.Equal(["access", "infra"], run.RootElement.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));
        Assert.True(run.RootElement.TryGetProperty("skipped", out _));
        var lists = run.RootElement.GetProperty("coverage").EnumerateArray().ToList();
        var zones = Assert.Single(lists, l => l.GetProperty("list").GetString() == "GET /zones");
        Assert.Equal(2, zones.GetProperty("items").GetInt32());
        Assert.Equal(2, zones.GetProperty("total_count").GetInt32());
        Assert.Equal("total_pages_reached", zones.GetProperty("stop").GetString());
        Assert.True(zones.GetProperty("complete").GetBoolean());
        Assert.Equal("scoped", zones.GetProperty("connection").GetString());
        Assert.Contains(lists, l => l.GetProperty("list").GetString() == $"GET /accounts/{DemoCredentials.ProductionAccountId}/members");

        (await cli.RunAsync("runs", "show", "latest")).ShouldExit(0);
        (await cli.RunAsync("runs", "--limit", "5")).ShouldExit(0);
        var missing = (await cli.RunAsync("runs", "show", "no-such-run")).ShouldExit(1);
        Assert.Contains("no sync run 'no-such-run'", missing.Stderr);
    }
}
