using Npgsql;

namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <summary>Keeps a run's snapshot out of pruning while the holder exists; holding twice with the same holder is one hold.</summary>
    /// <exception cref="KeyNotFoundException">The organisation has no such run.</exception>
    public async Task HoldSnapshotAsync(string runId, string holder, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        await using var tenant = await BeginAsync(ct);
        await using var hold = tenant.Command("""
            INSERT INTO snapshot_holds (organisation_id, run_id, holder, created_at) VALUES (@org, @run_id, @holder, @created_at)
            ON CONFLICT (organisation_id, run_id, holder) DO NOTHING;
            """);
        hold.Parameters.AddWithValue("run_id", runId);
        hold.Parameters.AddWithValue("holder", holder);
        hold.Parameters.AddWithValue("created_at", Db.Time(_time.GetUtcNow()));
        try
        {
            await hold.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new KeyNotFoundException($"There is no sync run {runId}.", e);
        }

        await tenant.CommitAsync(ct);
    }

    /// <summary>
    /// Deletes, in one transaction, the stage commits (rows, gaps, evidence payloads) of finished, unheld runs that started
    /// before <paramref name="before"/>, except every commit some kept snapshot is made of: the current snapshot (the
    /// newest commit of each existing connection and stage) and the as-of snapshot of every kept run (held, running, or
    /// started since), which may take a stage from an older run. Then the evidence bodies no payload uses any more.
    /// Run records and evaluations stay.
    /// </summary>
    public async Task<RetentionResult> PruneSnapshotsAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, System.Data.IsolationLevel.Serializable);

        // A commit C of (connection, stage) is the newest of its pair for every run from C's run up to (not including)
        // the run of the next commit of that pair: it is needed when a kept run falls in that range, or when it is the
        // newest of its pair and the connection exists (current data).
        var prunable = new List<(long CommitId, string RunId)>();
        await using (var select = tenant.Command("""
            WITH runs AS (
                SELECT r.seq, r.id,
                       (r.started_at < @before AND r.status <> 'running'
                        AND NOT EXISTS (SELECT 1 FROM snapshot_holds h WHERE h.organisation_id = @org AND h.run_id = r.id)) AS prunable
                FROM sync_runs r WHERE r.organisation_id = @org
            ),
            commits AS (
                SELECT c.id, c.run_id, c.connection_id, r.seq AS run_seq, r.prunable,
                       MIN(r.seq) OVER (PARTITION BY c.connection_id, c.stage ORDER BY c.id
                                        ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_seq
                FROM stage_commits c JOIN runs r ON r.id = c.run_id
                WHERE c.organisation_id = @org
            )
            SELECT c.id, c.run_id FROM commits c
            WHERE c.prunable
              AND NOT (c.next_seq IS NULL AND EXISTS (SELECT 1 FROM connections k WHERE k.organisation_id = @org AND k.id = c.connection_id))
              AND NOT EXISTS (SELECT 1 FROM runs k WHERE NOT k.prunable AND k.seq >= c.run_seq AND (c.next_seq IS NULL OR k.seq < c.next_seq))
            ORDER BY c.id;
            """))
        {
            select.Parameters.AddWithValue("before", Db.Time(before));
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                prunable.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        var ids = prunable.Select(p => p.CommitId).ToArray();
        if (ids.Length > 0)
        {
            foreach (var table in new[] { "snapshot_accounts", "snapshot_roles", "snapshot_members", "snapshot_zones", "snapshot_account_rulesets", "snapshot_gaps", "evidence_payloads", "stage_commits" })
            {
                var key = table == "stage_commits" ? "id" : "commit_id";
                await using var delete = tenant.Command($"DELETE FROM {table} WHERE organisation_id = @org AND {key} = ANY(@ids);");
                delete.Parameters.AddWithValue("ids", ids);
                await delete.ExecuteNonQueryAsync(ct);
            }
        }

        int auditLog;
        await using (var prune = tenant.Command(
            $"DELETE FROM audit_log_entries WHERE organisation_id = @org AND logged_at < @before AND {StoredRows.AuditLogRetained.Replace("$org", "@org", StringComparison.Ordinal)};"))
        {
            // Audit log entries follow the snapshots' retention (StoredRows.AuditLogRetained says which a held run keeps).
            prune.Parameters.AddWithValue("before", Db.Time(before));
            auditLog = await prune.ExecuteNonQueryAsync(ct);
        }

        int bodies;
        await using (var orphans = tenant.Command("""
            DELETE FROM evidence_bodies b WHERE b.organisation_id = @org
              AND NOT EXISTS (SELECT 1 FROM evidence_payloads p WHERE p.organisation_id = b.organisation_id AND p.body_sha256 = b.sha256);
            """))
        {
            bodies = await orphans.ExecuteNonQueryAsync(ct);
        }

        await tenant.CommitAsync(ct);
        return new RetentionResult(prunable.Select(p => p.RunId).Distinct(StringComparer.Ordinal).Count(), ids.Length, bodies, auditLog);
    }
}
