using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Core.Checks;

namespace Vigil.Cli.Output;

// The JSON shape of `vigil checks --format json`: a stable contract for scripts. Fields may be added, never renamed.

internal sealed record EvaluationReport(
    string SnapshotId,
    DateTimeOffset EvaluatedAt,
    EvaluationSummary Summary,
    IReadOnlyList<CheckReport> Checks)
{
    public static EvaluationReport From(Evaluation evaluation)
    {
        var checks = evaluation.Results.Select(CheckReport.From).ToList();
        var summary = new EvaluationSummary(
            checks.Count(c => c.Status == "pass"),
            checks.Count(c => c.Status == "fail"),
            checks.Count(c => c.Status == "unknown"));
        return new EvaluationReport(evaluation.SnapshotId, evaluation.EvaluatedAt, summary, checks);
    }
}

internal sealed record EvaluationSummary(int Passed, int Failed, int Unknown);

internal sealed record CheckReport(
    string Id,
    string Title,
    string Severity,
    string Status,
    string Asserts,
    IReadOnlyList<string> Frameworks,
    IReadOnlyList<FindingReport> Findings)
{
    public static CheckReport From(CheckResult result)
    {
        var definition = CheckCatalog.Find(result.CheckId)?.Definition;
        return new CheckReport(
            result.CheckId,
            definition?.Title ?? result.CheckId,
            definition is null ? "unknown" : Render.Lower(definition.Severity),
            Render.Lower(result.Status),
            definition?.Asserts ?? "",
            definition?.Frameworks.Select(f => f.ToString()).ToList() ?? [],
            result.Findings.Select(FindingReport.From).ToList());
    }
}

internal sealed record FindingReport(
    string Status,
    string ResourceType,
    string ResourceId,
    string? AccountId,
    string Subject,
    string Reason,
    string? Remediation)
{
    public static FindingReport From(Finding f) =>
        new(Render.Lower(f.Status), f.ResourceType, f.ResourceId, f.AccountId, f.Subject, f.Reason, f.Remediation);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(SyncReport))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>Like <see cref="JsonSerializerContext"/>'s default, but leaves '&lt;', '&gt;' and '&amp;' readable: this JSON goes to terminals and files, not into HTML.</summary>
    public static CliJson Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
