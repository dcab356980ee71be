using System.Text.Json;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// Audit Logs v2 (<c>GET /accounts/{account_id}/logs/audit</c>), which Cloudflare's OpenAPI subset does not contain: each
/// answer is checked against the SDK type AuditListResponse (cloudflare-typescript src/resources/accounts/logs/audit.ts:
/// id; account {id, name}; action {description, result, time, type}; actor {id, context, email, ip_address, token_id,
/// token_name, type}; raw {cf_ray_id, method, status_code, uri, user_agent}; resource {id, product, request, response,
/// scope, type}; zone {id, name}) and its CursorPaginationAfter paging (next cursor in result_info.cursors.after);
/// <c>since</c> and <c>before</c> are required (AuditListParams).
/// </summary>
public sealed class AuditLogShapeContractTests(ContractSimulatorFixture fixture) : IClassFixture<ContractSimulatorFixture>
{
    private const string Window = "since=2000-01-01&before=2100-01-01";

    private static string Path(string query) => $"/accounts/{ContractScenario.AccountId}/logs/audit?{query}";

    [Fact]
    public void The_operation_is_not_in_the_document_but_the_legacy_one_is()
    {
        Assert.False(OpenApi.CloudflareOpenApi.Shared.HasOperation("/accounts/{account_id}/logs/audit"));
        Assert.True(OpenApi.CloudflareOpenApi.Shared.HasOperation("/accounts/{account_id}/audit_logs"));
    }

    [Fact]
    public async Task Entries_match_the_sdk_shape()
    {
        var (status, body) = await fixture.GetAsync(Path(Window + "&direction=asc"), OperationCases.ReadAll);
        using (body)
        {
            Assert.Equal(200, status);
            Assert.True(body.RootElement.GetProperty("success").GetBoolean());
            var entries = body.RootElement.GetProperty("result").EnumerateArray().ToList();
            Assert.True(entries.Count >= 2);
            foreach (var e in entries)
            {
                Assert.Equal(JsonValueKind.String, e.GetProperty("id").ValueKind);
                Assert.Equal(ContractScenario.AccountId, e.GetProperty("account").GetProperty("id").GetString());
                var action = e.GetProperty("action");
                Assert.True(DateTimeOffset.TryParse(action.GetProperty("time").GetString(), out _));
                Assert.Contains(action.GetProperty("result").GetString(), new[] { "success", "failure" });
                Assert.Equal(JsonValueKind.String, action.GetProperty("type").ValueKind);
                var actor = e.GetProperty("actor");
                Assert.Contains(actor.GetProperty("type").GetString(), new[] { "account", "cloudflare_admin", "delegated_service", "system", "user" });
                Assert.Contains(actor.GetProperty("context").GetString(), new[] { "api", "api_key", "api_token", "dash", "oauth", "origin_ca_key" });
                var raw = e.GetProperty("raw");
                Assert.Equal(JsonValueKind.Number, raw.GetProperty("status_code").ValueKind);
                Assert.StartsWith("/client/v4/", raw.GetProperty("uri").GetString(), StringComparison.Ordinal);
                Assert.Equal(JsonValueKind.String, e.GetProperty("resource").GetProperty("type").ValueKind);
                Assert.Equal(JsonValueKind.Object, e.GetProperty("resource").GetProperty("scope").ValueKind);
                Assert.False(e.TryGetProperty("oldValue", out _)); // v2 has no before/after values
            }
            Assert.Equal(ContractScenario.ActiveZoneId, entries[0].GetProperty("zone").GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Pages_follow_the_cursor_with_limit_and_direction()
    {
        var ids = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (status, body) = await fixture.GetAsync(Path(Window + "&limit=1&direction=desc" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))), OperationCases.ReadAll);
            using (body)
            {
                Assert.Equal(200, status);
                var result = body.RootElement.GetProperty("result").EnumerateArray().ToList();
                Assert.True(result.Count <= 1);
                ids.AddRange(result.Select(r => r.GetProperty("id").GetString()!));
                cursor = body.RootElement.GetProperty("result_info").GetProperty("cursors").TryGetProperty("after", out var after) ? after.GetString() : null;
            }
            pages++;
        }
        while (cursor is not null && pages < 10);

        var (_, ascending) = await fixture.GetAsync(Path(Window + "&direction=asc"), OperationCases.ReadAll);
        using (ascending)
        {
            var inOrder = ascending.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
            Assert.Equal(inOrder.AsEnumerable().Reverse(), ids);
        }
    }

    [Theory]
    [InlineData("before=2100-01-01")]
    [InlineData("since=2000-01-01")]
    [InlineData("since=2000-01-01&before=2100-01-01&limit=0")]
    [InlineData("since=2000-01-01&before=2100-01-01&direction=up")]
    [InlineData("since=2000-01-01&before=2100-01-01&cursor=not-a-cursor")]
    public async Task Bad_parameters_are_a_400(string query)
    {
        var (status, body) = await fixture.GetAsync(Path(query), OperationCases.ReadAll);
        using (body)
        {
            Assert.Equal(400, status);
            Assert.False(body.RootElement.GetProperty("success").GetBoolean());
        }
    }

    [Fact]
    public async Task The_window_excludes_entries_outside_since_and_before()
    {
        var (_, body) = await fixture.GetAsync(Path("since=2000-01-01&before=2000-01-02"), OperationCases.ReadAll);
        using (body)
        {
            Assert.Empty(body.RootElement.GetProperty("result").EnumerateArray());
        }
    }
}
