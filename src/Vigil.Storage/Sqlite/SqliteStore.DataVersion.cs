namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore
{
    public async Task<DataVersion> ReadDataVersionAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var read = Tenant(db, DataVersionSql.Sql.Replace("@org", "$org", StringComparison.Ordinal));
        await using var reader = await read.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return DataVersionSql.Read(reader);
    }
}

public sealed partial class SqliteStore
{
    public async Task<Core.Storage.ReviewVersion> ReadReviewVersionAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var read = Tenant(db, ReviewVersionSql.Sql.Replace("@org", "$org", StringComparison.Ordinal));
        await using var reader = await read.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return ReviewVersionSql.Read(reader);
    }
}
