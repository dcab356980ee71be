using System.Text.Json;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// Operations the simulator serves that Cloudflare's OpenAPI subset (openapi-subset.json) does not contain: IAM user
/// groups, their members, account permission groups and dashboard SSO connectors. Each answer is checked against the
/// shape of Cloudflare's SDK types (cloudflare-typescript src/resources/iam/user-groups/*.ts, iam/permission-groups.ts,
/// iam/sso.ts; API reference pages under developers.cloudflare.com/api/resources/iam/): the envelope, result_info on
/// page-style lists, required fields, field types and enums.
/// </summary>
public sealed class SdkShapeContractTests(ContractSimulatorFixture fixture) : IClassFixture<ContractSimulatorFixture>
{
    private enum Kind { String, Bool, Object, Array }

    private sealed record Field(string Name, Kind Kind, bool Required = false, string[]? OneOf = null);

    private static readonly Field[] PolicyFields =
    [
        new("id", Kind.String, true), new("access", Kind.String, true, ["allow", "deny"]),
        new("permission_groups", Kind.Array, true), new("resource_groups", Kind.Array, true),
    ];

    private static readonly Field[] UserGroupFields =
        [new("id", Kind.String, true), new("name", Kind.String, true), new("created_on", Kind.String), new("modified_on", Kind.String), new("policies", Kind.Array)];

    private static readonly Field[] UserGroupMemberFields =
        [new("id", Kind.String, true), new("email", Kind.String), new("status", Kind.String, false, ["accepted", "pending"])];

    private static readonly Field[] PermissionGroupFields = [new("id", Kind.String, true), new("name", Kind.String), new("meta", Kind.Object)];

    private static readonly Field[] SsoConnectorFields =
    [
        new("id", Kind.String), new("created_on", Kind.String), new("email_domain", Kind.String), new("enabled", Kind.Bool),
        new("updated_on", Kind.String), new("use_fedramp_language", Kind.Bool), new("verification", Kind.Object),
    ];

    public static TheoryData<string> Absent => ["/accounts/{account_id}/iam/user_groups", "/accounts/{account_id}/iam/permission_groups", "/accounts/{account_id}/sso_connectors",
        "/zones/{zone_id}/ssl/universal/settings", "/zones/{zone_id}/origin_tls_client_auth/settings", "/zones/{zone_id}/ssl/certificate_packs"];

    [Theory]
    [MemberData(nameof(Absent))]
    public void These_operations_are_not_in_the_document(string template)
    {
        Assert.False(OpenApi.CloudflareOpenApi.Shared.HasOperation(template));
    }

    [Fact]
    public async Task User_groups_match_the_sdk_shape_with_policies_and_pagination()
    {
        var groups = await ListAsync($"/accounts/{ContractScenario.AccountId}/iam/user_groups?page=1&per_page=50", UserGroupFields, paged: true);
        var group = Assert.Single(groups);
        foreach (var policy in group.GetProperty("policies").EnumerateArray())
        {
            AssertShape(policy, PolicyFields);
            Assert.All(policy.GetProperty("permission_groups").EnumerateArray(), g => AssertShape(g, PermissionGroupFields));
            Assert.All(policy.GetProperty("resource_groups").EnumerateArray(), r => Assert.Equal(JsonValueKind.String, r.GetProperty("id").ValueKind));
        }

        var members = await ListAsync($"/accounts/{ContractScenario.AccountId}/iam/user_groups/{ContractScenario.UserGroupId}/members", UserGroupMemberFields, paged: true);
        Assert.Equal([ContractScenario.AcceptedMemberId, ContractScenario.PendingMemberId], members.Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Permission_groups_match_the_sdk_shape()
    {
        var groups = await ListAsync($"/accounts/{ContractScenario.AccountId}/iam/permission_groups", PermissionGroupFields, paged: true);
        Assert.Contains(groups, g => g.GetProperty("id").GetString() == ContractScenario.UnnamedPermissionGroupId);
    }

    [Fact]
    public async Task Sso_connectors_match_the_sdk_shape_as_a_single_page()
    {
        var connectors = await ListAsync($"/accounts/{ContractScenario.AccountId}/sso_connectors", SsoConnectorFields, paged: false);
        Assert.Equal(2, connectors.Count);
        Assert.All(connectors, c => Assert.Contains(c.GetProperty("verification").GetProperty("status").GetString(), new[] { "awaiting", "pending", "failed", "verified" }));
    }

    [Fact]
    public async Task Refusals_keep_the_error_envelope()
    {
        var (status, body) = await fixture.GetAsync($"/accounts/{ContractScenario.AccountId}/iam/user_groups", new BearerToken("no account settings", ContractScenario.NoAccountSettingsToken));
        using (body)
        {
            Assert.Equal(403, status);
            Assert.False(body.RootElement.GetProperty("success").GetBoolean());
            Assert.True(body.RootElement.GetProperty("errors").GetArrayLength() > 0);
        }
    }

    private async Task<List<JsonElement>> ListAsync(string path, Field[] fields, bool paged)
    {
        var (status, body) = await fixture.GetAsync(path, OperationCases.ReadAll);
        using (body)
        {
            Assert.Equal(200, status);
            var root = body.RootElement;
            Assert.True(root.GetProperty("success").GetBoolean());
            Assert.Equal(JsonValueKind.Array, root.GetProperty("errors").ValueKind);
            Assert.Equal(JsonValueKind.Array, root.GetProperty("messages").ValueKind);
            if (paged)
            {
                var info = root.GetProperty("result_info");
                foreach (var name in new[] { "page", "per_page", "count", "total_count", "total_pages" })
                {
                    Assert.Equal(JsonValueKind.Number, info.GetProperty(name).ValueKind);
                }
            }
            var items = root.GetProperty("result").EnumerateArray().Select(e => e.Clone()).ToList();
            Assert.All(items, item => AssertShape(item, fields));
            return items;
        }
    }

    private static void AssertShape(JsonElement item, Field[] fields)
    {
        Assert.Equal(JsonValueKind.Object, item.ValueKind);
        foreach (var field in fields)
        {
            if (!item.TryGetProperty(field.Name, out var value))
            {
                Assert.False(field.Required, $"required field {field.Name} is missing in {item}");
                continue;
            }
            var expected = field.Kind switch
            {
                Kind.String => new[] { JsonValueKind.String },
                Kind.Bool => [JsonValueKind.True, JsonValueKind.False],
                Kind.Object => [JsonValueKind.Object],
                _ => [JsonValueKind.Array],
            };
            Assert.Contains(value.ValueKind, expected);
            if (field.OneOf is { } allowed)
            {
                Assert.Contains(value.GetString(), allowed);
            }
        }
    }
}
