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

internal sealed record EvaluationSummary(int Passed, int Failed, int Unknown, CoverageSummary? Coverage = null);

/// <summary>What the credentials could see in the data judged: accounts and zones visible (a token scoped to some zones sees only those).</summary>
/// <param name="ZonesVisible">Zones (every status) the infrastructure credentials listed; null before any infrastructure data.</param>
/// <param name="Credentials">Connections whose data the snapshot holds.</param>
/// <param name="Text">The same in words, e.g. "8 zones visible to this credential".</param>
internal sealed record CoverageSummary(int AccountsVisible, int? ZonesVisible, int Credentials, string Text)
{
    public static CoverageSummary? From(Vigil.Core.Sync.Snapshot? snapshot, int credentials)
    {
        if (snapshot is null)
        {
            return null;
        }
        var whose = credentials > 1 ? $"these {credentials} credentials" : "this credential";
        int? zones = snapshot.InfraSyncedAt is null ? null : snapshot.Zones.Count;
        var text = zones is { } n
            ? $"{n} zone{(n == 1 ? "" : "s")} visible to {whose}"
            : "no zones synced yet";
        return new CoverageSummary(snapshot.Accounts.Count, zones, Math.Max(credentials, 1), text);
    }
}

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
[JsonSerializable(typeof(RunReport))]
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
