using Microsoft.Data.Sqlite;
using Npgsql;
using Vigil.Storage;

namespace Vigil.App.Tests.Queries;

/// <summary>A fresh, empty store for one test: an SQLite home, or a PostgreSQL database on VIGIL_TEST_POSTGRES.</summary>
public interface ITestStoreFactory : IAsyncDisposable
{
    Task<IVigilStore> OpenAsync(TimeProvider time);
}

public sealed class SqliteStoreFactory : ITestStoreFactory
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "vigil-app-tests", Guid.NewGuid().ToString("N"));

    public Task<IVigilStore> OpenAsync(TimeProvider time)
    {
        Directory.CreateDirectory(_home);
        return VigilDatabase.OpenAsync(null, _home, time, CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// One database per test on the server VIGIL_TEST_POSTGRES names (./test starts a throw-away cluster and sets it);
/// without it the test fails, saying how to get one.
/// </summary>
public sealed class PostgresStoreFactory : ITestStoreFactory
{
    private readonly string _name = "vigil_app_test_" + Guid.NewGuid().ToString("N");
    private readonly string _home = Path.Combine(Path.GetTempPath(), "vigil-app-tests", Guid.NewGuid().ToString("N"));
    private NpgsqlConnectionStringBuilder? _admin;

    /// <summary>The test database's connection string (Npgsql form), once <see cref="OpenAsync"/> has created and migrated it.</summary>
    public string? ConnectionString { get; private set; }

    public async Task<IVigilStore> OpenAsync(TimeProvider time)
    {
        var url = Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException("VIGIL_TEST_POSTGRES is not set: run through ./test, or `source tests/postgres-cluster.sh && vigil_start_test_postgres`");
        }

        var uri = new Uri(url);
        var user = Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]);
        var password = uri.UserInfo.Contains(':', StringComparison.Ordinal) ? Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[1]) : null;
        _admin ??= new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port > 0 ? uri.Port : 5432, Username = user, Password = password,
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres", Pooling = false,
        };
        await using (var admin = new NpgsqlConnection(_admin.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_name};", admin);
            await create.ExecuteNonQueryAsync();
        }

        Directory.CreateDirectory(_home);
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = _name, Pooling = true }.ConnectionString;
        var credentials = Uri.EscapeDataString(user) + (string.IsNullOrEmpty(password) ? "" : ":" + Uri.EscapeDataString(password));
        return await VigilDatabase.OpenAsync($"postgres://{credentials}@{_admin.Host}:{_admin.Port}/{_name}", _home, time, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await using var admin = new NpgsqlConnection(_admin.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE);", admin);
            await drop.ExecuteNonQueryAsync();
        }

        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }
}
