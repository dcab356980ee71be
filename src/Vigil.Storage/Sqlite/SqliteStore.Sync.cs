using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore
{
    internal const string InterruptedReason = "interrupted: the process ended before the run finished";

    private const string RunColumns =
        "id, trigger, started_at, ended_at, status, reason, accounts, members, zones, api_calls, rate_limited, stages, skipped, owner, coverage, worker";

    /// <summary>
    /// Starts a run, one at a time per database: while a run of a live process is "running" this refuses, naming that run
    /// and its process. Runs left "running" by a process that no longer exists (crash, kill -9) are first marked failed
    /// (interrupted). The check and the new row share one write transaction, so two syncs starting together cannot both pass.
    /// The database's integrity is checked first, so a damaged file stops the sync before anything is written.
    /// </summary>
    /// <exception cref="SyncAlreadyRunningException">Another process's sync is running.</exception>
    public async Task<SyncRun> StartRunAsync(string trigger, DateTimeOffset startedAt, CancellationToken ct)
    {
        RequireWritable();
        await CheckIntegrityAsync(ct);
        var runLock = TryLockSyncs();
        try
        {
            var run = await StartRunAsync(trigger, startedAt, runLock is not null, ct);
            if (runLock is not null)
            {
                _runLocks[run.Id] = runLock;
            }
            return run;
        }
        catch
        {
            runLock?.Dispose();
            throw;
        }
    }

    private async Task<SyncRun> StartRunAsync(string trigger, DateTimeOffset startedAt, bool locked, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();

        var interrupted = new List<string>();
        var live = await FindRunningAsync(db, transaction, interrupted, ct);
        if (live is not null)
        {
            throw new SyncAlreadyRunningException(DescribeRunning(live.Value.Id, live.Value.Owner, live.Value.StartedAt));
        }

        if (!locked)
        {
            // The lock's holder lives (the kernel frees a dead process's lock), even if its run looks dead from here
            // (another container's host name): name that run, and mark nothing interrupted.
            throw new SyncAlreadyRunningException(await DescribeLockHolderAsync(db, transaction, ct));
        }

        await using (var fail = db.Command("UPDATE sync_runs SET status = 'failed', reason = $reason WHERE id = $id;", transaction))
        {
            var id = fail.Parameter("$id");
            fail.Parameters.AddWithValue("$reason", InterruptedReason);
            foreach (var runId in interrupted)
            {
                id.Value = runId;
                await fail.ExecuteNonQueryAsync(ct);
            }
        }

        var run = new SyncRun(Guid.CreateVersion7(startedAt).ToString(), trigger, startedAt, null, SyncStatus.Running, null, SyncCounts.Zero, [], [], Worker: WorkerIdentity.Name);
        await using (var insert = Tenant(db, """
            INSERT INTO sync_runs (organisation_id, id, trigger, owner, started_at, status, worker) VALUES ($org, $id, $trigger, $owner, $started_at, 'running', $worker);
            """, transaction))
        {
            insert.Parameters.AddWithValue("$id", run.Id);
            insert.Parameters.AddWithValue("$trigger", trigger);
            insert.Parameters.AddWithValue("$owner", _owner.Value);
                    insert.Parameters.AddWithValue("$worker", WorkerIdentity.Name);
            insert.Parameters.AddWithValue("$started_at", Db.Time(startedAt));
            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return run;
    }

    /// <summary>Refuses, as <see cref="StartRunAsync"/> would, while another process's sync is running (for commands that prepare a sync).</summary>
    /// <exception cref="SyncAlreadyRunningException">Another process's sync is running.</exception>
    public async Task EnsureNoSyncRunningAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        if (await FindRunningAsync(db, null, [], ct) is { } live)
        {
            throw new SyncAlreadyRunningException(DescribeRunning(live.Id, live.Owner, live.StartedAt));
        }

        if (!_database.IsReadOnly)
        {
            using var probe = TryLockSyncs() ?? throw new SyncAlreadyRunningException(await DescribeLockHolderAsync(db, null, ct));
        }
    }

    /// <summary>The lock file beside the database that a sync holds for its whole run.</summary>
    public string SyncLockPath => _database.Path + SyncLockSuffix;

    internal const string SyncLockSuffix = ".sync-lock";

    // An exclusive lock (flock on Unix) on a file beside the database, held from the run's start to its finish. The kernel
    // releases it when the process ends however it ends (kill -9 included), and it holds across containers sharing the
    // home, where the host name in a run's owner differs and its process cannot be looked up.
    private FileStream? TryLockSyncs()
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new FileStream(SyncLockPath, options);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<string> DescribeLockHolderAsync(SqliteConnection db, SqliteTransaction? transaction, CancellationToken ct)
    {
        await using var newest = db.Command("SELECT id, owner, started_at FROM sync_runs WHERE status = 'running' ORDER BY seq DESC LIMIT 1;", transaction);
        await using var reader = await newest.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? DescribeRunning(reader.GetString(0), new RunOwner(reader.GetString(1)), Db.ParseTime(reader.GetString(2)))
            : $"another sync is starting on this Vigil home (it holds {SyncLockPath}); wait for it to finish (see 'vigil runs'), then sync again.";
    }

    // The live "running" run, if any; the ids of dead owners' runs go to `interrupted`.
    private static async Task<(string Id, RunOwner Owner, DateTimeOffset StartedAt)?> FindRunningAsync(
        SqliteConnection db, SqliteTransaction? transaction, List<string> interrupted, CancellationToken ct)
    {
        (string, RunOwner, DateTimeOffset)? live = null;
        await using var running = db.Command("SELECT id, owner, started_at FROM sync_runs WHERE status = 'running' ORDER BY seq;", transaction);
        await using var reader = await running.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var owner = new RunOwner(reader.GetString(1));
            if (owner.IsAlive())
            {
                live ??= (reader.GetString(0), owner, Db.ParseTime(reader.GetString(2)));
            }
            else
            {
                interrupted.Add(reader.GetString(0));
            }
        }

        return live;
    }

    private static string DescribeRunning(string runId, RunOwner owner, DateTimeOffset startedAt) =>
        $"another sync is running on this Vigil home: run {runId}, {owner.Describe()}, started at {startedAt:yyyy-MM-dd HH:mm:ss} UTC. " +
        "Vigil runs one sync at a time so that together they stay within half of Cloudflare's rate limit; wait for it to finish " +
        "(see 'vigil runs') or stop that process, then sync again.";

    public Task CommitAccessStageAsync(string runId, string connectionId, AccessStageData data, DateTimeOffset committedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        return CommitStageAsync(runId, connectionId, SyncStageKind.Access, committedAt, data.Gaps, data.Evidence, data.AuditLogRead, (db, transaction, commitId) =>
        {
            InsertRows(db, transaction, commitId, "snapshot_accounts",
                ["account_id", "name", "enforce_two_factor", "connection_id", "sso_connectors"], data.Accounts,
                a => [a.Id, a.Name, Db.OrNull(a.EnforceTwoFactor), a.ConnectionId, a.SsoConnectors is { } sso ? Db.Json(sso) : DBNull.Value], ct);
            InsertRows(db, transaction, commitId, "snapshot_roles",
                ["role_id", "account_id", "name", "description", "permissions"], data.Roles,
                r => [r.Id, r.AccountId, r.Name, Db.OrNull(r.Description), Db.Json(r.Permissions)], ct);
            InsertRows(db, transaction, commitId, "snapshot_members",
                ["member_id", "account_id", "user_id", "email", "first_name", "last_name", "status", "two_factor_enabled", "roles", "policies", "status_text",
                 "first_seen_at", "observed_at"],
                data.Members,
                m => [m.Id, m.AccountId, Db.OrNull(m.UserId), m.Email, Db.OrNull(m.FirstName), Db.OrNull(m.LastName),
                      Db.Text(m.Status), Db.OrNull(m.TwoFactorEnabled), Db.Json(m.Roles), Db.Json(m.Policies), Db.OrNull(m.StatusText),
                      Db.TimeOrNull(m.FirstSeenAt), Db.TimeOrNull(m.ObservedAt)], ct);
            if (data.AccountTokens is { } tokens)
            {
                MarkAccountTokensRead(db, transaction, commitId);
                InsertRows(db, transaction, commitId, "snapshot_account_tokens",
                    ["token_id", "account_id", "name", "status", "issued_on", "modified_on", "not_before", "expires_on", "last_used_on",
                     "allowed_ips", "denied_ips", "creator_email", "policies"],
                    tokens,
                    t => [t.Id, t.AccountId, t.Name, Db.OrNull(t.Status), Db.TimeOrNull(t.IssuedOn), Db.TimeOrNull(t.ModifiedOn), Db.TimeOrNull(t.NotBefore),
                          Db.TimeOrNull(t.ExpiresOn), Db.TimeOrNull(t.LastUsedOn), Db.Json(t.AllowedIps), Db.Json(t.DeniedIps), Db.OrNull(t.CreatorEmail),
                          Db.Json(t.Policies)], ct);
            }
            InsertAuditLog(db, transaction, data.AuditLog, committedAt);
        }, ct);
    }

    /// <summary>Keeps audit log entries once per (account, entry id): an entry read again in the overlap of the next sync is not duplicated.</summary>
    private void InsertAuditLog(SqliteConnection db, SqliteTransaction transaction, IReadOnlyList<AuditLogEntry>? entries, DateTimeOffset readAt)
    {
        if (entries is not { Count: > 0 })
        {
            return;
        }
        using var insert = Tenant(db, """
            INSERT INTO audit_log_entries (organisation_id, account_id, entry_id, logged_at, action, resource_type, resource_id, zone_id,
                actor_email, actor_type, method, path, result, read_at, subject_email)
            VALUES ($org, $p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13)
            ON CONFLICT DO NOTHING;
            """, transaction);
        var parameters = Enumerable.Range(0, 14).Select(i => insert.Parameter("$p" + i)).ToArray();
        foreach (var e in entries)
        {
            object?[] values = [e.AccountId, e.Id, Db.Time(e.Time), e.Action, Db.OrNull(e.ResourceType), Db.OrNull(e.ResourceId), Db.OrNull(e.ZoneId),
                Db.OrNull(e.ActorEmail), Db.OrNull(e.ActorType), Db.OrNull(e.Method), Db.OrNull(e.Path), Db.OrNull(e.Result), Db.Time(readAt), Db.OrNull(e.SubjectEmail)];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Records that this access commit read the accounts' tokens, so an empty token list means "none", not "not read".</summary>
    private static void MarkAccountTokensRead(SqliteConnection db, SqliteTransaction transaction, long commitId)
    {
        using var mark = db.Command("UPDATE stage_commits SET account_tokens_read = 1 WHERE id = $id;", transaction);
        mark.Parameters.AddWithValue("$id", commitId);
        mark.ExecuteNonQuery();
    }

    public Task CommitInfraStageAsync(string runId, string connectionId, InfraStageData data, DateTimeOffset committedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        return CommitStageAsync(runId, connectionId, SyncStageKind.Infra, committedAt, data.Gaps, data.Evidence, data.AuditLogRead, (db, transaction, commitId) =>
        {
            InsertRows(db, transaction, commitId, "snapshot_zones",
                ["zone_id", "name", "account_id", "status", "paused", "plan_name", "has_security", "ssl", "min_tls_version",
                 "always_use_https", "hsts_enabled", "hsts_max_age_seconds", "hsts_include_subdomains", "hsts_preload",
                 "security_level", "legacy_waf", "dnssec_status", "entrypoints", "zone_type", "plan_legacy_id",
                 "ssl_page_rules", "hostname_min_tls", "features", "observed_at"],
                data.Zones,
                z => [z.Id, z.Name, z.AccountId, z.Status, z.Paused ? 1L : 0L, Db.OrNull(z.PlanName), z.Security is null ? 0L : 1L,
                      Db.OrNull(z.Security?.Ssl), Db.OrNull(z.Security?.MinTlsVersion), Db.OrNull(z.Security?.AlwaysUseHttps),
                      Db.OrNull(z.Security?.Hsts?.Enabled), Db.OrNull(z.Security?.Hsts?.MaxAgeSeconds),
                      Db.OrNull(z.Security?.Hsts?.IncludeSubdomains), Db.OrNull(z.Security?.Hsts?.Preload),
                      Db.OrNull(z.Security?.SecurityLevel), Db.OrNull(z.Security?.LegacyWaf), Db.OrNull(z.Security?.DnssecStatus),
                      z.Security is null ? DBNull.Value : Db.Json(z.Security.Entrypoints), Db.OrNull(z.Type), Db.OrNull(z.PlanLegacyId),
                      z.Security?.SslPageRules is { } pageRules ? Db.Json(pageRules) : DBNull.Value,
                      z.Security?.HostnameMinTls is { } hostnames ? Db.Json(hostnames) : DBNull.Value,
                      z.Security?.Features is { } features ? Db.Json(features) : DBNull.Value, Db.TimeOrNull(z.ObservedAt)], ct);
            InsertRows(db, transaction, commitId, "snapshot_account_rulesets", ["account_id", "entrypoints"], data.AccountRulesets ?? [],
                a => [a.AccountId, Db.Json(a.Entrypoints)], ct);
            InsertRows(db, transaction, commitId, "snapshot_dns_records",
                ["record_id", "zone_id", "type", "name", "content", "proxied", "ttl", "priority", "caa_flags", "caa_tag", "caa_value", "proxiable"],
                data.DnsRecords ?? [],
                r => [r.Id, r.ZoneId, r.Type, r.Name, r.Content, Db.OrNull(r.Proxied), (long)r.Ttl, Db.OrNull((long?)r.Priority),
                      Db.OrNull((long?)r.Caa?.Flags), Db.OrNull(r.Caa?.Tag), Db.OrNull(r.Caa?.Value), Db.OrNull(r.Proxiable)], ct);
            InsertRows(db, transaction, commitId, "snapshot_account_logpush", ["account_id", "jobs"], data.AccountLogpush ?? [],
                a => [a.AccountId, Db.Json(a.Jobs)], ct);
            InsertAuditLog(db, transaction, data.AuditLog, committedAt);
        }, ct);
    }

    public async Task FinishRunAsync(SyncRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var update = Tenant(db, """
            UPDATE sync_runs SET ended_at = $ended_at, status = $status, reason = $reason, accounts = $accounts, members = $members,
                zones = $zones, api_calls = $api_calls, rate_limited = $rate_limited, stages = $stages, skipped = $skipped,
                coverage = $coverage
            WHERE id = $id AND organisation_id = $org;
            """);
        update.Parameters.AddWithValue("$id", run.Id);
        update.Parameters.AddWithValue("$ended_at", Db.TimeOrNull(run.EndedAt));
        update.Parameters.AddWithValue("$status", Db.Text(run.Status));
        update.Parameters.AddWithValue("$reason", Db.OrNull(run.Reason));
        update.Parameters.AddWithValue("$accounts", run.Counts.Accounts);
        update.Parameters.AddWithValue("$members", run.Counts.Members);
        update.Parameters.AddWithValue("$zones", run.Counts.Zones);
        update.Parameters.AddWithValue("$api_calls", run.Counts.ApiCalls);
        update.Parameters.AddWithValue("$rate_limited", run.Counts.RateLimited);
        update.Parameters.AddWithValue("$stages", Db.Json(run.Stages));
        update.Parameters.AddWithValue("$skipped", Db.Json(run.Skipped));
        update.Parameters.AddWithValue("$coverage", Db.Json(run.Coverage ?? []));
        if (await update.ExecuteNonQueryAsync(ct) == 0)
        {
            throw new KeyNotFoundException($"There is no sync run {run.Id}.");
        }

        if (run.Status != SyncStatus.Running && _runLocks.TryRemove(run.Id, out var runLock))
        {
            await runLock.DisposeAsync();
        }
    }

    public async Task<SyncRun?> GetRunAsync(string runId, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var get = Tenant(db, $"SELECT {RunColumns} FROM sync_runs WHERE id = $id AND organisation_id = $org;");
        get.Parameters.AddWithValue("$id", runId);
        await using var reader = await get.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadRun(reader) : null;
    }

    /// <summary>The newest runs first.</summary>
    public async Task<IReadOnlyList<SyncRun>> ListRunsAsync(int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, $"SELECT {RunColumns} FROM sync_runs WHERE organisation_id = $org ORDER BY seq DESC LIMIT $limit;");
        list.Parameters.AddWithValue("$limit", limit);
        await using var reader = await list.ExecuteReaderAsync(ct);
        var runs = new List<SyncRun>();
        while (await reader.ReadAsync(ct))
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    /// <summary>
    /// The newest access commit and newest infrastructure commit of every connection not removed since.
    /// Id is the newest run among those commits and TakenAt the newest commit time; AccessSyncedAt and InfraSyncedAt
    /// are the OLDEST commit time of that stage across connections, so "synced at" never overstates freshness.
    /// An account, role, member or zone read by two connections appears once, from the newer commit.
    /// </summary>
    public Task<Snapshot?> LoadCurrentSnapshotAsync(CancellationToken ct) => LoadSnapshotAsOfAsync(long.MaxValue, ct);

    /// <summary>The state right after the given run: the newest commits of runs started up to it. Null for an unknown run or when nothing had committed yet.</summary>
    public async Task<Snapshot?> LoadSnapshotAsync(string runId, CancellationToken ct)
    {
        long runSeq;
        await using (var db = await _database.OpenConnectionAsync(ct))
        await using (var find = Tenant(db, "SELECT seq FROM sync_runs WHERE id = $id AND organisation_id = $org;"))
        {
            find.Parameters.AddWithValue("$id", runId);
            if (await find.ExecuteScalarAsync(ct) is not long seq)
            {
                return null;
            }

            runSeq = seq;
        }

        return await LoadSnapshotAsOfAsync(runSeq, ct);
    }

    /// <summary>The raw API responses a run committed, in the order received per stage, streamed (bodies can total megabytes).</summary>
    public async IAsyncEnumerable<StoredEvidence> ReadEvidenceAsync(string runId, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var read = Tenant(db, """
            SELECT c.connection_id, c.stage, p.request, p.received_at, b.body
            FROM stage_commits c
            JOIN evidence_payloads p ON p.commit_id = c.id
            JOIN evidence_bodies b ON b.sha256 = p.body_sha256
            WHERE c.run_id = $run_id AND c.organisation_id = $org
            ORDER BY c.id, p.ordinal;
            """);
        read.Parameters.AddWithValue("$run_id", runId);
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new StoredEvidence(runId, reader.GetString(0), Db.ParseStage(reader.GetString(1)),
                new RawPayload(reader.GetString(2), Db.ParseTime(reader.GetString(3)), reader.GetString(4)));
        }
    }

    private async Task CommitStageAsync(
        string runId,
        string connectionId,
        SyncStageKind stage,
        DateTimeOffset committedAt,
        IReadOnlyList<ReadGap> gaps,
        IReadOnlyList<RawPayload> evidence,
        IReadOnlyList<AuditLogCoverage>? auditLogRead,
        Action<SqliteConnection, SqliteTransaction, long> writeRows,
        CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();

        // Checked inside the write transaction that commits, so a 'connections remove' cannot slip in between: a stage
        // whose connection went away while it was reading is not kept (it would stay current forever, unjudged by anyone).
        await RequireConnectionAsync(db, transaction, connectionId, ct);

        long commitId;
        // The run must be this organisation's: a run id of another reads as no run at all.
        await using (var insert = Tenant(db, """
            INSERT INTO stage_commits (organisation_id, run_id, connection_id, stage, committed_at, audit_log_read)
            SELECT $org, $run_id, $connection_id, $stage, $committed_at, $audit_log_read
            WHERE EXISTS (SELECT 1 FROM sync_runs WHERE id = $run_id AND organisation_id = $org)
            RETURNING id;
            """, transaction))
        {
            insert.Parameters.AddWithValue("$run_id", runId);
            insert.Parameters.AddWithValue("$connection_id", connectionId);
            insert.Parameters.AddWithValue("$stage", Db.Text(stage));
            insert.Parameters.AddWithValue("$committed_at", Db.Time(committedAt));
            insert.Parameters.AddWithValue("$audit_log_read", auditLogRead is null ? DBNull.Value : Db.Json(auditLogRead));
            try
            {
                commitId = await insert.ExecuteScalarAsync(ct) as long? ?? throw new KeyNotFoundException($"There is no sync run {runId}.");
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the run does not exist
            {
                throw new KeyNotFoundException($"There is no sync run {runId}.", e);
            }
        }

        // Rows are written synchronously: SQLite has no async I/O, and tens of thousands of awaits would only add overhead.
        writeRows(db, transaction, commitId);
        InsertRows(db, transaction, commitId, "snapshot_gaps",
            ["stage", "resource_type", "resource_id", "what", "reason", "missing_permission"], gaps,
            g => [g.Stage, g.ResourceType, Db.OrNull(g.ResourceId), g.What, g.Reason, Db.OrNull(g.MissingPermission)], ct);
        InsertEvidence(db, transaction, commitId, evidence, ct);

        await transaction.CommitAsync(ct);
    }

    private async Task RequireConnectionAsync(SqliteConnection db, SqliteTransaction transaction, string connectionId, CancellationToken ct)
    {
        await using var find = Tenant(db, """
            SELECT EXISTS (SELECT 1 FROM connections WHERE id = $id AND organisation_id = $org),
                   (SELECT name FROM connection_removals WHERE connection_id = $id AND organisation_id = $org ORDER BY id DESC LIMIT 1);
            """, transaction);
        find.Parameters.AddWithValue("$id", connectionId);
        await using var reader = await find.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetInt64(0) == 1)
        {
            return;
        }

        throw reader.NullableString(1) is { } removedName
            ? new ConnectionRemovedException($"connection '{removedName}' was removed during the sync; its data was not kept")
            : new KeyNotFoundException($"There is no connection {connectionId}; its data was not kept.");
    }

    /// <summary>One prepared INSERT reused for every row (commit_id and ordinal first, then <paramref name="columns"/>).</summary>
    private static void InsertRows<T>(
        SqliteConnection db,
        SqliteTransaction transaction,
        long commitId,
        string table,
        string[] columns,
        IReadOnlyList<T> rows,
        Func<T, object?[]> values,
        CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", columns);
        var placeholders = string.Join(", ", columns.Select((_, i) => "$p" + i));
        using var insert = db.Command($"INSERT INTO {table} (commit_id, ordinal, {names}) VALUES ($commit_id, $ordinal, {placeholders});", transaction);
        insert.Parameters.AddWithValue("$commit_id", commitId);
        var ordinal = insert.Parameter("$ordinal");
        var parameters = columns.Select((_, i) => insert.Parameter("$p" + i)).ToArray();
        insert.Prepare();

        for (var row = 0; row < rows.Count; row++)
        {
            if (row % 1000 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var rowValues = values(rows[row]);
            ordinal.Value = (long)row;
            for (var i = 0; i < parameters.Length; i++)
            {
                // A null that slipped past nullable annotations reaches the NOT NULL constraint, which names the column.
                parameters[i].Value = rowValues[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }
    }

    private static void InsertEvidence(SqliteConnection db, SqliteTransaction transaction, long commitId, IReadOnlyList<RawPayload> evidence, CancellationToken ct)
    {
        if (evidence.Count == 0)
        {
            return;
        }

        using var body = db.Command("INSERT INTO evidence_bodies (sha256, body) VALUES ($sha256, $body) ON CONFLICT (sha256) DO NOTHING;", transaction);
        var bodyHash = body.Parameter("$sha256");
        var bodyText = body.Parameter("$body");
        body.Prepare();

        using var payload = db.Command("""
            INSERT INTO evidence_payloads (commit_id, ordinal, request, received_at, body_sha256)
            VALUES ($commit_id, $ordinal, $request, $received_at, $sha256);
            """, transaction);
        payload.Parameters.AddWithValue("$commit_id", commitId);
        var ordinal = payload.Parameter("$ordinal");
        var request = payload.Parameter("$request");
        var receivedAt = payload.Parameter("$received_at");
        var payloadHash = payload.Parameter("$sha256");
        payload.Prepare();

        for (var i = 0; i < evidence.Count; i++)
        {
            if (i % 1000 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var item = evidence[i];
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(item.Body)));
            bodyHash.Value = hash;
            bodyText.Value = item.Body;
            body.ExecuteNonQuery();

            ordinal.Value = (long)i;
            request.Value = item.Request;
            receivedAt.Value = Db.Time(item.ReceivedAt);
            payloadHash.Value = hash;
            payload.ExecuteNonQuery();
        }
    }

    private async Task<Snapshot?> LoadSnapshotAsOfAsync(long runSeq, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        // One read transaction: every query below sees the same committed state even while a sync writes.
        await using var transaction = db.BeginTransaction(deferred: true);

        var commits = await LoadCommitsAsOfAsync(db, transaction, runSeq, ct);
        if (commits.Count == 0)
        {
            return null;
        }

        var newest = commits.MaxBy(c => c.RunSeq)!;
        var accessTimes = commits.Where(c => c.Stage == SyncStageKind.Access).Select(c => c.CommittedAt).ToList();
        var infraTimes = commits.Where(c => c.Stage == SyncStageKind.Infra).Select(c => c.CommittedAt).ToList();

        // Rows come newest commit first, so the newer copy of anything two connections both read wins.
        var ids = commits.Select(c => c.Id).ToList();
        var accounts = await ReadRowsAsync(db, transaction, ids, "snapshot_accounts", "account_id, name, enforce_two_factor, connection_id, sso_connectors",
            r => new CloudflareAccount(r.GetString(0), r.GetString(1), r.NullableBool(2), r.GetString(3),
                r.IsDBNull(4) ? null : Db.FromJson<IReadOnlyList<SsoConnector>>(r.GetString(4))), ct);
        var roles = await ReadRowsAsync(db, transaction, ids, "snapshot_roles", "role_id, account_id, name, description, permissions",
            r => new AccountRole(r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), Db.FromJson<IReadOnlyList<string>>(r.GetString(4))), ct);
        var members = await ReadRowsAsync(db, transaction, ids, "snapshot_members",
            "member_id, account_id, user_id, email, first_name, last_name, status, two_factor_enabled, roles, policies, status_text, first_seen_at, observed_at",
            StoredRows.Member, ct);
        // Tokens count only when every current access commit read them: a commit that did not would make its accounts look token-free.
        var accessIds = commits.Where(c => c.Stage == SyncStageKind.Access).Select(c => c.Id).ToList();
        var tokensRead = accessIds.Count > 0 && await CountTokenReadsAsync(db, transaction, accessIds, ct) == accessIds.Count;
        var tokens = !tokensRead ? null : await ReadRowsAsync(db, transaction, accessIds, "snapshot_account_tokens",
            "token_id, account_id, name, status, issued_on, modified_on, not_before, expires_on, last_used_on, allowed_ips, denied_ips, creator_email, policies",
            StoredRows.Token, ct);
        var zones = await ReadRowsAsync(db, transaction, ids, "snapshot_zones",
            "zone_id, name, account_id, status, paused, plan_name, has_security, ssl, min_tls_version, always_use_https, hsts_enabled, " +
            "hsts_max_age_seconds, hsts_include_subdomains, hsts_preload, security_level, legacy_waf, dnssec_status, entrypoints, zone_type, plan_legacy_id, " +
            "ssl_page_rules, hostname_min_tls, features, observed_at",
            StoredRows.Zone, ct);
        var accountRulesets = await ReadRowsAsync(db, transaction, ids, "snapshot_account_rulesets", "account_id, entrypoints",
            r => new AccountRulesets(r.GetString(0), Db.FromJson<IReadOnlyDictionary<string, PhaseEntrypoint?>>(r.GetString(1))), ct);
        var dnsRecords = await ReadDnsRecordsAsync(db, transaction, ids, ct);
        var accountLogpush = await ReadRowsAsync(db, transaction, ids, "snapshot_account_logpush", "account_id, jobs",
            r => new AccountLogpush(r.GetString(0), Db.FromJson<IReadOnlyList<LogpushJob>>(r.GetString(1))), ct);
        var gaps = await ReadRowsAsync(db, transaction, ids, "snapshot_gaps", "stage, resource_type, resource_id, what, reason, missing_permission",
            r => new ReadGap(r.GetString(0), r.GetString(1), r.NullableString(2), r.GetString(3), r.GetString(4), r.NullableString(5)), ct);

        return new Snapshot(
            Id: newest.RunId,
            TakenAt: commits.Max(c => c.CommittedAt),
            AccessSyncedAt: accessTimes.Count == 0 ? null : accessTimes.Min(),
            InfraSyncedAt: infraTimes.Count == 0 ? null : infraTimes.Min(),
            Accounts: accounts.DistinctBy(a => a.Id).ToList(),
            Roles: roles.DistinctBy(r => (r.AccountId, r.Id)).ToList(),
            Members: members.DistinctBy(m => (m.AccountId, m.Id)).ToList(),
            Zones: zones.DistinctBy(z => z.Id).ToList(),
            Gaps: gaps,
            AccountRulesets: accountRulesets.DistinctBy(a => a.AccountId).ToList(),
            AccountTokens: tokens?.DistinctBy(t => (t.AccountId, t.Id)).ToList(),
            DnsRecords: dnsRecords,
            AccountLogpush: accountLogpush.DistinctBy(a => a.AccountId).ToList(),
            AuditLog: await ReadAuditLogAsync(db, transaction, commits.Max(c => c.CommittedAt), ct),
            AuditLogRead: StoredRows.AuditLogCoverage(commits.Select(c => c.AuditLogRead)));
    }

    /// <summary>The membership entries of the audit log kept up to <paramref name="asOf"/>, oldest first (about 18 months: what Cloudflare keeps).</summary>
    private async Task<IReadOnlyList<AuditLogEntry>> ReadAuditLogAsync(SqliteConnection db, SqliteTransaction transaction, DateTimeOffset asOf, CancellationToken ct)
    {
        await using var select = Tenant(db, $"SELECT {StoredRows.AuditLogColumns} FROM audit_log_entries " +
            "WHERE organisation_id = $org AND read_at <= $as_of AND logged_at >= $from ORDER BY logged_at, entry_id;", transaction);
        select.Parameters.AddWithValue("$as_of", Db.Time(asOf));
        select.Parameters.AddWithValue("$from", Db.Time(asOf - StoredRows.AuditLogKept));
        await using var reader = await select.ExecuteReaderAsync(ct);
        var entries = new List<AuditLogEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(StoredRows.AuditLog(reader));
        }
        return entries.Where(StoredRows.IsMembershipEntry).ToList();
    }

    private static async Task<long> CountTokenReadsAsync(SqliteConnection db, SqliteTransaction transaction, IReadOnlyList<long> commitIds, CancellationToken ct)
    {
        // The ids are integers this store produced (never input), as in ReadRowsAsync.
        await using var count = db.Command(
            $"SELECT COUNT(*) FROM stage_commits WHERE account_tokens_read = 1 AND id IN ({string.Join(", ", commitIds)});", transaction);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The DNS records of each zone from the same commit its zone row comes from (the newest commit that read the zone), so
    /// a record deleted since an older connection's commit does not come back; null when no commit holds any.
    /// Zone ids and record types repeat across many rows and are shared, to keep 200,000 records small in memory.
    /// </summary>
    private static async Task<IReadOnlyList<DnsRecord>?> ReadDnsRecordsAsync(SqliteConnection db, SqliteTransaction transaction, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var zoneCommits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (commitId, zoneId) in await ReadRowsAsync(db, transaction, ids, "snapshot_zones", "commit_id, zone_id", r => (r.GetInt64(0), r.GetString(1)), ct))
        {
            zoneCommits.TryAdd(zoneId, commitId);
        }
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = await ReadRowsAsync(db, transaction, ids, "snapshot_dns_records", StoredRows.DnsRecordColumns, r => StoredRows.DnsRecord(r, strings), ct);
        return StoredRows.RecordsOfTheirZonesCommit(rows, zoneCommits);
    }

    /// <param name="AuditLogRead">How far the stage read each account's audit log (JSON list of AuditLogCoverage); null: it read none.</param>
    private sealed record CommitRow(long Id, string RunId, long RunSeq, string ConnectionId, SyncStageKind Stage, DateTimeOffset CommittedAt, string? AuditLogRead);

    // Newest commit per (connection, stage) among runs up to runSeq, unless the connection was removed before that run
    // started and the commit belongs to a run that had started by the removal (a removal recorded after a run does not
    // hide that run's history). A commit of a run that raced the removal counts as before it, so a removed connection's
    // data is never current; the current snapshot also takes only connections that exist.
    private async Task<List<CommitRow>> LoadCommitsAsOfAsync(SqliteConnection db, SqliteTransaction transaction, long runSeq, CancellationToken ct)
    {
        await using var select = Tenant(db, """
            WITH candidate AS (
                SELECT c.id, c.run_id, r.seq AS run_seq, c.connection_id, c.stage, c.committed_at, c.audit_log_read
                FROM stage_commits c JOIN sync_runs r ON r.id = c.run_id
                WHERE r.seq <= $run_seq AND c.organisation_id = $org
            ),
            newest AS (
                SELECT MAX(id) AS id FROM candidate GROUP BY connection_id, stage
            )
            SELECT c.id, c.run_id, c.run_seq, c.connection_id, c.stage, c.committed_at, c.audit_log_read
            FROM candidate c JOIN newest n ON n.id = c.id
            WHERE NOT EXISTS (
                SELECT 1 FROM connection_removals x
                WHERE x.connection_id = c.connection_id AND x.last_run_seq < $run_seq AND c.run_seq <= x.last_run_seq
            )
            AND ($current = 0 OR EXISTS (SELECT 1 FROM connections k WHERE k.id = c.connection_id))
            ORDER BY c.id;
            """, transaction);
        select.Parameters.AddWithValue("$current", runSeq == long.MaxValue ? 1L : 0L);
        select.Parameters.AddWithValue("$run_seq", runSeq);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var commits = new List<CommitRow>();
        while (await reader.ReadAsync(ct))
        {
            commits.Add(new CommitRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                Db.ParseStage(reader.GetString(4)), Db.ParseTime(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return commits;
    }

    private static async Task<List<T>> ReadRowsAsync<T>(
        SqliteConnection db, SqliteTransaction transaction, IReadOnlyList<long> commitIds, string table, string columns,
        Func<SqliteDataReader, T> read, CancellationToken ct)
    {
        // The ids are integers this store produced (never input), so inlining them is safe; newest commit first.
        var idList = string.Join(", ", commitIds);
        await using var select = db.Command(
            $"SELECT {columns} FROM {table} WHERE commit_id IN ({idList}) ORDER BY commit_id DESC, ordinal;", transaction);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }


    // A run still "running" whose process is gone (crash, kill -9) reads as failed at once, without a write: listing
    // works on a read-only home, and the next sync records it.
    private static SyncRun ReadRun(SqliteDataReader r)
    {
        var status = Db.ParseSyncStatus(r.GetString(4));
        var interrupted = status == SyncStatus.Running && !new RunOwner(r.GetString(13)).IsAlive();
        return ReadRun(r, interrupted ? SyncStatus.Failed : status, interrupted ? InterruptedReason : r.NullableString(5));
    }

    private static SyncRun ReadRun(SqliteDataReader r, SyncStatus status, string? reason) => new(
        Id: r.GetString(0),
        Trigger: r.GetString(1),
        StartedAt: Db.ParseTime(r.GetString(2)),
        EndedAt: r.NullableTime(3),
        Status: status,
        Reason: reason,
        Counts: new SyncCounts(r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetInt32(9), r.GetInt32(10)),
        Stages: Db.FromJson<IReadOnlyList<SyncStageResult>>(r.GetString(11)),
        Skipped: Db.FromJson<IReadOnlyList<ReadGap>>(r.GetString(12)),
        Coverage: Db.FromJson<IReadOnlyList<ListCoverage>>(r.GetString(14)) is { Count: > 0 } coverage ? coverage : null,
            Worker: r.IsDBNull(15) ? null : r.GetString(15));
}
