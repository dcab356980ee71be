using Vigil.Core.Checks;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>Stores the evaluation beside its snapshot. Earlier evaluations of the same snapshot are kept.</summary>
    public async Task SaveEvaluationAsync(Evaluation evaluation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await db.BeginTransactionAsync(ct);
        long id;
        await using (var save = Tenant(db,
            "INSERT INTO evaluations (organisation_id, snapshot_id, evaluated_at, results, data) VALUES ($org, $snapshot_id, $evaluated_at, $results, $data) RETURNING id;", transaction))
        {
            save.Parameters.AddWithValue("$snapshot_id", evaluation.SnapshotId);
            save.Parameters.AddWithValue("$evaluated_at", Db.Time(evaluation.EvaluatedAt));
            save.Parameters.AddWithValue("$results", Db.Json(evaluation.Results));
            save.Parameters.AddWithValue("$data", evaluation.Data is null ? DBNull.Value : Db.Json(evaluation.Data));
            id = Convert.ToInt64(await save.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        await using (var count = Tenant(db, EvaluationSummaries.InsertCount.Replace('@', '$'), transaction))
        {
            count.Parameters.AddWithValue("$evaluation_id", id);
            count.Parameters.AddWithValue("$snapshot_id", evaluation.SnapshotId);
            count.Parameters.AddWithValue("$evaluated_at", Db.Time(evaluation.EvaluatedAt));
            count.Parameters.AddWithValue("$failing", EvaluationSummaries.Failing(evaluation));
            await count.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    public async Task<Evaluation?> LoadLatestEvaluationAsync(string snapshotId, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var load = Tenant(db,
            "SELECT evaluated_at, results, data FROM evaluations WHERE organisation_id = $org AND snapshot_id = $snapshot_id ORDER BY id DESC LIMIT 1;");
        load.Parameters.AddWithValue("$snapshot_id", snapshotId);
        await using var reader = await load.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Evaluation(snapshotId, Db.ParseTime(reader.GetString(0)), Db.FromJson<IReadOnlyList<CheckResult>>(reader.GetString(1)),
                reader.IsDBNull(2) ? null : Db.FromJson<DataFreshness>(reader.GetString(2)))
            : null;
    }
}

public sealed partial class SqliteStore
{
    public async IAsyncEnumerable<Evaluation> StreamEvaluationsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, "SELECT snapshot_id, evaluated_at, results, data FROM evaluations WHERE organisation_id = $org ORDER BY id;");
        await using var reader = await list.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new Evaluation(reader.GetString(0), Db.ParseTime(reader.GetString(1)), Db.FromJson<IReadOnlyList<CheckResult>>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : Db.FromJson<DataFreshness>(reader.GetString(3)));
        }
    }
}

public sealed partial class SqliteStore
{
    public async Task<IReadOnlyList<Core.Storage.EvaluationSummary>> ListEvaluationSummariesAsync(int limit, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, EvaluationSummaries.Sql.Replace("@org", "$org", StringComparison.Ordinal).Replace("@limit", "$limit", StringComparison.Ordinal));
        list.Parameters.AddWithValue("$limit", limit);
        await using var reader = await list.ExecuteReaderAsync(ct);
        return await EvaluationSummaries.ReadAsync(reader, ct);
    }
}
