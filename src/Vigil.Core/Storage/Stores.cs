using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Sync;
using Vigil.Core.Systems;

namespace Vigil.Core.Storage;

// The persistence seams. SQLite implements them today (Vigil.Storage); PostgreSQL implements the same
// interfaces later, so Core, the connector and the CLI never change with the database.

/// <summary>Connections and their encrypted credentials.</summary>
public interface IConnectionStore
{
    /// <summary>Adds or replaces the connection with this name; the secret is encrypted before it is written.</summary>
    Task SaveAsync(Connection connection, Secret secret, CancellationToken ct);
    Task<IReadOnlyList<Connection>> ListAsync(CancellationToken ct);
    Task<Connection?> FindAsync(string name, CancellationToken ct);
    Task<Secret> ReadSecretAsync(string connectionId, CancellationToken ct);
    Task<bool> RemoveAsync(string name, CancellationToken ct);
    Task RecordTestAsync(string connectionId, DateTimeOffset at, string summary, CancellationToken ct);
    Task RememberEndedEndpointAsync(string connectionId, string endpoint, CancellationToken ct);
}

/// <summary>Sync runs and the snapshots their stages commit.</summary>
public interface ISyncStore
{
    Task<SyncRun> StartRunAsync(string trigger, DateTimeOffset startedAt, CancellationToken ct);

    /// <summary>Replaces the connection's current access data in one transaction; nothing is visible before it commits.</summary>
    Task CommitAccessStageAsync(string runId, string connectionId, AccessStageData data, DateTimeOffset committedAt, CancellationToken ct);

    /// <summary>Replaces the connection's current infrastructure data in one transaction.</summary>
    Task CommitInfraStageAsync(string runId, string connectionId, InfraStageData data, DateTimeOffset committedAt, CancellationToken ct);

    /// <summary>Records the run's final status, counts, stages and skipped reads.</summary>
    Task FinishRunAsync(SyncRun run, CancellationToken ct);

    Task<SyncRun?> GetRunAsync(string runId, CancellationToken ct);
    Task<IReadOnlyList<SyncRun>> ListRunsAsync(int limit, CancellationToken ct);

    /// <summary>The last committed data of every stage of every connection; null before any stage committed.</summary>
    Task<Snapshot?> LoadCurrentSnapshotAsync(CancellationToken ct);

    /// <summary>The data as it stood right after the given run (for evidence and re-evaluation).</summary>
    Task<Snapshot?> LoadSnapshotAsync(string runId, CancellationToken ct);
}

/// <summary>The staff directory, identity mappings and critical systems.</summary>
public interface IDirectoryStore
{
    Task<IReadOnlyList<Person>> ListPeopleAsync(CancellationToken ct);

    /// <summary>Inserts or updates people by email in one transaction. Never deletes.</summary>
    Task UpsertPeopleAsync(IReadOnlyList<Person> people, CancellationToken ct);

    Task<IReadOnlyList<IdentityMapping>> ListMappingsAsync(CancellationToken ct);
    Task SaveMappingAsync(IdentityMapping mapping, CancellationToken ct);
    Task<bool> RemoveMappingAsync(string memberEmail, CancellationToken ct);

    Task<CriticalSystem?> FindSystemAsync(string name, CancellationToken ct);
    Task SaveSystemAsync(CriticalSystem system, CancellationToken ct);

    /// <summary>Every account's dashboard-SSO declaration (`vigil accounts sso`).</summary>
    Task<IReadOnlyList<SsoDeclaration>> ListSsoDeclarationsAsync(CancellationToken ct);

    /// <summary>Adds or replaces the declaration of its account.</summary>
    Task SaveSsoDeclarationAsync(SsoDeclaration declaration, CancellationToken ct);

    /// <summary>Removes the account's declaration; false when it had none.</summary>
    Task<bool> RemoveSsoDeclarationAsync(string accountId, CancellationToken ct);
    /// <summary>Every person by email (case-insensitive order), read as they are consumed, never all at once.</summary>
    IAsyncEnumerable<Person> StreamPeopleAsync(CancellationToken ct);
}

/// <summary>Check results, stored with the snapshot they judged.</summary>
public interface IEvaluationStore
{
    Task SaveEvaluationAsync(Evaluation evaluation, CancellationToken ct);
    Task<Evaluation?> LoadLatestEvaluationAsync(string snapshotId, CancellationToken ct);
}

/// <summary>Organisation settings as key/value text; <see cref="Settings.OrganisationSettings"/> gives them types and defaults.</summary>
public interface ISettingsStore
{
    /// <summary>Every stored key with its text value; keys never set are absent.</summary>
    Task<IReadOnlyDictionary<string, string>> ListSettingsAsync(CancellationToken ct);

    /// <summary>Adds or replaces one key's value. The caller validates the value first.</summary>
    Task SaveSettingAsync(string key, string value, CancellationToken ct);
}

/// <summary>Every stored evaluation, for check results over time (`vigil history`).</summary>
public interface IEvaluationHistoryStore
{
    /// <summary>The organisation's evaluations, oldest first (in the order they were stored), read as they are consumed.</summary>
    IAsyncEnumerable<Evaluation> StreamEvaluationsAsync(CancellationToken ct);

    /// <summary>
    /// The newest evaluation of each of the <paramref name="limit"/> snapshots evaluated last, newest first, with its
    /// failing-finding count and without its results (the overview's trend).
    /// </summary>
    Task<IReadOnlyList<EvaluationSummary>> ListEvaluationSummariesAsync(int limit, CancellationToken ct);
}

/// <summary>One stored evaluation without its results.</summary>
/// <param name="Failing">Its findings with status fail; null when it was stored before the count was kept.</param>
public sealed record EvaluationSummary(string SnapshotId, DateTimeOffset EvaluatedAt, int? Failing);
