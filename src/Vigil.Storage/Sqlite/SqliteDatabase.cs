using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite;

/// <summary>Opens connections to one database file and brings its schema up to date.</summary>
internal sealed class SqliteDatabase
{
    private const string MigrationResourcePrefix = "Vigil.Storage.Migrations.Sqlite.";

    private readonly string _connectionString;

    private SqliteDatabase(string connectionString) => _connectionString = connectionString;

    public string Path { get; private init; } = "";

    public static async Task<SqliteDatabase> OpenAsync(string databasePath, TimeProvider time, CancellationToken ct)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var database = new SqliteDatabase(connectionString) { Path = databasePath };
        CreateOwnerOnlyFile(databasePath);

        await using var connection = await database.OpenConnectionAsync(ct);
        // WAL lets readers (the CLI, a web view) read while a sync writes; the mode is stored in the file.
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", ct);
        await MigrateAsync(connection, time, ct);
        return database;
    }

    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            // Wait for another writer (a sync in another process) instead of failing at once.
            await ExecuteAsync(connection, "PRAGMA busy_timeout = 30000;", ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes pooled connections so the file is released (tests delete it; the CLI exits cleanly).</summary>
    public void ReleaseFile()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    internal static IReadOnlyList<(int Version, string Name, string Sql)> KnownMigrations()
    {
        var assembly = typeof(SqliteDatabase).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(MigrationResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                var fileName = name[MigrationResourcePrefix.Length..^".sql".Length];
                var digits = fileName.Split('_', 2)[0];
                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    throw new InvalidOperationException($"Migration {name} must start with its number, e.g. 0002_add_x.sql.");
                }

                return (version, fileName, ReadResource(assembly, name));
            })
            .OrderBy(m => m.version)
            .ToList();
    }

    private static async Task MigrateAsync(SqliteConnection connection, TimeProvider time, CancellationToken ct)
    {
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """, ct);

        var migrations = KnownMigrations();
        var newestKnown = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var found = await CurrentVersionAsync(connection, null, ct);
        if (found > newestKnown)
        {
            throw new InvalidOperationException(
                $"The database {connection.DataSource} has schema version {found}, newer than this Vigil knows ({newestKnown}). " +
                "A newer Vigil wrote it; upgrade Vigil to open it.");
        }

        foreach (var migration in migrations.Where(m => m.Version > found))
        {
            // One transaction per migration, begun with the write lock (BEGIN IMMEDIATE) and re-checked inside,
            // so two processes opening the same new database do not both apply it.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            if (await CurrentVersionAsync(connection, transaction, ct) >= migration.Version)
            {
                continue;
            }

            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = migration.Sql;
                await command.ExecuteNonQueryAsync(ct);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at);";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$name", migration.Name);
                record.Parameters.AddWithValue("$at", Db.Time(time.GetUtcNow()));
                await record.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }
    }

    private static async Task<long> CurrentVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    // Member emails and evidence are personal data: the file is the owner's alone, whatever the folder allows.
    // SQLite gives its -wal and -shm files the database file's mode, and treats an empty file as a new database.
    private static void CreateOwnerOnlyFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by another process opening the same database.
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded migration {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
