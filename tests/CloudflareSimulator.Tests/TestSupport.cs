using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Simulation.Tests;

/// <summary>One answer from the simulator, parsed.</summary>
internal sealed record ApiAnswer(HttpStatusCode Status, HttpResponseHeaders Headers, JsonElement Body)
{
    public bool Success => Body.GetProperty("success").GetBoolean();

    public JsonElement Result => Body.GetProperty("result");

    public JsonElement ResultInfo => Body.GetProperty("result_info");

    public int[] ErrorCodes => [.. Body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetInt32())];

    public string FirstErrorMessage => Body.GetProperty("errors")[0].GetProperty("message").GetString()!;

    public int Info(string name) => ResultInfo.GetProperty(name).GetInt32();

    public string[] ResultIds => [.. Result.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
}

internal static class Api
{
    public static HttpClient Client(this CloudflareSimulator simulator, string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(simulator.BaseUrl + "/") };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static HttpClient GlobalKeyClient(this CloudflareSimulator simulator, string email, string key)
    {
        var client = simulator.Client();
        client.DefaultRequestHeaders.Add("X-Auth-Email", email);
        client.DefaultRequestHeaders.Add("X-Auth-Key", key);
        return client;
    }

    /// <summary>GET a path relative to /client/v4 (no leading slash) and parse the envelope.</summary>
    public static async Task<ApiAnswer> GetApiAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return new ApiAnswer(response.StatusCode, response.Headers, document.RootElement.Clone());
    }

    public static Task<CloudflareSimulator> StartDemoAsync(SimulatorOptions? options = null) =>
        CloudflareSimulator.StartAsync(Scenario.Demo(), options);

    public const string Prod = DemoCredentials.ProductionAccountId;
    public const string Staging = DemoCredentials.StagingAccountId;
}

/// <summary>A demo simulator shared by the read-only tests of one class (rate limits are generous enough).</summary>
public sealed class DemoSimulatorFixture : IAsyncLifetime
{
    public CloudflareSimulator Simulator { get; private set; } = null!;

    public async Task InitializeAsync() => Simulator = await Api.StartDemoAsync(new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0 });

    public async Task DisposeAsync() => await Simulator.DisposeAsync();
}
