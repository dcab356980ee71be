using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>`vigil sync` after a complete sync reads the audit log and re-reads only what changed; `--full` forces a full read.</summary>
public sealed class IncrementalSyncCliTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";

    [Fact]
    public async Task The_second_sync_is_incremental_states_its_mode_and_findings_carry_observed_at()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo(), new SimulatorOptions { ControlApi = true });
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        using var http = new HttpClient();
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);

        var first = JsonDocument.Parse((await cli.RunAsync("sync", "--format", "json")).ShouldExit(0).Stdout).RootElement;
        Assert.Equal("full", first.GetProperty("mode").GetString());

        using (var change = await http.PutAsJsonAsync($"{sim.ControlUrl}/zones/{DemoZoneIds.Main}/settings/ssl", new { value = "flexible" }))
        {
            change.EnsureSuccessStatusCode();
        }
        using (var mystery = await http.PostAsJsonAsync($"{sim.ControlUrl}/accounts/{DemoCredentials.StagingAccountId}/audit_log",
            new { resource_type = "account.member", action = "transmogrify" }))
        {
            mystery.EnsureSuccessStatusCode();
        }
        var second = JsonDocument.Parse((await cli.RunAsync("sync", "--format", "json")).ShouldExit(0).Stdout).RootElement;

        Assert.Equal("incremental", second.GetProperty("mode").GetString());
        Assert.Equal(2, second.GetProperty("log_entries").GetInt32());
        Assert.Contains(second.GetProperty("reread").EnumerateArray(), r => r.GetProperty("why").GetString() == "logged_change"
            && r.GetProperty("resource_type").GetString() == "zone" && r.GetProperty("count").GetInt32() == 1);
        Assert.Contains(second.GetProperty("fallbacks").EnumerateArray(), f => f.GetString()!.Contains("action \"transmogrify\") is not one Vigil understands, so every account's memberships were re-read in full.", StringComparison.Ordinal));
        Assert.True(second.GetProperty("api_calls").GetInt32() < first.GetProperty("api_calls").GetInt32());

        var shown = (await cli.RunAsync("runs", "show", "latest")).ShouldExit(0);
        Assert.Contains("mode: incremental: 2 audit log entries read", shown.Stdout);
        Assert.Contains("fallback: Audit log entry", shown.Stdout);

        var checks = JsonDocument.Parse((await cli.RunAsync("checks", "--format", "json")).Stdout).RootElement;
        var ssl = checks.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "cloudflare.zone-ssl-strict");
        var main = ssl.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("resource_id").GetString() == DemoZoneIds.Main);
        Assert.Equal("fail", main.GetProperty("status").GetString());
        var weak = ssl.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("resource_id").GetString() == DemoZoneIds.Weak);
        Assert.True(main.GetProperty("observed_at").GetDateTimeOffset() > weak.GetProperty("observed_at").GetDateTimeOffset(),
            "the re-read zone was read after the one carried over");

        var full = JsonDocument.Parse((await cli.RunAsync("sync", "--full", "--format", "json")).ShouldExit(0).Stdout).RootElement;
        Assert.Equal("full", full.GetProperty("mode").GetString());
        Assert.Equal(0, full.GetProperty("log_entries").GetInt32());
    }
}
