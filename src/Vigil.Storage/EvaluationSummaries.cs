using System.Data.Common;
using System.Globalization;
using Vigil.Core.Checks;
using Vigil.Core.Storage;

namespace Vigil.Storage;

/// <summary>The evaluations' failing counts, kept beside their results, and the statement both engines run to list them.</summary>
internal static class EvaluationSummaries
{
    /// <summary>The newest evaluation per snapshot, newest first, at most @limit.</summary>
    public const string Sql = """
        SELECT snapshot_id, evaluated_at, failing FROM evaluations
        WHERE organisation_id = @org
          AND id IN (SELECT MAX(id) FROM evaluations WHERE organisation_id = @org GROUP BY snapshot_id)
        ORDER BY id DESC
        LIMIT @limit;
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
