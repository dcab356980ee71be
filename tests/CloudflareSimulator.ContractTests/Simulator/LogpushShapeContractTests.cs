using System.Text.Json;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// Logpush job lists, which Cloudflare's OpenAPI subset (openapi-subset.json) does not contain: each answer is checked
/// against the SDK type LogpushJob (cloudflare-typescript src/resources/logpush/jobs.ts; API reference "List Logpush
/// jobs"): the envelope, an unpaged result array, id an integer, dataset/name/error_message string or null, enabled a
/// bool, kind "" or "edge", last_complete/last_error RFC 3339 or null, destination_conf a URI.
/// </summary>
public sealed class LogpushShapeContractTests(ContractSimulatorFixture fixture) : IClassFixture<ContractSimulatorFixture>
{
    public static TheoryData<string> Absent => ["/zones/{zone_id}/logpush/jobs", "/accounts/{account_id}/logpush/jobs"];

    [Theory]
    [MemberData(nameof(Absent))]
    public void These_operations_are_not_in_the_document(string template)
    {
        Assert.False(OpenApi.CloudflareOpenApi.Shared.HasOperation(template));
    }

    [Fact]
    public async Task Zone_jobs_match_the_sdk_shape()
    {
        var jobs = await ListAsync($"/zones/{ContractScenario.ActiveZoneId}/logpush/jobs");
        Assert.Equal([1001L, 1002L], jobs.Select(j => j.GetProperty("id").GetInt64()));
        Assert.Equal(JsonValueKind.Null, jobs[1].GetProperty("last_complete").ValueKind);
        Assert.True(DateTimeOffset.TryParse(jobs[1].GetProperty("last_error").GetString(), out _));
    }

    [Fact]
    public async Task Account_jobs_answer_an_empty_list()
    {
        Assert.Empty(await ListAsync($"/accounts/{ContractScenario.AccountId}/logpush/jobs"));
    }

    [Fact]
    public async Task Refusals_keep_the_error_envelope()
    {
        var (status, body) = await fixture.GetAsync($"/zones/{ContractScenario.ActiveZoneId}/logpush/jobs", new BearerToken("unknown", "cfut_contract0not0a0token000000000000000000000"));
        using (body)
        {
            Assert.Contains(status, new[] { 401, 403 });
            Assert.False(body.RootElement.GetProperty("success").GetBoolean());
            Assert.True(body.RootElement.GetProperty("errors").GetArrayLength() > 0);
        }
    }

    private async Task<List<JsonElement>> ListAsync(string path)
    {
        var (status, body) = await fixture.GetAsync(path, OperationCases.ReadAll);
        using (body)
        {
            Assert.Equal(200, status);
            var root = body.RootElement;
            Assert.True(root.GetProperty("success").GetBoolean());
            Assert.Equal(JsonValueKind.Array, root.GetProperty("errors").ValueKind);
            var items = root.GetProperty("result").EnumerateArray().Select(e => e.Clone()).ToList();
            foreach (var job in items)
            {
                Assert.Equal(JsonValueKind.Number, job.GetProperty("id").ValueKind);
                Assert.Contains(job.GetProperty("enabled").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
                Assert.Contains(job.GetProperty("kind").GetString(), new[] { "", "edge" });
                Assert.True(Uri.TryCreate(job.GetProperty("destination_conf").GetString(), UriKind.Absolute, out _));
                foreach (var name in new[] { "dataset", "name", "error_message", "last_complete", "last_error" })
                {
                    Assert.Contains(job.GetProperty(name).ValueKind, new[] { JsonValueKind.String, JsonValueKind.Null });
                }
            }
            return items;
        }
    }
}
