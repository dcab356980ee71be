using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Storage.Postgres;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Postgres;

/// <summary>Opening, migrating, locking and refusing on PostgreSQL.</summary>
public sealed class PostgresEngineTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly PostgresTestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Sample.Start);
    private readonly MasterKey _key = MasterKey.Generate();

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Processes_opening_a_fresh_database_at_once_all_succeed_and_the_schema_is_applied_once()
    {
        var url = await _database.UrlAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresStore.OpenAsync(url, _key, _time, Ct))));

        await using var admin = await _database.OpenAdminAsync();
        await using (var applied = new NpgsqlCommand("SELECT version, COUNT(*) FROM schema_migrations GROUP BY version ORDER BY version;", admin))
        await using (var reader = await applied.ExecuteReaderAsync())
        {
            var versions = new List<(int, long)>();
            while (await reader.ReadAsync())
            {
                versions.Add((reader.GetInt32(0), reader.GetInt64(1)));
            }

            Assert.Equal(PostgresDatabase.KnownMigrations().Select(m => (m.Version, 1L)), versions);
        }

        foreach (var store in stores)
        {
            Assert.Empty(await store.ListAsync(Ct));
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_organisations_sync_at_once_but_one_organisation_syncs_once()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var alpha = await first.AddOrganisationAsync("alpha", Sample.Start, Ct);
        var beta = await first.AddOrganisationAsync("beta", Sample.Start, Ct);
        var alphaHere = first.ForOrganisation(alpha);
        var betaThere = second.ForOrganisation(beta);

        var runs = await Task.WhenAll(
            alphaHere.StartRunAsync("cli", Sample.Start, Ct),
            betaThere.StartRunAsync("cli", Sample.Start, Ct));

        Assert.Equal(SyncStatus.Running, (await alphaHere.GetRunAsync(runs[0].Id, Ct))?.Status);
        Assert.Equal(SyncStatus.Running, (await betaThere.GetRunAsync(runs[1].Id, Ct))?.Status);
        var refused = await Assert.ThrowsAsync<SyncAlreadyRunningException>(() => second.ForOrganisation(alpha).StartRunAsync("cli", Sample.Start, Ct));
        Assert.Contains(runs[0].Id, refused.Message);
        await Assert.ThrowsAsync<SyncAlreadyRunningException>(() => first.ForOrganisation(beta).EnsureNoSyncRunningAsync(Ct));
        // The default organisation is free meanwhile.
        await first.EnsureNoSyncRunningAsync(Ct);

        await Sample.FinishAsync(alphaHere, runs[0]);
        await second.ForOrganisation(alpha).EnsureNoSyncRunningAsync(Ct);
        Assert.Equal(SyncStatus.Running, (await first.ForOrganisation(beta).GetRunAsync(runs[1].Id, Ct))?.Status);
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_refused()
    {
        await (await OpenAsync()).DisposeAsync();
        await using (var admin = await _database.OpenAdminAsync())
        await using (var newer = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 'x');", admin))
        {
            await newer.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(OpenAsync);

        Assert.Contains("has schema version 9999, newer than this Vigil knows", refused.Message);
        Assert.Contains("upgrade Vigil", refused.Message);
    }

    [Fact]
    public async Task A_user_that_cannot_set_up_the_application_role_is_told_the_sql_an_administrator_runs()
    {
        await (await OpenAsync()).DisposeAsync(); // vigil_app exists in the cluster from here on
        var user = "vigil_limited_" + Guid.NewGuid().ToString("N")[..8];
        var builder = await _database.BuilderAsync();
        // A database of its own (it may create tables there), but no right to create or grant roles.
        await using (var admin = new NpgsqlConnection(PostgresTestDatabase.AdminConnectionString))
        {
            await admin.OpenAsync();
            foreach (var sql in new[] { $"CREATE ROLE {user} LOGIN NOCREATEROLE;", $"CREATE DATABASE {user} OWNER {user};" })
            {
                await using var create = new NpgsqlCommand(sql, admin);
                await create.ExecuteNonQueryAsync();
            }
        }

        try
        {
            var limited = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Username = user, Password = null, Database = user };
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStore.OpenAsync(limited.ConnectionString, _key, _time, Ct));
            Assert.Contains($"GRANT {PostgresDatabase.AppRole} TO \"{user}\";", refused.Message);
        }
        finally
        {
            await using var admin = new NpgsqlConnection(PostgresTestDatabase.AdminConnectionString);
            await admin.OpenAsync();
            foreach (var sql in new[] { $"DROP DATABASE {user} WITH (FORCE);", $"DROP ROLE {user};" })
            {
                await using var drop = new NpgsqlCommand(sql, admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    [Fact]
    public async Task Location_and_every_error_leave_the_password_out()
    {
        const string password = "s3cr3t:P@ss/w0rd";
        var encoded = Uri.EscapeDataString(password);
        var url = (await _database.UrlAsync()).Replace("postgres://postgres@", $"postgres://postgres:{encoded}@", StringComparison.Ordinal);

        // The test server trusts loopback, so the password is sent and ignored: the store opens.
        await using (var store = await PostgresStore.OpenAsync(url, _key, _time, Ct))
        {
            Assert.Equal($"127.0.0.1:{new Uri(url).Port}/{_database.Name}", store.Location);
            Assert.DoesNotContain(password, store.Location);
        }

        var failures = new List<Exception>
        {
            // Nothing listens there.
            await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStore.OpenAsync($"postgres://postgres:{encoded}@127.0.0.1:1/db?connect_timeout=2", _key, _time, Ct)),
            await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStore.OpenAsync($"Host=127.0.0.1;Port=1;Database=db;Username=u;Password={password};Timeout=2", _key, _time, Ct)),
            // Not a usable connection string.
            await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStore.OpenAsync($"postgres://postgres:{encoded}@127.0.0.1/db?no_such_option=1", _key, _time, Ct)),
            await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStore.OpenAsync($"Host=127.0.0.1;Password={password};Port=notaport", _key, _time, Ct)),
            await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStore.OpenAsync($"postgres://postgres:{encoded}@127.0.0.1:5432", _key, _time, Ct)),
        };

        foreach (var failure in failures)
        {
            Assert.DoesNotContain(password, failure.ToString());
            Assert.DoesNotContain(encoded, failure.ToString());
        }

        Assert.Contains("cannot open the Vigil database 127.0.0.1:1/db", failures[0].Message);
        Assert.Contains("no_such_option", failures[2].Message);
        Assert.Contains("names no database", failures[4].Message);
    }

    [Fact]
    public async Task A_killed_sync_frees_its_organisation_and_its_run_reads_as_interrupted()
    {
        await using var store = await OpenAsync();
        var crashed = await store.StartRunAsync("schedule", Sample.Start, Ct);

        await _database.KillSyncSessionsAsync();

        await using var next = await OpenAsync();
        Assert.Equal(SyncStatus.Failed, (await next.GetRunAsync(crashed.Id, Ct))?.Status);
        var run = await next.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        Assert.Equal(SyncStatus.Running, (await next.GetRunAsync(run.Id, Ct))?.Status);
        Assert.Equal("interrupted: the process ended before the run finished", (await next.GetRunAsync(crashed.Id, Ct))?.Reason);
    }

    private async Task<PostgresStore> OpenAsync() => await PostgresStore.OpenAsync(await _database.UrlAsync(), _key, _time, Ct);
}
