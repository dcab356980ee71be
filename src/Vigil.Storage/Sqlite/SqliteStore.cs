using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL) holding connections, sync history with every stage's data and raw
/// evidence, the staff directory and evaluations. Safe to share across threads; each call uses its own pooled connection.
/// </summary>
public sealed partial class SqliteStore : IConnectionStore, ISyncStore, IDirectoryStore, IEvaluationStore, IAsyncDisposable
{
    private readonly SqliteDatabase _database;
    private readonly MasterKey _masterKey;
    private readonly TimeProvider _time;
    private readonly RunOwner _owner;

    private SqliteStore(SqliteDatabase database, MasterKey masterKey, TimeProvider time, RunOwner owner)
    {
        _database = database;
        _masterKey = masterKey;
        _time = time;
        _owner = owner;
    }

    public string DatabasePath => _database.Path;

    /// <summary>Opens (creating if needed) the database file and applies pending migrations.</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer Vigil.</exception>
    public static Task<SqliteStore> OpenAsync(string databasePath, MasterKey masterKey, TimeProvider time, CancellationToken ct) =>
        OpenAsync(databasePath, masterKey, time, RunOwner.CurrentProcess, ct);

    /// <summary>Opens the store in the Vigil home folder ($VIGIL_HOME, else ~/.vigil) with the master key from the environment or key file.</summary>
    public static Task<SqliteStore> OpenInHomeAsync(string? home, TimeProvider time, CancellationToken ct)
    {
        var folder = VigilHome.Resolve(home);
        return OpenAsync(VigilHome.DatabasePath(folder), MasterKey.LoadOrCreate(folder), time, ct);
    }

    internal static async Task<SqliteStore> OpenAsync(string databasePath, MasterKey masterKey, TimeProvider time, RunOwner owner, CancellationToken ct)
    {
        var database = await SqliteDatabase.OpenAsync(databasePath, time, ct);
        return new SqliteStore(database, masterKey, time, owner);
    }

    public ValueTask DisposeAsync()
    {
        _database.ReleaseFile();
        return ValueTask.CompletedTask;
    }
}
