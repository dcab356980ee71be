using Microsoft.Data.Sqlite;
using Vigil.Core.Organisations;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL) holding connections, sync history with every stage's data and raw
/// evidence, the staff directory and evaluations. Safe to share across threads; each call uses its own pooled connection.
/// </summary>
public sealed partial class SqliteStore : IVigilStore
{
    private readonly SqliteDatabase _database;
    private readonly Lazy<MasterKey> _masterKey;
    private readonly TimeProvider _time;
    private readonly RunOwner _owner;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FileStream> _runLocks;

    // The store and the views ForOrganisation makes share the database, key and run locks; the last one disposed releases them.
    private readonly SharedLifetime _lifetime;
    private int _disposed;

    private SqliteStore(SqliteDatabase database, Func<SqliteStore, MasterKey> masterKey, TimeProvider time, RunOwner owner)
    {
        _database = database;
        // Loaded on first use (PublicationOnly: a failure is not cached): listing connections or runs needs no key, so a
        // read-only home or a missing key file does not stop the commands that only read.
        _masterKey = new Lazy<MasterKey>(() => masterKey(this), LazyThreadSafetyMode.PublicationOnly);
        _time = time;
        _owner = owner;
        _runLocks = new(StringComparer.Ordinal);
        _lifetime = new SharedLifetime();
    }

    private SqliteStore(SqliteStore of, Organisation organisation)
    {
        _database = of._database;
        _masterKey = of._masterKey;
        _time = of._time;
        _owner = of._owner;
        _runLocks = of._runLocks;
        _lifetime = of._lifetime;
        _lifetime.AddUser();
        Organisation = organisation;
    }

    /// <summary>
    /// The organisation every tenant statement of this instance is about; every tenant table has an organisation_id column
    /// that each statement binds to <c>Organisation.Id</c>.
    /// </summary>
    public Organisation Organisation { get; private init; } = new(Organisation.DefaultId, Organisation.DefaultName, DateTimeOffset.UnixEpoch);

    public string DatabasePath => _database.Path;

    public string Engine => "sqlite";

    public string Location => _database.Path;

    /// <summary>This database, bound to another organisation (see <see cref="IOrganisationStore"/> to find one by name).</summary>
    public IVigilStore ForOrganisation(Organisation organisation)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        return new SqliteStore(this, organisation);
    }

    /// <summary>True when the operating system refuses writes to the database or its folder; reads work, writes fail as read-only.</summary>
    public bool IsReadOnly => _database.IsReadOnly;

    /// <summary>Opens (creating if needed) the database file and applies pending migrations.</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer Vigil.</exception>
    public static Task<SqliteStore> OpenAsync(string databasePath, MasterKey masterKey, TimeProvider time, CancellationToken ct) =>
        OpenAsync(databasePath, masterKey, time, RunOwner.CurrentProcess, ct);

    /// <summary>
    /// Opens the store in the Vigil home folder ($VIGIL_HOME, else ~/.vigil). The master key comes from the environment or
    /// the key file when first needed; a missing key file is created only while no stored credential depends on it.
    /// </summary>
    public static async Task<SqliteStore> OpenInHomeAsync(string? home, TimeProvider time, CancellationToken ct)
    {
        var folder = VigilHome.Resolve(home);
        // The database first: whether a missing key file may be created depends on what the database holds.
        var database = await SqliteDatabase.OpenAsync(VigilHome.DatabasePath(folder), time, ct);
        var fromEnvironment = Environment.GetEnvironmentVariable(MasterKey.EnvironmentVariable);
        return new SqliteStore(database, store => MasterKey.LoadOrCreate(folder, fromEnvironment, store.CountSealedCredentials), time, RunOwner.CurrentProcess);
    }

    internal static async Task<SqliteStore> OpenAsync(string databasePath, MasterKey masterKey, TimeProvider time, RunOwner owner, CancellationToken ct)
    {
        var database = await SqliteDatabase.OpenAsync(databasePath, time, ct);
        return new SqliteStore(database, _ => masterKey, time, owner);
    }

    /// <summary>Loads the master key now, so a missing or damaged key stops a command before it starts work.</summary>
    public void RequireMasterKey() => _ = _masterKey.Value;

    /// <summary>
    /// Runs SQLite's <c>PRAGMA quick_check</c> (every page and index structure, without cross-checking index contents).
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is damaged; the message says what to do.</exception>
    public async Task CheckIntegrityAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        try
        {
            await using var db = await _database.OpenConnectionAsync(ct);
            await using var check = db.Command("PRAGMA quick_check(5);");
            await using var reader = await check.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                problems.Add(reader.GetString(0));
            }
        }
        catch (SqliteException e) when (SqliteDatabase.IsDamage(e))
        {
            throw new InvalidOperationException(SqliteDatabase.DamagedMessage(_database.Path, e.Message), e);
        }

        if (problems is not ["ok"])
        {
            throw new InvalidOperationException(SqliteDatabase.DamagedMessage(_database.Path, "integrity check: " + string.Join("; ", problems)));
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || !_lifetime.RemoveUser())
        {
            return ValueTask.CompletedTask;
        }

        foreach (var runId in _runLocks.Keys)
        {
            if (_runLocks.TryRemove(runId, out var runLock))
            {
                runLock.Dispose();
            }
        }
        _database.ReleaseFile();
        return ValueTask.CompletedTask;
    }

    private MasterKey Key => _masterKey.Value;

    /// <summary>
    /// A command over this organisation's data: <c>$org</c> is always bound to <see cref="Organisation"/>, and every
    /// statement on a tenant table filters or fills organisation_id with it.
    /// </summary>
    private SqliteCommand Tenant(SqliteConnection db, string sql, SqliteTransaction? transaction = null)
    {
        var command = db.Command(sql, transaction);
        command.Parameters.AddWithValue("$org", Organisation.Id);
        return command;
    }

    private int CountSealedCredentials()
    {
        using var db = _database.OpenConnectionAsync(CancellationToken.None).GetAwaiter().GetResult();
        using var count = db.Command("SELECT (SELECT COUNT(*) FROM connection_secrets) + (SELECT COUNT(*) FROM remediation_credentials) + (SELECT COUNT(*) FROM alert_channels);");
        return (int)(long)count.ExecuteScalar()!;
    }

    private void RequireWritable()
    {
        if (_database.IsReadOnly)
        {
            throw new InvalidOperationException(VigilHome.ReadOnlyMessage(Path.GetDirectoryName(_database.Path)!));
        }
    }
}
