using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Cli;

/// <summary>Opens the store in VIGIL_HOME (default ~/.vigil) for one command.</summary>
internal static class CliStore
{
    public static Task<SqliteStore> OpenAsync(CancellationToken ct) => SqliteStore.OpenInHomeAsync(null, TimeProvider.System, ct);

    /// <summary>Evaluates and stores the results; on a read-only home it evaluates without storing (and says so).</summary>
    public static ComplianceEvaluator Evaluator(SqliteStore store) =>
        new(store, store, store.IsReadOnly ? new NotStored(store) : store, TimeProvider.System);

    private sealed class NotStored(IEvaluationStore reader) : IEvaluationStore
    {
        public Task SaveEvaluationAsync(Evaluation evaluation, CancellationToken ct)
        {
            Console.Error.WriteLine("vigil: note: the Vigil home is read-only, so this evaluation was printed but not stored");
            return Task.CompletedTask;
        }

        public Task<Evaluation?> LoadLatestEvaluationAsync(string snapshotId, CancellationToken ct) => reader.LoadLatestEvaluationAsync(snapshotId, ct);
    }
}
