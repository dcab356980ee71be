using Vigil.Core.Checks;
using Vigil.Core.History;
using Vigil.Storage;

namespace Vigil.App.History;

/// <summary>
/// Check results over time and what changed between two snapshots: the operations behind `vigil history`, `vigil diff`
/// and the web API's history and diff endpoints.
/// </summary>
public static class HistoryOperations
{
    /// <summary>
    /// One row per stored evaluation and check, oldest evaluation first; with <paramref name="checkId"/>, that check's
    /// rows only. Each evaluation is summarised as it is read, so the history of a large organisation is never held whole.
    /// </summary>
    /// <exception cref="OperationException">The check id is neither in the catalogue nor in any stored evaluation.</exception>
    public static async Task<IReadOnlyList<CheckHistoryRow>> CheckHistoryAsync(IVigilStore store, string? checkId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var id = checkId?.Trim();
        if (id is { Length: 0 })
        {
            throw new InvalidRequestException("--check needs a check id, e.g. cloudflare.zone-min-tls-1-2 ('vigil checks --list' lists them)", "check");
        }
        var known = id is null || CheckCatalog.Find(id) is not null || CheckCatalog.Retired.Contains(id, StringComparer.OrdinalIgnoreCase);
        var rows = new List<CheckHistoryRow>();
        await foreach (var evaluation in store.StreamEvaluationsAsync(ct))
        {
            rows.AddRange(CheckHistoryRow.Of(evaluation, id));
        }
        if (!known && rows.Count == 0)
        {
            throw new OperationException($"there is no check '{id}': 'vigil checks --list' lists the checks");
        }
        return rows;
    }

    /// <summary>Compares the data as it stood after run <paramref name="fromSnapshotId"/> with the data after run <paramref name="toSnapshotId"/>.</summary>
    /// <exception cref="OperationException">Either snapshot id is unknown (or its data was pruned by retention).</exception>
    public static async Task<SnapshotDiff> DiffAsync(IVigilStore store, string fromSnapshotId, string toSnapshotId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var from = await LoadAsync(store, fromSnapshotId, ct);
        var to = await LoadAsync(store, toSnapshotId, ct);
        return SnapshotDiff.Between(from, to);
    }

    private static async Task<Core.Sync.Snapshot> LoadAsync(IVigilStore store, string? snapshotId, CancellationToken ct)
    {
        var id = snapshotId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            throw new InvalidRequestException("a snapshot id is needed: 'vigil runs' lists them", "snapshot");
        }
        if (await store.GetRunAsync(id, ct) is null)
        {
            throw new OperationException($"there is no snapshot '{id}': 'vigil runs' lists the snapshot ids");
        }
        return await store.LoadSnapshotAsync(id, ct)
            ?? throw new OperationException($"snapshot '{id}' holds no data: its run committed nothing, or retention has removed it");
    }
}
