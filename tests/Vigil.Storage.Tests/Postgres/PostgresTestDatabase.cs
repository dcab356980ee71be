using Npgsql;
using Vigil.Storage.Postgres;

namespace Vigil.Storage.Tests.Postgres;

/// <summary>
/// A fresh, empty database for one test on the server VIGIL_TEST_POSTGRES names (a superuser URL; ./test starts a
/// throw-away cluster and sets it), created on first use and dropped afterwards. Without the variable the test fails
/// (never skips), saying how to get a server.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "VIGIL_TEST_POSTGRES";

    private bool _created;

    public string Name { get; } = "vigil_test_" + Guid.NewGuid().ToString("N");

    /// <summary>The superuser connection string of the test server (keyword form).</summary>
    public static string AdminConnectionString
    {
        get
        {
            var url = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(url))
            {
                throw new InvalidOperationException(
                    $"{Variable} is not set, so the PostgreSQL tests have no server. Run them through ./test, which starts a throw-away " +
                    "PostgreSQL when the binaries are installed (apt-get install postgresql; .ci/run installs them), or set " +
                    $"{Variable}=postgres://user@host:port/db for a server where that user may create databases and roles.");
            }

            return PostgresConnectionString.Parse(url, _ => null).ConnectionString;
        }
    }

    /// <summary>This test's database, as a postgres:// URL the store opens (created on first use).</summary>
    public async Task<string> UrlAsync()
    {
        var builder = await BuilderAsync();
        var credentials = Uri.EscapeDataString(builder.Username ?? "postgres") + (string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password));
        return $"postgres://{credentials}@{builder.Host}:{builder.Port}/{Name}";
    }

    /// <summary>This test's database as a superuser connection string (for raw SQL in tests).</summary>
    public async Task<NpgsqlConnectionStringBuilder> BuilderAsync()
    {
        if (!_created)
        {
            await using var admin = new NpgsqlConnection(AdminConnectionString);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name};", admin);
            await create.ExecuteNonQueryAsync();
            _created = true;
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = Name, Pooling = false };
    }

    /// <summary>A superuser connection to this test's database.</summary>
    public async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection((await BuilderAsync()).ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Ends every session holding one of Vigil's sync locks in this database, as if its process had been killed.</summary>
    public async Task KillSyncSessionsAsync()
    {
        await using var admin = await OpenAdminAsync();
        var sql = $"""
            SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = {PostgresDatabase.LockNamespace} AND objsubid = 2
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """;
        await using (var kill = new NpgsqlCommand($"SELECT pg_terminate_backend(pid) FROM ({sql}) l;", admin))
        {
            await kill.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < 200; i++)
        {
            await using var left = new NpgsqlCommand($"SELECT COUNT(*) FROM ({sql}) l;", admin);
            if ((long)(await left.ExecuteScalarAsync())! == 0)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("the killed sync sessions still hold their locks");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_created)
        {
            return;
        }

        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE);", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
