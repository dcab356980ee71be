using System.Net.Http.Headers;
using System.Text.Json;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>One simulator serving <see cref="ContractScenario"/>, shared by a test class.</summary>
public sealed class ContractSimulatorFixture : IAsyncLifetime
{
    private CloudflareSimulator? _simulator;
    private HttpClient? _http;

    public CloudflareSimulator Simulator => _simulator ?? throw new InvalidOperationException("The simulator has not started.");

    public async Task InitializeAsync()
    {
        // Real limits would make the outcome depend on test speed; the 429 cases inject their answer instead.
        _simulator = await CloudflareSimulator.StartAsync(ContractScenario.Create(), new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0 });
        // Audit log entries to serve (recorded without changing the scenario): a zone setting change and a member removal.
        _simulator.RecordAuditEntry(new SimAuditEntry("", ContractScenario.AccountId, "Acme", default, "update", "PATCH",
            $"/client/v4/zones/{ContractScenario.ActiveZoneId}/settings/ssl", "zone.setting", "ssl", ContractScenario.ActiveZoneId, "shop.example", "admin@example.com",
            "{\"value\":\"full\"}", "{\"value\":\"strict\"}"));
        _simulator.RecordAuditEntry(new SimAuditEntry("", ContractScenario.AccountId, "Acme", default, "delete", "DELETE",
            $"/client/v4/accounts/{ContractScenario.AccountId}/members/{ContractScenario.AcceptedMemberId}", "account.member", ContractScenario.AcceptedMemberId, null, null,
            "admin@example.com"));
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    /// <summary>GET <paramref name="pathAndQuery"/> (below /client/v4) and the answer's status and JSON body.</summary>
    internal async Task<(int Status, JsonDocument Body)> GetAsync(string pathAndQuery, Credential credential)
    {
        var (status, _, body) = await GetWithMediaTypeAsync(pathAndQuery, credential);
        return (status, body);
    }

    /// <summary>As <see cref="GetAsync"/>, with the media type of the answer's Content-Type.</summary>
    internal async Task<(int Status, string? MediaType, JsonDocument Body)> GetWithMediaTypeAsync(string pathAndQuery, Credential credential)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Simulator.BaseUrl + pathAndQuery);
        credential.Apply(request.Headers);
        using var response = await _http!.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text));
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"GET {pathAndQuery} answered {(int)response.StatusCode} with a body that is not JSON: {e.Message}", e);
        }
    }
}

/// <summary>How a request authenticates; <see cref="ToString"/> never shows the secret.</summary>
internal abstract record Credential(string Description)
{
    public abstract void Apply(HttpRequestHeaders headers);

    public sealed override string ToString() => Description;
}

internal sealed record BearerToken(string Description, string Token) : Credential(Description)
{
    public override void Apply(HttpRequestHeaders headers) => headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
}

internal sealed record GlobalApiKey(string Description, string Email, string Key) : Credential(Description)
{
    public override void Apply(HttpRequestHeaders headers)
    {
        headers.Add("X-Auth-Email", Email);
        headers.Add("X-Auth-Key", Key);
    }
}
