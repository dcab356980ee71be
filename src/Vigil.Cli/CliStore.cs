using Vigil.Core.Checks;
using Vigil.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Cli;

/// <summary>Opens the store in VIGIL_HOME (default ~/.vigil) for one command.</summary>
internal static class CliStore
{
    public static Task<SqliteStore> OpenAsync(CancellationToken ct) => SqliteStore.OpenInHomeAsync(null, TimeProvider.System, ct);

    public static ComplianceEvaluator Evaluator(SqliteStore store) => new(store, store, store, TimeProvider.System);
}
