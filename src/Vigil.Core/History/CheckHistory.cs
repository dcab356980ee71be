using Vigil.Core.Checks;

namespace Vigil.Core.History;

/// <summary>One check's result in one stored evaluation (`vigil history`).</summary>
/// <param name="EvaluatedAt">When the evaluation ran.</param>
/// <param name="SnapshotId">The snapshot (sync run) it judged.</param>
/// <param name="Status">"pass", "fail", "unknown" or "excepted".</param>
/// <param name="Failing">Findings that failed.</param>
/// <param name="Passing">Findings that passed.</param>
public sealed record CheckHistoryRow(DateTimeOffset EvaluatedAt, string SnapshotId, string CheckId, string Status, int Failing, int Passing,
    int Unknown, int Skipped, int Excepted)
{
    /// <summary>
    /// The rows of one evaluation: one per check it holds, in its own order, or only <paramref name="checkId"/>'s
    /// (compared ignoring case; none when that evaluation did not run the check).
    /// </summary>
    public static IEnumerable<CheckHistoryRow> Of(Evaluation evaluation, string? checkId = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        foreach (var result in evaluation.Results)
        {
            if (checkId is not null && !string.Equals(result.CheckId, checkId, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            int Count(FindingStatus status) => result.Findings.Count(f => f.Status == status);
            yield return new CheckHistoryRow(evaluation.EvaluatedAt, evaluation.SnapshotId, result.CheckId, result.Status.ToString().ToLowerInvariant(),
                Count(FindingStatus.Fail), Count(FindingStatus.Pass), Count(FindingStatus.Unknown), Count(FindingStatus.Skipped), Count(FindingStatus.Excepted));
        }
    }
}
