using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Simulation.Tests;

/// <summary>The test-only control API: off by default, and with it on, each change logged or not as asked.</summary>
public sealed class ControlApiTests
{
    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task The_control_api_is_not_there_unless_enabled()
    {
        await using var sim = await Api.StartDemoAsync(new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0 });
        using var http = new HttpClient();
        using var response = await http.PutAsJsonAsync($"{sim.ControlUrl}/zones/{DemoZoneIds.Main}/settings/ssl", new { value = "off" });
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        Assert.NotEqual("off", (await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings/ssl")).Result.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Changes_show_in_the_api_and_in_the_log_only_when_logged()
    {
        await using var sim = await Api.StartDemoAsync(new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0, ControlApi = true });
        using var http = new HttpClient();
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        var requests = sim.Stats.TotalRequests;

        var unlogged = await SendAsync(http, HttpMethod.Put, $"{sim.ControlUrl}/zones/{DemoZoneIds.Main}/settings/ssl", new { value = "flexible", log = false });
        Assert.Equal(JsonValueKind.Null, unlogged.GetProperty("logged").ValueKind);
        Assert.Equal("flexible", (await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings/ssl")).Result.GetProperty("value").GetString());
        Assert.Equal(0, sim.AuditLogCount);

        var logged = await SendAsync(http, HttpMethod.Put, $"{sim.ControlUrl}/accounts/{Api.Prod}/members/{sim.Scenario.Accounts[0].Members[1].Id}",
            new { roles = new[] { sim.Scenario.Accounts[0].Roles[0].Id }, actor = "admin@example.com" });
        var entryId = logged.GetProperty("logged").GetString();
        var log = await client.GetApiAsync($"accounts/{Api.Prod}/logs/audit?since=2000-01-01&before=2100-01-01");
        var entry = Assert.Single(log.Result.EnumerateArray());
        Assert.Equal(entryId, entry.GetProperty("id").GetString());
        Assert.Equal("admin@example.com", entry.GetProperty("actor").GetProperty("email").GetString());
        Assert.Equal("PUT", entry.GetProperty("raw").GetProperty("method").GetString());

        // The control API is not Cloudflare: no request of it is counted.
        Assert.Equal(requests + 2, sim.Stats.TotalRequests); // the settings read and the log read

        using var missing = await http.DeleteAsync($"{sim.ControlUrl}/zones/{new string('0', 32)}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
