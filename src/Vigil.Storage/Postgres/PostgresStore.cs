using System.Collections.Concurrent;
using System.Data;
using Npgsql;
using Vigil.Core.Organisations;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Postgres;

/// <summary>
/// The PostgreSQL store: the same contract and behaviour as <see cref="SqliteStore"/>, for teams that run Vigil from
/// several machines or for many organisations. Isolation is enforced twice: every statement names the organisation,
/// and every tenant transaction runs as the role vigil_app (not the owner, no BYPASSRLS) with vigil.organisation_id
/// set, under row-level security. Safe to share across threads; each call uses its own pooled connection.
/// </summary>
public sealed partial class PostgresStore : IVigilStore
{
    private readonly PostgresDatabase _database;
    private readonly Lazy<MasterKey> _masterKey;
    private readonly TimeProvider _time;
    private readonly RunOwner _owner;
    // The store and the views ForOrganisation makes share the database; the last one disposed closes it.
    private readonly SharedLifetime _lifetime;
    private int _disposed;
    private readonly ConcurrentDictionary<string, NpgsqlConnection> _runLocks = new(StringComparer.Ordinal);

    private PostgresStore(PostgresDatabase database, Lazy<MasterKey> masterKey, TimeProvider time, RunOwner owner, Organisation organisation, SharedLifetime lifetime)
    {
        _database = database;
        _masterKey = masterKey;
        _time = time;
        _owner = owner;
        Organisation = organisation;
        _lifetime = lifetime;
    }

    public Organisation Organisation { get; }

    public string Engine => "postgresql";

    /// <summary>host:port/database (never the user or the password).</summary>
    public string Location => _database.Location;

    public bool IsReadOnly => false;

    /// <summary>
    /// Connects to <paramref name="databaseUrl"/> (VIGIL_DATABASE: <c>postgres://user:pass@host:port/db?sslmode=...</c>,
    /// <c>postgresql://...</c>, or <c>Host=...;Database=...</c>; a missing password comes from VIGIL_DATABASE_PASSWORD or
    /// PGPASSWORD), creates the application role if needed, applies pending migrations under an advisory lock, and
    /// returns the store bound to the default organisation. The master key comes, when first needed, from
    /// VIGIL_MASTER_KEY or the key file in the Vigil home (<paramref name="home"/>, else $VIGIL_HOME, else ~/.vigil).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Cannot connect, the user cannot set up the application role (the message gives the SQL an administrator runs),
    /// or the database has a newer schema. No message contains the password.
    /// </exception>
    public static async Task<PostgresStore> OpenAsync(string databaseUrl, string? home, TimeProvider time, CancellationToken ct)
    {
        var database = await PostgresDatabase.OpenAsync(databaseUrl, time, ct);
        var fromEnvironment = Environment.GetEnvironmentVariable(MasterKey.EnvironmentVariable);
        PostgresStore? store = null;
        var key = new Lazy<MasterKey>(
            () => MasterKey.LoadOrCreate(VigilHome.Resolve(home), fromEnvironment, store!.CountSealedCredentials),
            LazyThreadSafetyMode.PublicationOnly);
        store = new PostgresStore(database, key, time, RunOwner.CurrentProcess, DefaultOrganisation, new SharedLifetime());
        return store;
    }

    /// <summary>For tests: a given master key.</summary>
    internal static async Task<PostgresStore> OpenAsync(string databaseUrl, MasterKey masterKey, TimeProvider time, CancellationToken ct)
    {
        var database = await PostgresDatabase.OpenAsync(databaseUrl, time, ct);
        return new PostgresStore(database, new Lazy<MasterKey>(() => masterKey), time, RunOwner.CurrentProcess, DefaultOrganisation, new SharedLifetime());
    }

