namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    public async Task<IReadOnlyDictionary<string, string>> ListSettingsAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command("SELECT key, value FROM settings WHERE organisation_id = @org ORDER BY key COLLATE \"C\";");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            settings[reader.GetString(0)] = reader.GetString(1);
        }

        return settings;
    }

    /// <summary>One statement: the key holds either its old or its new value, never a half-written one.</summary>
    public async Task SaveSettingAsync(string key, string value, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        await using var tenant = await BeginAsync(ct);
        await using var save = tenant.Command("""
            INSERT INTO settings (organisation_id, key, value, updated_at) VALUES (@org, @key, @value, @updated_at)
            ON CONFLICT (organisation_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
            """);
        save.Parameters.AddWithValue("key", key);
        save.Parameters.AddWithValue("value", value);
        save.Parameters.AddWithValue("updated_at", Db.Time(_time.GetUtcNow()));
        await save.ExecuteNonQueryAsync(ct);
        await tenant.CommitAsync(ct);
    }
}
