using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Sqlite;

/// <summary>The SQLite file under stress: the schema upgrade for 'cancelled', data committed despite a removal, bad files.</summary>
public sealed class SqliteHardeningTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly FakeTimeProvider _time = new(Sample.Start);
    private readonly MasterKey _key = MasterKey.Generate();
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task The_upgrade_to_cancelled_keeps_every_run_commit_and_row_and_their_links()
    {
        // A database as the previous Vigil left it: every migration before 0008, one finished run with data, one running.
        using (var old = Open())
        {
            Execute(old, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
            foreach (var migration in SqliteDatabase.KnownMigrations().Where(m => m.Version < 8))
            {
                Execute(old, migration.Sql);
                Execute(old, $"INSERT INTO schema_migrations VALUES ({migration.Version}, '{migration.Name}', '2026-01-01T00:00:00.0000000Z');");
            }
            Execute(old, """
                INSERT INTO sync_runs (id, trigger, owner, started_at, ended_at, status, reason, accounts, members, api_calls)
                VALUES ('run-1', 'cli', 'gone|1|0', '2026-11-01T00:00:00.0000000Z', '2026-11-01T00:01:00.0000000Z', 'complete', NULL, 1, 0, 3),
                       ('run-2', 'cli', 'gone|1|0', '2026-11-02T00:00:00.0000000Z', NULL, 'running', NULL, 0, 0, 0);
                INSERT INTO connections (id, name, purpose, api_url, credential_kind, created_at)
                VALUES ('c-1', 'prod', 'both', 'https://api.cloudflare.com/client/v4', 'user_token', '2026-11-01T00:00:00.0000000Z');
                INSERT INTO stage_commits (run_id, connection_id, stage, committed_at) VALUES ('run-1', 'c-1', 'access', '2026-11-01T00:00:30.0000000Z');
                INSERT INTO snapshot_accounts (commit_id, ordinal, account_id, name, enforce_two_factor, connection_id) VALUES (1, 0, 'acc-1', 'Acme', 1, 'c-1');
                """);
        }

        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, Ct);

        using var db = Open();
        Assert.Equal(["1|run-1|complete", "2|run-2|running"], Query(db, "SELECT seq || '|' || id || '|' || status FROM sync_runs ORDER BY seq;"));
        Assert.Empty(Query(db, "PRAGMA foreign_key_check;"));
        Assert.Contains("'cancelled'", Query(db, "SELECT sql FROM sqlite_schema WHERE name = 'sync_runs';").Single());
        Assert.Contains("ix_sync_runs_status", Query(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sync_runs' AND sql IS NOT NULL;"));
        Assert.Equal("acc-1", Assert.Single((await store.LoadSnapshotAsync("run-1", Ct))!.Accounts).Id);

        // The dead run reads as interrupted; a new run continues the sequence and can end cancelled.
        Assert.Equal(SyncStatus.Failed, (await store.GetRunAsync("run-2", Ct))?.Status);
        var run = await store.StartRunAsync("cli", Sample.Start, Ct);
        Assert.Equal("3", Query(db, $"SELECT seq FROM sync_runs WHERE id = '{run.Id}';").Single());
        var cancelled = run with { Status = SyncStatus.Cancelled, EndedAt = Sample.Start.AddMinutes(1), Reason = "The sync was cancelled." };
        await store.FinishRunAsync(cancelled, Ct);
        Sample.AssertDeepEqual(cancelled, await store.GetRunAsync(run.Id, Ct));
        Assert.Equal("cancelled", Query(db, $"SELECT status FROM sync_runs WHERE id = '{run.Id}';").Single());
    }

    [Fact]
    public async Task Data_committed_after_its_connection_was_removed_is_never_current()
    {
        // Such rows exist in databases written before the commit checked its connection.
        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, Ct);
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t1"), Ct);
        await store.SaveAsync(Sample.Connection("c-2", "lab"), new Secret("t2"), Ct);
        var run1 = await store.StartRunAsync("cli", Sample.Start, Ct);
        await store.CommitAccessStageAsync(run1.Id, "c-1", Sample.Access("c-1", "acc-1", "prod@example.com"), Sample.Start, Ct);
        await store.RemoveAsync("lab", Ct);
        using (var db = Open())
        {
            Execute(db, $"""
                INSERT INTO stage_commits (run_id, connection_id, stage, committed_at) VALUES ('{run1.Id}', 'c-2', 'access', '2026-11-24T09:01:00.0000000Z');
                INSERT INTO snapshot_accounts (commit_id, ordinal, account_id, name, enforce_two_factor, connection_id)
                VALUES ((SELECT MAX(id) FROM stage_commits), 0, 'acc-2', 'Lab', 1, 'c-2');
                """);
        }
        await Sample.FinishAsync(store, run1);
        var run2 = await store.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        await store.CommitAccessStageAsync(run2.Id, "c-1", Sample.Access("c-1", "acc-1", "prod@example.com"), Sample.Start.AddHours(1), Ct);

        Assert.Equal(["acc-1"], (await store.LoadCurrentSnapshotAsync(Ct))?.Accounts.Select(a => a.Id));
        Assert.Equal(["acc-1"], (await store.LoadSnapshotAsync(run2.Id, Ct))?.Accounts.Select(a => a.Id));
    }

    [Fact]
    public async Task A_run_whose_owner_cannot_be_looked_up_still_blocks_a_second_sync_while_its_lock_is_held()
    {
        // As from another container sharing the home: its host name differs, so its process cannot be checked from here.
        await using var elsewhere = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, new RunOwner("other-container|42|0"), Ct);
        var running = await elsewhere.StartRunAsync("schedule", Sample.Start, Ct);
        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, Ct);

        var refused = await Assert.ThrowsAsync<SyncAlreadyRunningException>(() => store.StartRunAsync("cli", Sample.Start.AddMinutes(1), Ct));
        await Assert.ThrowsAsync<SyncAlreadyRunningException>(() => store.EnsureNoSyncRunningAsync(Ct));

        Assert.Contains(running.Id, refused.Message);
        Assert.Contains("process 42 on other-container", refused.Message);
        using (var db = Open())
        {
            Assert.Equal(["running"], Query(db, "SELECT status FROM sync_runs;"));
        }

        // Once its holder finishes (or dies: the kernel frees the lock), the next sync starts.
        await Sample.FinishAsync(elsewhere, running);
        await store.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
    }

    [Fact]
    public void A_missing_key_file_is_not_recreated_while_credentials_are_sealed_with_it()
    {
        var keyFile = Path.Combine(_home.Path, MasterKey.KeyFileName);

        var error = Assert.Throws<InvalidOperationException>(() => MasterKey.LoadOrCreate(_home.Path, null, () => 2));

        Assert.Contains($"the key file {keyFile} is missing", error.Message);
        Assert.Contains("2 stored credential(s)", error.Message);
        Assert.Contains(MasterKey.EnvironmentVariable, error.Message);
        Assert.False(File.Exists(keyFile));
        MasterKey.LoadOrCreate(_home.Path, null, () => 0);
        Assert.True(File.Exists(keyFile));
    }

    [Fact]
    public async Task An_empty_database_file_beside_a_key_file_is_refused_and_left_as_it_is()
    {
        File.WriteAllBytes(_home.DatabasePath, []);
        File.WriteAllText(Path.Combine(_home.Path, MasterKey.KeyFileName), Convert.ToBase64String(new byte[32]));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, Ct));

        Assert.Contains("is empty (0 bytes)", error.Message);
        Assert.Contains("master.key", error.Message);
        Assert.Equal(0, new FileInfo(_home.DatabasePath).Length);
    }

    [Fact]
    public async Task An_empty_database_file_in_a_new_home_becomes_a_new_database()
    {
        File.WriteAllBytes(_home.DatabasePath, []);

        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, Ct);

        Assert.Empty(await store.ListRunsAsync(10, Ct));
    }

    public void Dispose() => _home.Dispose();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_home.DatabasePath};Pooling=False;Foreign Keys=True");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Query(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetValue(0).ToString()!);
        }
        return values;
    }
}