    /// <summary>The same database bound to another organisation; the database closes when the last of the store and its views is disposed.</summary>
    public IVigilStore ForOrganisation(Organisation organisation)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        _lifetime.AddUser();
        return new PostgresStore(_database, _masterKey, _time, _owner, organisation, _lifetime);
    }

    /// <summary>Loads the master key now, so a missing or damaged key stops a command before it starts work.</summary>
    public void RequireMasterKey() => _ = _masterKey.Value;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var runId in _runLocks.Keys)
        {
            if (_runLocks.TryRemove(runId, out var runLock))
            {
                await ReleaseQuietlyAsync(runLock);
            }
        }

        if (_lifetime.RemoveUser())
        {
            await _database.DisposeAsync();
        }
    }

    private static Organisation DefaultOrganisation => new(Organisation.DefaultId, Organisation.DefaultName, DateTimeOffset.UnixEpoch);

    private MasterKey Key => _masterKey.Value;

    /// <summary>
    /// A transaction about this store's organisation: as the role vigil_app, with vigil.organisation_id set, so
    /// row-level security admits this organisation's rows only.
    /// </summary>
    private Task<Tenant> BeginAsync(CancellationToken ct, IsolationLevel isolation = IsolationLevel.ReadCommitted, bool readOnly = false) =>
        BeginAsync(Organisation.Id, ct, isolation, readOnly);

    private async Task<Tenant> BeginAsync(string organisationId, CancellationToken ct, IsolationLevel isolation = IsolationLevel.ReadCommitted, bool readOnly = false)
    {
        var connection = await OpenAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(isolation, ct);
            await using var setup = new NpgsqlCommand(
                (readOnly ? "SET TRANSACTION READ ONLY; " : "") +
                $"SET LOCAL ROLE {PostgresDatabase.AppRole}; SELECT set_config('{PostgresDatabase.OrganisationSetting}', @org, true);",
                connection, transaction);
            setup.Parameters.AddWithValue("org", organisationId);
            await setup.ExecuteNonQueryAsync(ct);
            return new Tenant(connection, transaction, organisationId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await _database.OpenConnectionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(_database.Redact($"cannot connect to the Vigil database {Location}: {e.Message}"), _database.Sanitise(e));
        }
    }

    // Every organisation's credentials, counted organisation by organisation (row-level security shows one at a time).
    private int CountSealedCredentials()
    {
        var organisations = ListOrganisationsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var count = 0;
        foreach (var organisation in organisations)
        {
            using var tenant = BeginAsync(organisation.Id, CancellationToken.None).GetAwaiter().GetResult();
            using var select = tenant.Command("SELECT (SELECT COUNT(*) FROM connection_secrets WHERE organisation_id = @org) + (SELECT COUNT(*) FROM remediation_credentials WHERE organisation_id = @org) + (SELECT COUNT(*) FROM alert_channels WHERE organisation_id = @org);");
            count += (int)(long)select.ExecuteScalar()!;
        }

        return count;
    }

    private static async Task CloseQuietlyAsync(NpgsqlConnection connection)
    {
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException)
        {
            // The session is gone (the server ended it): its locks went with it.
        }
    }

    /// <summary>One tenant transaction and its connection; disposing rolls back what was not committed.</summary>
    private sealed class Tenant(NpgsqlConnection connection, NpgsqlTransaction transaction, string organisationId) : IAsyncDisposable, IDisposable
    {
        public NpgsqlConnection Connection { get; } = connection;

        public NpgsqlTransaction Transaction { get; } = transaction;

        public string OrganisationId { get; } = organisationId;

        /// <summary>A command in this transaction with @org bound to the organisation.</summary>
        public NpgsqlCommand Command(string sql)
        {
            var command = new NpgsqlCommand(sql, Connection, Transaction);
            command.Parameters.AddWithValue("org", OrganisationId);
            return command;
        }

        public Task CommitAsync(CancellationToken ct) => Transaction.CommitAsync(ct);

        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }

        public void Dispose()
        {
            Transaction.Dispose();
            Connection.Dispose();
        }
    }
}
