using System.Data.Common;
using System.Globalization;
using Vigil.Core.Checks;
using Vigil.Core.Storage;

namespace Vigil.Storage;

/// <summary>The evaluations' failing counts, kept beside their results, and the statement both engines run to list them.</summary>
internal static class EvaluationSummaries
{
    /// <summary>
    /// The newest evaluation per snapshot, newest first, at most @limit, with its count when one was kept. Reads only the
    /// evaluations' leading columns (id, snapshot, time), never the results stored after them.
    /// </summary>
    public const string Sql = """
        SELECT e.snapshot_id, e.evaluated_at, c.failing
        FROM (SELECT MAX(id) AS id FROM evaluations WHERE organisation_id = @org GROUP BY snapshot_id) newest
        JOIN evaluations e ON e.id = newest.id
        LEFT JOIN evaluation_counts c ON c.evaluation_id = newest.id AND c.organisation_id = @org
        ORDER BY newest.id DESC
        LIMIT @limit;
        """;

    /// <summary>Keeps the count of the evaluation just inserted (same transaction).</summary>
    public const string InsertCount = """
        INSERT INTO evaluation_counts (organisation_id, evaluation_id, snapshot_id, evaluated_at, failing)
        VALUES (@org, @evaluation_id, @snapshot_id, @evaluated_at, @failing);
        """;

    /// <summary>The findings of the evaluation whose status is fail.</summary>
    public static int Failing(Evaluation evaluation) => evaluation.Results.Sum(r => r.Findings.Count(f => f.Status == FindingStatus.Fail));

    public static async Task<IReadOnlyList<EvaluationSummary>> ReadAsync(DbDataReader reader, CancellationToken ct)
    {
        var summaries = new List<EvaluationSummary>();
        while (await reader.ReadAsync(ct))
        {
            summaries.Add(new EvaluationSummary(reader.GetString(0), Db.ParseTime(reader.GetString(1)),
                reader.IsDBNull(2) ? null : Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
        }

        return summaries;
    }
}
