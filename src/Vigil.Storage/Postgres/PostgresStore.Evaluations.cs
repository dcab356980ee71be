using Vigil.Core.Checks;

namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <summary>Stores the evaluation beside its snapshot. Earlier evaluations of the same snapshot are kept.</summary>
    public async Task SaveEvaluationAsync(Evaluation evaluation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        await using var tenant = await BeginAsync(ct);
        long id;
        await using (var save = tenant.Command(
            "INSERT INTO evaluations (organisation_id, snapshot_id, evaluated_at, results, data) VALUES (@org, @snapshot_id, @evaluated_at, @results, @data) RETURNING id;"))
        {
            save.Parameters.AddWithValue("snapshot_id", evaluation.SnapshotId);
            save.Parameters.AddWithValue("evaluated_at", Db.Time(evaluation.EvaluatedAt));
            save.Parameters.AddWithValue("results", Db.Json(evaluation.Results));
            save.Parameters.Add(Text("data", evaluation.Data is null ? null : Db.Json(evaluation.Data)));
            id = Convert.ToInt64(await save.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        await using (var count = tenant.Command(EvaluationSummaries.InsertCount))
        {
            count.Parameters.AddWithValue("evaluation_id", id);
            count.Parameters.AddWithValue("snapshot_id", evaluation.SnapshotId);
            count.Parameters.AddWithValue("evaluated_at", Db.Time(evaluation.EvaluatedAt));
            count.Parameters.AddWithValue("failing", EvaluationSummaries.Failing(evaluation));
            await count.ExecuteNonQueryAsync(ct);
        }

        await tenant.CommitAsync(ct);
    }

    public async Task<Evaluation?> LoadLatestEvaluationAsync(string snapshotId, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var load = tenant.Command(
            "SELECT evaluated_at, results, data FROM evaluations WHERE organisation_id = @org AND snapshot_id = @snapshot_id ORDER BY id DESC LIMIT 1;");
        load.Parameters.AddWithValue("snapshot_id", snapshotId);
        await using var reader = await load.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new Evaluation(snapshotId, Db.ParseTime(reader.GetString(0)), Db.FromJson<IReadOnlyList<CheckResult>>(reader.GetString(1)),
                reader.IsDBNull(2) ? null : Db.FromJson<DataFreshness>(reader.GetString(2)))
            : null;
    }
}

public sealed partial class PostgresStore
{
    public async IAsyncEnumerable<Evaluation> StreamEvaluationsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command("SELECT snapshot_id, evaluated_at, results, data FROM evaluations WHERE organisation_id = @org ORDER BY id;");
        await using var reader = await list.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new Evaluation(reader.GetString(0), Db.ParseTime(reader.GetString(1)), Db.FromJson<IReadOnlyList<CheckResult>>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : Db.FromJson<DataFreshness>(reader.GetString(3)));
        }
    }
}

public sealed partial class PostgresStore
{
    public async Task<IReadOnlyList<Core.Storage.EvaluationSummary>> ListEvaluationSummariesAsync(int limit, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command(EvaluationSummaries.Sql);
        list.Parameters.AddWithValue("limit", limit);
        await using var reader = await list.ExecuteReaderAsync(ct);
        return await EvaluationSummaries.ReadAsync(reader, ct);
    }
}
