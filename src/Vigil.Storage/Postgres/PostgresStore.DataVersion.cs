namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    public async Task<DataVersion> ReadDataVersionAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var read = tenant.Command(DataVersionSql.Sql);
        await using var reader = await read.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return DataVersionSql.Read(reader);
    }
}

public sealed partial class PostgresStore
{
    public async Task<Core.Storage.ReviewVersion> ReadReviewVersionAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var read = tenant.Command(ReviewVersionSql.Sql);
        await using var reader = await read.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return ReviewVersionSql.Read(reader);
    }
}
