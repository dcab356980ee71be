using Microsoft.Data.Sqlite;
using Vigil.Core.Sync;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore
{
    public async Task HoldSnapshotAsync(string runId, string holder, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var hold = Tenant(db, """
            INSERT INTO snapshot_holds (organisation_id, run_id, holder, created_at)
            SELECT $org, $run_id, $holder, $at WHERE EXISTS (SELECT 1 FROM sync_runs WHERE id = $run_id AND organisation_id = $org)
            ON CONFLICT DO NOTHING;
            """);
        hold.Parameters.AddWithValue("$run_id", runId);
        hold.Parameters.AddWithValue("$holder", holder);
        hold.Parameters.AddWithValue("$at", Db.Time(_time.GetUtcNow()));
        if (await hold.ExecuteNonQueryAsync(ct) == 0 && await GetRunAsync(runId, ct) is null)
        {
            throw new KeyNotFoundException($"There is no sync run {runId}.");
        }
    }

    public async Task<RetentionResult> PruneSnapshotsAsync(DateTimeOffset before, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();

        var commits = new List<RetentionCommit>();
        await using (var select = Tenant(db, """
            SELECT c.id, c.connection_id, c.stage, r.seq, r.id, r.started_at, r.status,
                   EXISTS (SELECT 1 FROM snapshot_holds h WHERE h.organisation_id = $org AND h.run_id = r.id)
            FROM stage_commits c JOIN sync_runs r ON r.id = c.run_id
            WHERE c.organisation_id = $org
            ORDER BY c.id;
            """, transaction))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                commits.Add(new RetentionCommit(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    Db.ParseTime(reader.GetString(5)), Db.ParseSyncStatus(reader.GetString(6)), reader.GetInt64(7) != 0));
            }
        }

        var prune = Retention.CommitsToPrune(commits, before);
        var auditLog = await PruneAuditLogAsync(db, transaction, before, ct);
        if (prune.Count == 0)
        {
            await transaction.CommitAsync(ct);
            return new RetentionResult(0, 0, 0, auditLog);
        }

        await using (var defer = db.Command("PRAGMA defer_foreign_keys = ON;", transaction))
        {
            await defer.ExecuteNonQueryAsync(ct);
        }

        var children = (await TenantTablesAsync(db, transaction, ct)).CommitChildren;
        foreach (var chunk in prune.Chunk(500))
        {
            // Commit ids come from this store's own query, never from input, so inlining them is safe.
            var ids = string.Join(", ", chunk.Select(c => c.Id));
            foreach (var child in children)
            {
                await using var delete = db.Command($"DELETE FROM {child} WHERE commit_id IN ({ids});", transaction);
                await delete.ExecuteNonQueryAsync(ct);
            }

            await using var deleteCommits = Tenant(db, $"DELETE FROM stage_commits WHERE organisation_id = $org AND id IN ({ids});", transaction);
            await deleteCommits.ExecuteNonQueryAsync(ct);
        }

        var bodies = await DeleteUnusedEvidenceBodiesAsync(db, transaction, ct);
        await transaction.CommitAsync(ct);
        return new RetentionResult(prune.Select(c => c.RunId).Distinct(StringComparer.Ordinal).Count(), prune.Count, bodies, auditLog);
    }

    /// <summary>
    /// Audit log entries the sync stored follow the snapshots' retention: an entry logged before the cutoff goes, unless a
    /// held run (review campaign, report) could show it, i.e. it was read no later than that run ended (<see cref="StoredRows.AuditLogRetained"/>).
    /// </summary>
    private async Task<int> PruneAuditLogAsync(SqliteConnection db, SqliteTransaction transaction, DateTimeOffset before, CancellationToken ct)
    {
        await using var delete = Tenant(db, $"DELETE FROM audit_log_entries WHERE organisation_id = $org AND logged_at < $before AND {StoredRows.AuditLogRetained};", transaction);
        delete.Parameters.AddWithValue("$before", Db.Time(before));
        return await delete.ExecuteNonQueryAsync(ct);
    }
}
