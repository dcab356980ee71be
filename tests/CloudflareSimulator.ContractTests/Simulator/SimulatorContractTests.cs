using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Simulation.ContractTests.OpenApi;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// Every simulator answer in <see cref="OperationCases"/> must match Cloudflare's OpenAPI document for its operation
/// and status, apart from the entries of <see cref="AllowedDeviations"/>.
/// </summary>
public sealed partial class SimulatorContractTests(ContractSimulatorFixture fixture) : IClassFixture<ContractSimulatorFixture>
{
    private const int MaxViolationsShown = 12;

    public static TheoryData<CaseName> Cases => [.. OperationCases.All.Select(c => new CaseName(c.Name))];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Response_matches_Cloudflares_document(CaseName @case)
    {
        var operation = OperationCases.ByName(@case.Value);

        var (status, mediaType, outcome) = await RunAsync(operation);

        Assert.Equal(operation.ExpectedStatus, status);
        Assert.Equal("application/json", mediaType);
        Assert.True(outcome.Violations.Count == 0, Describe(operation, outcome));
    }

    public static TheoryData<string> SettingIds => [.. OperationCases.SettingIds];

    /// <summary>
    /// zones_setting is a oneOf over some sixty settings, so a wrong value drowns in one error per branch; checking the
    /// result against the setting's own schema (zones_{id}) names the field, and proves the id selects the right branch.
    /// </summary>
    [Theory]
    [MemberData(nameof(SettingIds))]
    public async Task Setting_matches_the_schema_of_its_own_id(string settingId)
    {
        var (status, body) = await fixture.GetAsync($"/zones/{ContractScenario.ActiveZoneId}/settings/{settingId}", OperationCases.ReadAll);
        using (body)
        {
            Assert.Equal(200, status);
            var violations = CloudflareOpenApi.Shared.Validate($"/components/schemas/zones_{settingId}", body.RootElement.GetProperty("result"));
            Assert.True(violations.Count == 0, string.Join('\n', violations));
        }
    }

    [Fact]
    public async Task Batch_settings_match_the_schema_of_each_id()
    {
        var (status, body) = await fixture.GetAsync($"/zones/{ContractScenario.ActiveZoneId}/settings", OperationCases.ReadAll);
        using (body)
        {
            Assert.Equal(200, status);
            var settings = body.RootElement.GetProperty("result").EnumerateArray().ToList();
            Assert.Superset(OperationCases.SettingIds.ToHashSet(), settings.Select(s => s.GetProperty("id").GetString()!).ToHashSet());
            var violations = settings.SelectMany(s => CloudflareOpenApi.Shared.Validate($"/components/schemas/zones_{s.GetProperty("id").GetString()}", s));
            Assert.Empty(violations);
        }
    }

    [Fact]
    public void Case_names_are_unique()
    {
        Assert.Equal(OperationCases.All.Count, OperationCases.All.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public async Task Every_allowed_deviation_is_needed_by_some_case()
    {
        var used = new HashSet<AllowedDeviation>();
        foreach (var operation in OperationCases.All)
        {
            used.UnionWith((await RunAsync(operation)).Outcome.Applied);
        }

        // Corrections change the document itself; AllowedDeviationsTests shows each one is needed.
        var unused = AllowedDeviations.All.Where(d => d is not DocumentCorrection).Except(used).Select(d => d.Id);
        Assert.Empty(unused);
    }

    [Fact]
    public async Task Every_operation_of_the_document_the_simulator_serves_has_a_case()
    {
        // Ask the simulator for each documented path (with placeholder ids) and see which of its routes answered: a route
        // the simulator has but no case exercises would escape the contract, and a case for a route it lacks would be dead.
        var served = new List<string>();
        foreach (var template in CloudflareOpenApi.Shared.PathTemplates)
        {
            var before = CountForRoute(template);
            using var _ = (await fixture.GetAsync(PlaceholderIds().Replace(template, ContractScenario.UnknownId), OperationCases.ReadAll)).Body;
            if (CountForRoute(template) > before)
            {
                served.Add(template);
            }
        }

        var covered = OperationCases.All.Select(c => c.PathTemplate).Where(CloudflareOpenApi.Shared.HasOperation).Distinct();
        Assert.Equal(covered.Order(StringComparer.Ordinal), served.Order(StringComparer.Ordinal));
    }

    private long CountForRoute(string documentTemplate) =>
        fixture.Simulator.Stats.ByRoute
            .Where(r => r.Key.StartsWith("GET ", StringComparison.Ordinal) && Normalize(r.Key[4..]) == Normalize(documentTemplate))
            .Sum(r => r.Value);

    private async Task<(int Status, string? MediaType, ContractOutcome Outcome)> RunAsync(OperationCase operation)
    {
        if (operation.Fault is { } fault)
        {
            fixture.Simulator.Faults.Add(fault);
        }

        var (status, mediaType, body) = await fixture.GetWithMediaTypeAsync(operation.PathAndQuery, operation.Credential);
        using (body)
        {
            // The document declares every response as application/json.
            return (status, mediaType, ContractCheck.Check(CloudflareOpenApi.Shared, operation.PathTemplate, status, body.RootElement));
        }
    }

    private static string Describe(OperationCase operation, ContractOutcome outcome)
    {
        var shown = outcome.Violations.Take(MaxViolationsShown).Select(v => "  " + v);
        var more = outcome.Violations.Count > MaxViolationsShown ? [$"  … and {outcome.Violations.Count - MaxViolationsShown} more"] : Array.Empty<string>();
        return string.Join('\n', [$"{operation.Name} breaks {outcome.CheckedAgainst}:", .. shown, .. more]);
    }

    // Cloudflare spells the same parameter {zone_id} or {zone_identifier}; routes are compared by shape.
    private static string Normalize(string template) => PlaceholderIds().Replace(template, "{}");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PlaceholderIds();
}
