using Vigil.Core.Organisations;
using Vigil.Core.Storage;

namespace Vigil.Storage;

/// <summary>
/// One Vigil database (the embedded SQLite file, or PostgreSQL) opened for one organisation. Every tenant call is about
/// <see cref="Organisation"/>: an instance is bound to it when made and every statement it runs carries its id, so no
/// call can read or write another organisation's rows. <see cref="ForOrganisation"/> gives a view for another
/// organisation over the same connections.
/// </summary>
public interface IVigilStore : IConnectionStore, ISyncStore, IDirectoryStore, IEvaluationStore, ISettingsStore, IOrganisationStore, IAsyncDisposable, IEvaluationHistoryStore, IAlertStore
{
    /// <summary>The organisation every tenant call of this instance is about.</summary>
    Organisation Organisation { get; }

    /// <summary>"sqlite" or "postgresql".</summary>
    string Engine { get; }

    /// <summary>Where the data lives, for messages: the database file, or host, port and database (never a password).</summary>
    string Location { get; }

    /// <summary>True when writes are refused (a read-only SQLite home); reads still work.</summary>
    bool IsReadOnly { get; }

    /// <summary>Loads the master key now, so a missing or damaged key stops a command before it starts work.</summary>
    void RequireMasterKey();

    /// <summary>Refuses, as StartRunAsync would, while another sync that this one must not overlap is running.</summary>
    /// <exception cref="SyncAlreadyRunningException">Another sync is running.</exception>
    Task EnsureNoSyncRunningAsync(CancellationToken ct);

    /// <summary>The raw API responses a run committed, in the order received per stage, streamed.</summary>
    IAsyncEnumerable<StoredEvidence> ReadEvidenceAsync(string runId, CancellationToken ct);

    /// <summary>
    /// Keeps a run's snapshot out of retention pruning for as long as the holder exists (a review campaign, a report
    /// manifest). Holding twice with the same holder is one hold.
    /// </summary>
    /// <param name="holder">What needs the snapshot, e.g. "campaign 0191…" or "report 2026-11-30T10:00Z".</param>
    Task HoldSnapshotAsync(string runId, string holder, CancellationToken ct);

    /// <summary>
    /// Retention: deletes the snapshots of runs that started before <paramref name="before"/> (their stage commits, rows,
    /// gaps and evidence payloads, and the evidence bodies no kept payload uses), in one transaction. Never deletes a
    /// connection's current data, a held snapshot, a running run, or an evaluation's run record.
    /// </summary>
    Task<RetentionResult> PruneSnapshotsAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>
    /// The same database, bound to another organisation. The database closes when this store and every view made from it
    /// have been disposed, so a view may outlive the store it came from.
    /// </summary>
    IVigilStore ForOrganisation(Organisation organisation);

    /// <summary>
    /// A cheap stamp of what the read models are built from (one statement, no rows loaded): equal stamps mean the
    /// current snapshot and the newest evaluation have not changed, so a cache built from them is still true.
    /// </summary>
    Task<DataVersion> ReadDataVersionAsync(CancellationToken ct);
}

/// <summary>What the current snapshot and the newest evaluation were built from, to tell when a cached read model is stale.</summary>
/// <param name="LastCommit">The newest stage commit's id (0: none).</param>
/// <param name="LastRemoval">The newest connection removal's id (0: none); a removal changes the current snapshot without a commit.</param>
/// <param name="Connections">How many connections the organisation has.</param>
/// <param name="LastEvaluation">The newest stored evaluation's id (0: none).</param>
/// <param name="EvaluatedSnapshotId">The snapshot that evaluation judged; null when none.</param>
public sealed record DataVersion(long LastCommit, long LastRemoval, long Connections, long LastEvaluation, string? EvaluatedSnapshotId);

/// <summary>What one retention pass removed.</summary>
/// <param name="Runs">Runs whose snapshot rows were deleted (the run records themselves stay, as history).</param>
/// <param name="Commits">Stage commits deleted.</param>
/// <param name="EvidenceBodies">Distinct evidence bodies no longer referenced and deleted.</param>
/// <param name="AuditLogEntries">Audit log entries deleted: logged before the cutoff and read by no held run.</param>
public sealed record RetentionResult(int Runs, int Commits, int EvidenceBodies, int AuditLogEntries = 0);

/// <summary>Counts the users of one opened database (a store and its organisation views): the last to leave closes it.</summary>
internal sealed class SharedLifetime
{
    private int _users = 1;

    public void AddUser() => Interlocked.Increment(ref _users);

    /// <summary>True for the last user, who must release the database.</summary>
    public bool RemoveUser() => Interlocked.Decrement(ref _users) == 0;
}
