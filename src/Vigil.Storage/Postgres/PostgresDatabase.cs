using System.Globalization;
using System.Reflection;
using Npgsql;

namespace Vigil.Storage.Postgres;

/// <summary>
/// One PostgreSQL database: a pooled data source for work, an unpooled one for the session locks that syncs hold, the
/// application role and the schema, brought up to date at open under an advisory lock.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The role every tenant transaction works as (SET LOCAL ROLE): not the tables' owner, no BYPASSRLS.</summary>
    public const string AppRole = "vigil_app";

    /// <summary>The setting the row-level security policies compare organisation_id with.</summary>
    public const string OrganisationSetting = "vigil.organisation_id";

    /// <summary>First key of Vigil's two-key advisory locks ('VIGI'); the second says what is locked.</summary>
    public const int LockNamespace = 0x56494749;

    private const int MigrationLockKey = 0;
    private const string MigrationResourcePrefix = "Vigil.Storage.Migrations.Postgres.";

    private readonly NpgsqlDataSource _pool;
    private readonly NpgsqlDataSource _sessions;

    private PostgresDatabase(NpgsqlConnectionStringBuilder builder)
    {
        Location = PostgresConnectionString.Location(builder);
        Password = builder.Password;
        _pool = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        var unpooled = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false };
        _sessions = new NpgsqlDataSourceBuilder(unpooled.ConnectionString).Build();
    }

    /// <summary>host:port/database: never the user or the password.</summary>
    public string Location { get; }

    private string? Password { get; }

    /// <exception cref="InvalidOperationException">Cannot connect, cannot set up the application role, or the schema is newer than this Vigil.</exception>
    public static async Task<PostgresDatabase> OpenAsync(string databaseUrl, TimeProvider time, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = PostgresConnectionString.Parse(databaseUrl, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }

        var database = new PostgresDatabase(builder);
        try
        {
            await database.MigrateAsync(time, ct);
            return database;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await database.DisposeAsync();
            throw new InvalidOperationException(database.Redact($"cannot open the Vigil database {database.Location}: {e.Message}"), database.Sanitise(e));
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>A pooled connection as the connecting user (no role switch, no organisation).</summary>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct) => _pool.OpenConnectionAsync(ct);

    /// <summary>An unpooled connection whose session (and session locks) ends when it is disposed or the process dies.</summary>
    public ValueTask<NpgsqlConnection> OpenSessionAsync(CancellationToken ct) => _sessions.OpenConnectionAsync(ct);

    /// <summary>The message with the password removed (never printed, even where a driver echoes it).</summary>
    public string Redact(string message) => PostgresConnectionString.Redact(message, Password);

    /// <summary>An exception to keep as an inner exception only when its message does not hold the password.</summary>
    public Exception? Sanitise(Exception e) =>
        string.IsNullOrEmpty(Password) || !e.ToString().Contains(Password, StringComparison.Ordinal) ? e : null;

    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        await _sessions.DisposeAsync();
    }

    internal static IReadOnlyList<(int Version, string Name, string Sql)> KnownMigrations()
    {
        var assembly = typeof(PostgresDatabase).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(MigrationResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                var fileName = name[MigrationResourcePrefix.Length..^".sql".Length];
                if (!int.TryParse(fileName.Split('_', 2)[0], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    throw new InvalidOperationException($"Migration {name} must start with its number, e.g. 0002_add_x.sql.");
                }

                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (version, fileName, reader.ReadToEnd());
            })
            .OrderBy(m => m.version)
            .ToList();
    }

    // Everything on one connection holding a session advisory lock: a second process opening the same database at
    // the same time waits here, then finds the migrations applied.
    private async Task MigrateAsync(TimeProvider time, CancellationToken ct)
    {
        await using var connection = await _sessions.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockNamespace}, {MigrationLockKey});", ct);
        try
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
            await using (var current = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;", connection))
            {
                var found = Convert.ToInt32(await current.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                if (found > newestKnown)
                {
                    throw new InvalidOperationException(
                        $"The database {Location} has schema version {found}, newer than this Vigil knows ({newestKnown}). " +
                        "A newer Vigil wrote it; upgrade Vigil to open it.");
                }

                await EnsureAppRoleAsync(connection, ct);
                var applied = false;
                foreach (var migration in migrations.Where(m => m.Version > found))
                {
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
                    {
                        await apply.ExecuteNonQueryAsync(ct);
                    }

                    await using (var record = new NpgsqlCommand(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at);", connection, transaction))
                    {
                        record.Parameters.AddWithValue("version", migration.Version);
                        record.Parameters.AddWithValue("name", migration.Name);
                        record.Parameters.AddWithValue("at", Db.Time(time.GetUtcNow()));
                        await record.ExecuteNonQueryAsync(ct);
                    }

                    await GrantAppRoleAsync(connection, transaction, ct);
                    await transaction.CommitAsync(ct);
                    applied = true;
                }

                if (!applied && !await AppRoleHasPrivilegesAsync(connection, ct))
                {
                    await GrantAppRoleAsync(connection, null, ct);
                }
            }
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockNamespace}, {MigrationLockKey});", CancellationToken.None);
            }
        }
    }

    // The application role, created when missing (roles are cluster-wide: another database's Vigil may create it at
    // the same moment) and granted to the connecting user, who switches to it in every tenant transaction.
    private async Task EnsureAppRoleAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var user = (string)(await ScalarAsync(connection, "SELECT current_user;", ct))!;
        if (!await RoleExistsAsync(connection, ct))
        {
            try
            {
                await ExecuteAsync(connection, $"CREATE ROLE {AppRole} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;", ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation)
            {
                // Created meanwhile by another process.
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new InvalidOperationException(RoleAdvice(user, "cannot create roles"), e);
            }
        }

        if ((bool)(await ScalarAsync(connection, $"SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = '{AppRole}';", ct))!)
        {
            throw new InvalidOperationException(
                $"the role {AppRole} in {Location} can bypass row-level security, so organisations would not be kept apart. " +
                $"An administrator runs: ALTER ROLE {AppRole} NOSUPERUSER NOBYPASSRLS;");
        }

        if (!(bool)(await ScalarAsync(connection, $"SELECT pg_has_role(current_user, '{AppRole}', 'MEMBER');", ct))!)
        {
            try
            {
                await ExecuteAsync(connection, $"GRANT {AppRole} TO \"{user.Replace("\"", "\"\"", StringComparison.Ordinal)}\";", ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Granted meanwhile by another process.
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new InvalidOperationException(RoleAdvice(user, "cannot grant itself the role " + AppRole), e);
            }
        }
    }

    private string RoleAdvice(string user, string problem) =>
        $"the PostgreSQL user {user} {problem} on {Location}. Vigil works as the role {AppRole} (not the tables' owner, " +
        $"no BYPASSRLS) so that row-level security keeps organisations apart. An administrator runs once: " +
        $"CREATE ROLE {AppRole} NOLOGIN NOBYPASSRLS; GRANT {AppRole} TO \"{user}\";";

    private static async Task<bool> RoleExistsAsync(NpgsqlConnection connection, CancellationToken ct) =>
        (bool)(await ScalarAsync(connection, $"SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{AppRole}');", ct))!;

    private static async Task<bool> AppRoleHasPrivilegesAsync(NpgsqlConnection connection, CancellationToken ct) =>
        (bool)(await ScalarAsync(connection, $"SELECT has_table_privilege('{AppRole}', 'connections', 'INSERT');", ct))!;

    // Data, never schema: vigil_app reads and writes rows; organisations is the registry (no RLS); schema_migrations is not its business.
    private static async Task GrantAppRoleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var grant = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA public TO {AppRole};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {AppRole};
            REVOKE ALL ON schema_migrations FROM {AppRole};
            REVOKE UPDATE ON organisations FROM {AppRole};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {AppRole};
            DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO {AppRole}', current_database()); END $$;
            """, connection, transaction);
        await grant.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }
}
