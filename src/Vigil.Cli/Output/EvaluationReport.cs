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
    IReadOnlyList<CheckReport> Checks,
    DataReport? Data = null)
{
    /// <param name="snapshot">Gives the data's age when the evaluation was stored before Vigil recorded it.</param>
    public static EvaluationReport From(Evaluation evaluation, Vigil.Core.Sync.Snapshot? snapshot = null)
    {
        var checks = evaluation.Results.Select(CheckReport.From).ToList();
        var summary = new EvaluationSummary(
            checks.Count(c => c.Status == "pass"),
            checks.Count(c => c.Status == "fail"),
            checks.Count(c => c.Status == "unknown"),
            Excepted: checks.Count(c => c.Status == "excepted"));
        var data = evaluation.Data ?? (snapshot is null ? null : DataFreshness.Of(snapshot));
        return new EvaluationReport(evaluation.SnapshotId, evaluation.EvaluatedAt, summary, checks,
            data is null ? null : DataReport.From(data, evaluation.EvaluatedAt));
    }
}

/// <summary>How old each stage's data was when it was judged: <c>"data": {"access": {...}, "infra": {...}}</c>.</summary>
internal sealed record DataReport(StageDataReport Access, StageDataReport Infra)
{
    public static DataReport From(DataFreshness data, DateTimeOffset evaluatedAt) =>
        new(StageDataReport.From(data.Access, evaluatedAt), StageDataReport.From(data.Infra, evaluatedAt));
}

/// <param name="SyncedAt">When the stage's data was read (the oldest across connections); null when never synced.</param>
/// <param name="AgeSeconds">Its age when evaluated, in whole seconds; null when never synced.</param>
/// <param name="LastFailure">Why the newest sync of the stage failed after that data was read; null otherwise.</param>
internal sealed record StageDataReport(DateTimeOffset? SyncedAt, long? AgeSeconds, string? LastFailure)
{
    public static StageDataReport From(StageFreshness stage, DateTimeOffset evaluatedAt) =>
        new(stage.SyncedAt, stage.AgeAt(evaluatedAt) is { } age ? (long)Math.Floor(age.TotalSeconds) : null, stage.LastFailure);
}

/// <param name="Excepted">Checks whose only failures are excused by exceptions (they do not fail the run).</param>
internal sealed record EvaluationSummary(int Passed, int Failed, int Unknown, CoverageSummary? Coverage = null, int Excepted = 0);

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
    IReadOnlyList<FindingReport> Findings,
    IReadOnlyList<string>? Notes = null)
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
            result.Findings.Select(FindingReport.From).ToList(),
            result.Notes ?? []);
    }
}

internal sealed record FindingReport(
    string Status,
    string ResourceType,
    string ResourceId,
    string? AccountId,
    string Subject,
    string Reason,
    string? Remediation,
    DateTimeOffset? ObservedAt = null,
    ExceptionReport? Exception = null)
{
    public static FindingReport From(Finding f) =>
        new(Render.Lower(f.Status), f.ResourceType, f.ResourceId, f.AccountId, f.Subject, f.Reason, f.Remediation, f.ObservedAt,
            f.Exception is { } e ? ExceptionReport.From(e) : null);
}

/// <summary>The exception that excuses a finding (<c>expired: false</c>, status excepted) or no longer does (<c>expired: true</c>, status fail).</summary>
/// <param name="Expires">The last day it excuses, YYYY-MM-DD.</param>
internal sealed record ExceptionReport(string Resource, string Reason, string ApprovedBy, string Expires, bool Expired)
{
    public static ExceptionReport From(FindingException e) =>
        new(e.Resource, e.Reason, e.ApprovedBy, e.Expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), e.Expired);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EvaluationReport))]
[JsonSerializable(typeof(SyncReport))]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(IReadOnlyList<Commands.OrganisationRow>))]
[JsonSerializable(typeof(FrameworkReport))]
[JsonSerializable(typeof(CatalogReport))]
[JsonSerializable(typeof(Commands.ExceptionListReport))]
[JsonSerializable(typeof(Commands.RunListReport))]
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
