using System.Net.Http.Headers;
using System.Text.Json;
using Vigil.Simulation.ContractTests.OpenApi;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// Walks every object of the demo scenario and of a generated one through every documented GET and checks each answer
/// against Cloudflare's document, so the data users and benchmarks see keeps the contract too, not only the hand-made
/// <see cref="ContractScenario"/>.
/// </summary>
public sealed class ScenarioSweepTests
{
    private static readonly string[] Phases = ["http_request_firewall_managed", "http_request_firewall_custom", "http_ratelimit", "http_config_settings"];

    [Fact]
    public async Task Demo_scenario_answers_match_the_document()
    {
        var violations = await SweepAsync(Scenario.Demo(), DemoCredentials.ReadAllToken);

        Assert.True(violations.Count == 0, string.Join('\n', violations.Take(20)));
    }

    [Fact]
    public async Task Generated_scenario_answers_match_the_document()
    {
        var violations = await SweepAsync(ScenarioGenerator.Generate(accounts: 2, members: 30, zones: 16, seed: 3), ScenarioGenerator.AllReadToken);

        Assert.True(violations.Count == 0, string.Join('\n', violations.Take(20)));
    }

    [Fact]
    public async Task User_answers_the_user_owning_each_token_in_cloudflares_shape()
    {
        // Two tokens of one user and one of another (SimulatorOptions.ExtraTokenUsers): GET /user answers each token's
        // own user (result.id, email), the shape Cloudflare's document gives; /user/tokens/verify answers the token's id.
        var tokens = new Dictionary<string, string>
        {
            ["cfut_ContractUserA1xQ7mV2kP9wL4zT8bH6dF1sJ5"] = "ana@example.com",
            ["cfut_ContractUserA2xQ7mV2kP9wL4zT8bH6dF1sJ5"] = "ana@example.com",
            ["cfut_ContractUserB1xQ7mV2kP9wL4zT8bH6dF1sJ5"] = "ben@example.com",
        };
        await using var simulator = await CloudflareSimulator.StartAsync(ScenarioGenerator.Generate(1, 5, 2), new SimulatorOptions
        {
            RateLimitRequests = 0,
            PerIpRequestsPerSecond = 0,
            ExtraTokens = [.. tokens.Keys],
            ExtraTokenUsers = tokens,
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var users = new Dictionary<string, (string Id, string Email, string TokenId)>();
        foreach (var token in tokens.Keys)
        {
            using var user = new HttpRequestMessage(HttpMethod.Get, simulator.BaseUrl + "/user");
            user.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await http.SendAsync(user);
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.Equal(200, (int)answer.StatusCode);
            var outcome = ContractCheck.Check(CloudflareOpenApi.Shared, "/user", 200, body.RootElement);
            Assert.True(outcome.Violations.Count == 0, string.Join('\n', outcome.Violations));

            using var verify = new HttpRequestMessage(HttpMethod.Get, simulator.BaseUrl + "/user/tokens/verify");
            verify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var verified = await http.SendAsync(verify);
            using var verifiedBody = JsonDocument.Parse(await verified.Content.ReadAsStringAsync());
            var result = body.RootElement.GetProperty("result");
            users[token] = (result.GetProperty("id").GetString()!, result.GetProperty("email").GetString()!,
                verifiedBody.RootElement.GetProperty("result").GetProperty("id").GetString()!);
        }

        var (a1, a2, b1) = (users.Values.ElementAt(0), users.Values.ElementAt(1), users.Values.ElementAt(2));
        Assert.Equal("ana@example.com", a1.Email);
        Assert.Equal("ben@example.com", b1.Email);
        Assert.Equal(a1.Id, a2.Id);
        Assert.NotEqual(a1.Id, b1.Id);
        Assert.Matches("^[0-9a-f]{32}$", a1.Id);
        // The token's own id is not its user's.
        Assert.NotEqual(a1.TokenId, a2.TokenId);
        Assert.NotEqual(a1.Id, a1.TokenId);
    }

    private static async Task<List<string>> SweepAsync(Scenario scenario, string token)
    {
        await using var simulator = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0 });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var violations = new List<string>();

        async Task CheckAsync(string template, string pathAndQuery)
        {
            using var response = await http.GetAsync(simulator.BaseUrl + pathAndQuery);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var status = (int)response.StatusCode;
            if (status is not (200 or 404))
            {
                violations.Add($"GET {pathAndQuery}: unexpected HTTP {status}");
            }

            var outcome = ContractCheck.Check(CloudflareOpenApi.Shared, template, status, body.RootElement);
            violations.AddRange(outcome.Violations.Select(v => $"GET {pathAndQuery} → {status}: {v}"));
        }

        await CheckAsync("/user/tokens/verify", "/user/tokens/verify");
        await CheckAsync("/user", "/user");
        await CheckAsync("/accounts", "/accounts?per_page=50");
        await CheckAsync("/zones", "/zones?per_page=50");
        foreach (var account in scenario.Accounts)
        {
            await CheckAsync("/accounts/{account_id}", $"/accounts/{account.Id}");
            await CheckAsync("/accounts/{account_id}/roles", $"/accounts/{account.Id}/roles?per_page=50");
            for (var page = 1; page <= Math.Max(1, (account.Members.Count + 49) / 50); page++)
            {
                await CheckAsync("/accounts/{account_id}/members", $"/accounts/{account.Id}/members?per_page=50&page={page}");
            }

            foreach (var member in account.Members)
            {
                await CheckAsync("/accounts/{account_id}/members/{member_id}", $"/accounts/{account.Id}/members/{member.Id}");
            }

            await CheckAsync("/accounts/{account_id}/rulesets", $"/accounts/{account.Id}/rulesets");
            await CheckAsync("/accounts/{account_id}/tokens", $"/accounts/{account.Id}/tokens?per_page=50");
            foreach (var phase in (string[])["http_request_firewall_managed", "http_request_firewall_custom"])
            {
                await CheckAsync("/accounts/{account_id}/rulesets/phases/{ruleset_phase}/entrypoint", $"/accounts/{account.Id}/rulesets/phases/{phase}/entrypoint");
            }

            foreach (var zone in account.Zones)
            {
                await CheckAsync("/zones/{zone_id}", $"/zones/{zone.Id}");
                await CheckAsync("/zones/{zone_id}/settings", $"/zones/{zone.Id}/settings");
                foreach (var setting in OperationCases.SettingIds)
                {
                    await CheckAsync("/zones/{zone_id}/settings/{setting_id}", $"/zones/{zone.Id}/settings/{setting}");
                }

                await CheckAsync("/zones/{zone_id}/dnssec", $"/zones/{zone.Id}/dnssec");
                await CheckAsync("/zones/{zone_id}/rulesets", $"/zones/{zone.Id}/rulesets");
                foreach (var phase in Phases)
                {
                    await CheckAsync("/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint", $"/zones/{zone.Id}/rulesets/phases/{phase}/entrypoint");
                }

                await CheckAsync("/zones/{zone_identifier}/firewall/rules", $"/zones/{zone.Id}/firewall/rules");
                await CheckAsync("/zones/{zone_id}/pagerules", $"/zones/{zone.Id}/pagerules");
                await CheckAsync("/zones/{zone_id}/hostnames/settings/{setting_id}", $"/zones/{zone.Id}/hostnames/settings/min_tls_version");
                await CheckAsync("/zones/{zone_id}/dns_records", $"/zones/{zone.Id}/dns_records");
                await CheckAsync("/zones/{zone_id}/ssl/universal/settings", $"/zones/{zone.Id}/ssl/universal/settings");
                await CheckAsync("/zones/{zone_id}/ssl/certificate_packs", $"/zones/{zone.Id}/ssl/certificate_packs");
                await CheckAsync("/zones/{zone_id}/origin_tls_client_auth/settings", $"/zones/{zone.Id}/origin_tls_client_auth/settings");
            }
        }

        return violations;
    }
}
