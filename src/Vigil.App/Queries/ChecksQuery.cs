using Vigil.Core.Checks;
using Vigil.Storage;

namespace Vigil.App.Queries;

/// <summary>One check's verdict in the newest evaluation, with its findings counted by status.</summary>
/// <param name="Status">pass, fail, unknown or excepted.</param>
/// <param name="Frameworks">The controls it gives evidence for, e.g. "SOC 2 CC6.1" (framework and control id).</param>
public sealed record CheckSummaryView(
    string Id,
    string Title,
    string Severity,
    string Status,
    int Pass,
    int Fail,
    int Unknown,
    int Skipped,
    int Excepted,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Frameworks,
    string? Remediation);

/// <summary>Pass/fail per check with severity, in catalogue order.</summary>
/// <param name="Failing">Checks whose status is fail.</param>
public sealed record ChecksSummary(IReadOnlyList<CheckSummaryView> Checks, int Failing, string? SnapshotId, DateTimeOffset? EvaluatedAt);

public static class ChecksQuery
{
    public static async Task<ChecksSummary> SummaryAsync(IVigilStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await ReadModel.LoadAsync(store, ct);
        // Built once per read model: the counts are those of its evaluation, which never changes under it.
        return model.ChecksSummary ??= Summarise(model);
    }

    private static ChecksSummary Summarise(ReadModel model)
    {
        var checks = (model.Evaluation?.Results ?? []).Select(result =>
        {
            var definition = CheckCatalog.Find(result.CheckId)?.Definition;
            int Count(FindingStatus status) => result.Findings.Count(f => f.Status == status);
            return new CheckSummaryView(
                result.CheckId,
                definition?.Title ?? result.CheckId,
                Text.Of(definition?.Severity ?? Severity.Low),
                Text.Of(result.Status),
                Count(FindingStatus.Pass),
                Count(FindingStatus.Fail),
                Count(FindingStatus.Unknown),
                Count(FindingStatus.Skipped),
                Count(FindingStatus.Excepted),
                result.Notes ?? [],
                definition?.Frameworks.Select(f => f.ToString()).ToList() ?? [],
                definition?.Remediation);
        }).ToList();
        return new ChecksSummary(checks, checks.Count(c => c.Status == "fail"), model.Evaluation?.SnapshotId, model.Evaluation?.EvaluatedAt);
    }
}
