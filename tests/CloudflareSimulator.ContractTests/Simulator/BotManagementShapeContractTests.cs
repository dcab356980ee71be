using System.Text.Json;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// GET /zones/{zone_id}/bot_management answers. The document types result as oneOf(bot_fight_mode_config,
/// sbfm_definitely_config, sbfm_likely_config, bm_subscription_config), but none of the four requires a property or
/// closes itself, so every object matches all four and oneOf rejects every answer Cloudflare can give. Each answer is
/// checked here against the alternative its plan gets (the SDK's BotManagementGetResponse union): field types and enums.
/// </summary>
public sealed class BotManagementShapeContractTests(ContractSimulatorFixture fixture) : IClassFixture<ContractSimulatorFixture>
{
    private static readonly string[] SbfmActions = ["allow", "block", "managed_challenge"];

    [Fact]
    public void The_document_has_the_operation()
    {
        Assert.True(OpenApi.CloudflareOpenApi.Shared.HasOperation("/zones/{zone_id}/bot_management"));
    }

    [Fact]
    public async Task An_enterprise_zone_with_the_subscription_answers_the_bm_subscription_config()
    {
        var result = await GetAsync(ContractScenario.ActiveZoneId);
        Assert.Contains(result.GetProperty("auto_update_model").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Contains(result.GetProperty("suppress_session_score").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.False(result.TryGetProperty("fight_mode", out _));
        Assert.False(result.TryGetProperty("sbfm_definitely_automated", out _));
    }

    [Fact]
    public async Task A_free_zone_answers_the_bot_fight_mode_config()
    {
        var result = await GetAsync(ContractScenario.PendingZoneId);
        Assert.Contains(result.GetProperty("fight_mode").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.False(result.TryGetProperty("sbfm_definitely_automated", out _));
    }

    [Fact]
    public async Task Without_bot_management_read_the_answer_is_a_refusal()
    {
        var (status, body) = await fixture.GetAsync($"/zones/{ContractScenario.ActiveZoneId}/bot_management", new BearerToken("unknown", "cfut_contract0not0a0token000000000000000000000"));
        using (body)
        {
            Assert.Contains(status, new[] { 401, 403 });
            Assert.False(body.RootElement.GetProperty("success").GetBoolean());
        }
    }

    private async Task<JsonElement> GetAsync(string zoneId)
    {
        var (status, body) = await fixture.GetAsync($"/zones/{zoneId}/bot_management", OperationCases.ReadAll);
        using (body)
        {
            Assert.Equal(200, status);
            var root = body.RootElement;
            Assert.True(root.GetProperty("success").GetBoolean());
            Assert.Equal(JsonValueKind.Array, root.GetProperty("errors").ValueKind);
            Assert.Equal(JsonValueKind.Array, root.GetProperty("messages").ValueKind);
            var result = root.GetProperty("result").Clone();
            Assert.Equal(JsonValueKind.Object, result.ValueKind);
            Assert.Contains(result.GetProperty("enable_js").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.Contains(result.GetProperty("using_latest_model").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            foreach (var name in new[] { "sbfm_definitely_automated", "sbfm_likely_automated" })
            {
                if (result.TryGetProperty(name, out var action))
                {
                    Assert.Contains(action.GetString(), SbfmActions);
                }
            }
            return result;
        }
    }
}
