using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Sqlite;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly FakeTimeProvider _time = new(Sample.Start);
    private readonly MasterKey _key = MasterKey.Generate();

    [Fact]
    public async Task Migrations_apply_to_an_empty_database_once()
    {
        await (await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None)).DisposeAsync();
        var afterFirstOpen = Query("SELECT version || ':' || name FROM schema_migrations ORDER BY version;");

        await using var reopened = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None);

        var known = SqliteDatabase.KnownMigrations();
        Assert.Equal(known.Select(m => $"{m.Version}:{m.Name}"), afterFirstOpen);
        Assert.Equal(afterFirstOpen, Query("SELECT version || ':' || name FROM schema_migrations ORDER BY version;"));
        Assert.Equal("0001_initial", known[0].Name);
    }

    [Fact]
    public async Task Reopening_keeps_the_data()
    {
        await using (var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None))
        {
            await store.StartRunAsync("cli", Sample.Start, CancellationToken.None);
        }

        await using var reopened = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None);

        Assert.Single(await reopened.ListRunsAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task A_database_from_a_newer_Vigil_is_refused_with_a_clear_error()
    {
        await (await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None)).DisposeAsync();
        Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', '2030-01-01T00:00:00.0000000Z');");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None));

        Assert.Contains("schema version 9999", error.Message);
        Assert.Contains("upgrade Vigil", error.Message);
    }

    [Fact]
    public async Task The_database_uses_WAL_and_enforces_foreign_keys()
    {
        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None);

        Assert.Equal(["wal"], Query("PRAGMA journal_mode;"));
        // Evidence rows must belong to a commit.
        var error = Assert.Throws<SqliteException>(() => Execute(
            "INSERT INTO snapshot_gaps (commit_id, ordinal, stage, resource_type, what, reason) VALUES (42, 0, 'infra', 'zone', 'x', 'y');",
            foreignKeys: true));
        Assert.Contains("FOREIGN KEY", error.Message);
    }

    [Fact]
    public async Task A_new_database_file_is_readable_by_its_owner_only()
    {
        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None);
        await store.StartRunAsync("cli", Sample.Start, CancellationToken.None);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_home.DatabasePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_home.DatabasePath + "-wal"));
        }
    }

    public void Dispose() => _home.Dispose();

    private List<string> Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_home.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private void Execute(string sql, bool foreignKeys = false)
    {
        using var connection = new SqliteConnection($"Data Source={_home.DatabasePath};Pooling=False;Foreign Keys={foreignKeys}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
