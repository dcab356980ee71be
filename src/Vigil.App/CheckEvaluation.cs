using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Storage;

namespace Vigil.App;

/// <summary>Evaluating the checks on an organisation's current snapshot, the same for every trigger.</summary>
public static class CheckEvaluation
{
    /// <summary>
    /// Evaluates and stores the results. On a read-only home it evaluates without storing and calls
    /// <paramref name="notStored"/> with a line saying so.
    /// </summary>
    public static ComplianceEvaluator Evaluator(IVigilStore store, TimeProvider time, Action<string>? notStored = null) =>
        new(store, store, store.IsReadOnly ? new NotStored(store, notStored) : store, time);

    private sealed class NotStored(IEvaluationStore reader, Action<string>? say) : IEvaluationStore
    {
        public Task SaveEvaluationAsync(Evaluation evaluation, CancellationToken ct)
        {
            say?.Invoke("the Vigil home is read-only, so this evaluation was printed but not stored");
            return Task.CompletedTask;
        }

        public Task<Evaluation?> LoadLatestEvaluationAsync(string snapshotId, CancellationToken ct) => reader.LoadLatestEvaluationAsync(snapshotId, ct);
    }
}
