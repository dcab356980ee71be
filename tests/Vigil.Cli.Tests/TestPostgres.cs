using Npgsql;

namespace Vigil.Cli.Tests;

/// <summary>
/// A fresh database per test on the server VIGIL_TEST_POSTGRES names (./test starts a throw-away one), for running the
/// CLI with VIGIL_DATABASE. Without the variable the test fails (never skips), saying how to get a server.
/// </summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    private readonly string _name = "vigil_cli_" + Guid.NewGuid().ToString("N");
    private readonly NpgsqlConnectionStringBuilder _admin;

    private TestPostgres(NpgsqlConnectionStringBuilder admin) => _admin = admin;

    /// <summary>VIGIL_DATABASE for the CLI: postgres://user@host:port/database (a superuser owning a new database, as an operator would set up).</summary>
    public string Url => $"postgres://{Uri.EscapeDataString(_admin.Username ?? "postgres")}@{_admin.Host}:{_admin.Port}/{_name}";

    public static async Task<TestPostgres> CreateAsync()
    {
        var url = Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException(
                "VIGIL_TEST_POSTGRES is not set, so the PostgreSQL CLI tests have no server. Run them through ./test, which starts a " +
                "throw-away PostgreSQL (apt-get install postgresql; .ci/run installs it), or set VIGIL_TEST_POSTGRES=postgres://user@host:port/db.");
        }

        var uri = new Uri(url);
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]),
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
            Pooling = false,
        };
        var database = new TestPostgres(admin);
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database._name};", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>A superuser connection to this test's database, for raw SQL.</summary>
    public async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = _name }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_admin.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>The engines the CLI end-to-end tests run on.</summary>
internal static class Engines
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgresql";

    /// <summary>Points the CLI at a fresh PostgreSQL database for "postgresql" (VIGIL_DATABASE); nothing for SQLite.</summary>
    public static async Task<TestPostgres?> UseAsync(this CliProcess cli, string engine)
    {
        if (engine != Postgres)
        {
            return null;
        }

        var database = await TestPostgres.CreateAsync();
        cli.With("VIGIL_DATABASE", database.Url);
        return database;
    }
}
