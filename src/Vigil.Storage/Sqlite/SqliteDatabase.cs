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

    /// <summary>
    /// True when the operating system refuses writes to the file or its folder (a read-only mount, chmod -w): the
    /// database is then opened read-only, commands that only read work, and every write fails as read-only.
    /// </summary>
    public bool IsReadOnly { get; private init; }

    public static async Task<SqliteDatabase> OpenAsync(string databasePath, TimeProvider time, CancellationToken ct)
    {
        RefuseEmptyFileOfUsedHome(databasePath);
        var readOnly = !IsWritable(databasePath);
        if (readOnly && !File.Exists(databasePath))
        {
            throw new InvalidOperationException(
                $"cannot create the Vigil database {databasePath}: the folder is read-only. Make it writable, or point VIGIL_HOME elsewhere.");
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = readOnly ? ReadOnlySource(databasePath) : databasePath,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var database = new SqliteDatabase(connectionString) { Path = databasePath, IsReadOnly = readOnly };
        if (!readOnly)
        {
            CreateOwnerOnlyFile(databasePath);
        }

        try
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            if (readOnly)
            {
                await RequireCurrentSchemaAsync(connection, ct);
                return database;
            }

            // WAL lets readers (the CLI, a web view) read while a sync writes; the mode is stored in the file.
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", ct);
            await MigrateAsync(connection, time, ct);
            return database;
        }
        catch (SqliteException e) when (IsDamage(e))
        {
            database.ReleaseFile();
            throw new InvalidOperationException(DamagedMessage(databasePath, e.Message), e);
        }
    }

    /// <summary>SQLite's own verdict on a damaged file: SQLITE_CORRUPT (11) or SQLITE_NOTADB (26).</summary>
    internal static bool IsDamage(SqliteException e) => e.SqliteErrorCode is 11 or 26;

    internal static string DamagedMessage(string databasePath, string finding) =>
        $"the Vigil database {databasePath} is damaged ({finding}). Vigil stopped before writing anything. Restore vigil.db " +
        "from a backup (with master.key beside it), or move it aside to start again; 'sqlite3 vigil.db .recover' may save its history.";

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

    private static async Task RequireCurrentSchemaAsync(SqliteConnection connection, CancellationToken ct)
    {
        var newestKnown = KnownMigrations() is { Count: > 0 } known ? known[^1].Version : 0;
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        var found = (long)(await command.ExecuteScalarAsync(ct))!;
        if (found != newestKnown)
        {
            throw new InvalidOperationException(
                $"The database {connection.DataSource} has schema version {found} and this Vigil needs {newestKnown}, but the folder is " +
                "read-only so it cannot be " + (found > newestKnown ? "read by this older Vigil; upgrade Vigil." : "upgraded; run Vigil once with the folder writable."));
        }
    }

    // The OS decides, not the mode bits: root ignores chmod -w, a read-only mount stops everyone. A probe file in the
    // folder (WAL needs to create -wal and -shm there) and a write-open of the database answer the real question.
    private static bool IsWritable(string databasePath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(databasePath))!;
        try
        {
            using (new FileStream(System.IO.Path.Combine(folder, $".vigil-write-probe-{Guid.NewGuid():N}"), new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Options = FileOptions.DeleteOnClose,
            }))
            {
            }

            if (File.Exists(databasePath))
            {
                using var _ = new FileStream(databasePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }

            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    // A read-only WAL database can be opened only if its -wal and -shm files exist; after a clean close they do not,
    // and a read-only folder cannot get them, so the file is opened immutable (no one can write it meanwhile anyway).
    private static string ReadOnlySource(string databasePath)
    {
        var full = System.IO.Path.GetFullPath(databasePath);
        if (File.Exists(full + "-wal") && File.Exists(full + "-shm"))
        {
            return full;
        }

        var escaped = string.Join('/', full.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
        return $"file:{escaped}?immutable=1";
    }

    // SQLite treats a 0-byte file as a new, empty database. That is right only for a home Vigil never used: beside a key
    // file or SQLite's own side files, an empty vigil.db means the real one was truncated or replaced, and starting afresh
    // would silently lose the history (and the stored credentials).
    private static void RefuseEmptyFileOfUsedHome(string databasePath)
    {
        var file = new FileInfo(databasePath);
        if (!file.Exists || file.Length != 0)
        {
            return;
        }

        var folder = file.DirectoryName!;
        var used = new[] { System.IO.Path.Combine(folder, MasterKey.KeyFileName), databasePath + "-wal", databasePath + "-shm", databasePath + "-journal", databasePath + SqliteStore.SyncLockSuffix }
            .Where(File.Exists)
            .Select(System.IO.Path.GetFileName)
            .ToList();
        if (used.Count > 0)
        {
            throw new InvalidOperationException(
                $"the Vigil database {databasePath} is empty (0 bytes), but its folder is not a new Vigil home (it holds {string.Join(", ", used)}): " +
                "the database was truncated or replaced. Vigil will not start an empty database over it; restore vigil.db from a backup, " +
                "or move the folder aside to start a new home.");
        }
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
