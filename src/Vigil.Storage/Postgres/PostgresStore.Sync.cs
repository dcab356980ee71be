using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string RunColumns =
        "id, trigger, started_at, ended_at, status, reason, accounts, members, zones, api_calls, rate_limited, stages, skipped, owner, coverage, worker";

    /// <summary>
    /// Starts a run, one at a time per organisation (two organisations sync side by side): the run holds a session
    /// advisory lock keyed by its organisation, on a connection of its own, from here to <see cref="FinishRunAsync"/>.
    /// A process that dies loses its session and so its lock; runs it left "running" are then marked failed (interrupted)
    /// here. While another live sync of the organisation holds the lock this refuses, naming that run and its process.
    /// </summary>
    /// <exception cref="SyncAlreadyRunningException">Another sync of this organisation is running.</exception>
    public async Task<SyncRun> StartRunAsync(string trigger, DateTimeOffset startedAt, CancellationToken ct)
    {
        var runLock = await TryLockSyncsAsync(ct) ?? throw new SyncAlreadyRunningException(await DescribeLockHolderAsync(ct));
        try
        {
            var run = new SyncRun(Guid.CreateVersion7(startedAt).ToString(), trigger, startedAt, null, SyncStatus.Running, null, SyncCounts.Zero, [], [], Worker: WorkerIdentity.Name);
            await using (var tenant = await BeginAsync(ct))
            {
                // We hold the lock, so every run still 'running' belongs to a session that has ended.
                await using (var fail = tenant.Command(
                    "UPDATE sync_runs SET status = 'failed', reason = @reason WHERE organisation_id = @org AND status = 'running';"))
                {
                    fail.Parameters.AddWithValue("reason", SqliteStore.InterruptedReason);
                    await fail.ExecuteNonQueryAsync(ct);
                }

                await using (var insert = tenant.Command("""
                    INSERT INTO sync_runs (organisation_id, id, trigger, owner, started_at, status, worker) VALUES (@org, @id, @trigger, @owner, @started_at, 'running', @worker);
                    """))
                {
                    insert.Parameters.AddWithValue("id", run.Id);
                    insert.Parameters.AddWithValue("trigger", trigger);
                    insert.Parameters.AddWithValue("owner", _owner.Value);
                    insert.Parameters.AddWithValue("worker", WorkerIdentity.Name);
                    insert.Parameters.AddWithValue("started_at", Db.Time(startedAt));
                    await insert.ExecuteNonQueryAsync(ct);
                }

                await tenant.CommitAsync(ct);
            }

            _runLocks[run.Id] = runLock;
            return run;
        }
        catch
        {
            await ReleaseQuietlyAsync(runLock);
            throw;
        }
    }

    /// <summary>Refuses, as <see cref="StartRunAsync"/> would, while another sync of this organisation is running.</summary>
    /// <exception cref="SyncAlreadyRunningException">Another sync of this organisation is running.</exception>
    public async Task EnsureNoSyncRunningAsync(CancellationToken ct)
    {
        var probe = await TryLockSyncsAsync(ct) ?? throw new SyncAlreadyRunningException(await DescribeLockHolderAsync(ct));
        await ReleaseQuietlyAsync(probe);
    }

    // Second advisory-lock key of this organisation's syncs: stable across processes and machines (not string.GetHashCode).
    private int SyncLockKey => OrganisationLockKey(Organisation.Id);

    internal static int OrganisationLockKey(string organisationId) =>
        Math.Max(1, (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(organisationId)), 0) & 0x7FFFFFFF));

    private string SyncLockHeldSql =>
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted " +
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
        $"AND classid = {PostgresDatabase.LockNamespace} AND objid = {SyncLockKey} AND objsubid = 2)";

    /// <summary>
    /// Unlocks, then closes the lock's session. Closing alone is not enough for a sync that follows at once: the server
    /// drops a closed session's locks when its backend exits, a moment after the client has moved on, and a new
    /// session's try-lock in that moment is refused as if a sync were running.
    /// </summary>
    private static async Task ReleaseQuietlyAsync(NpgsqlConnection session)
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all();", session);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The session is gone (the server ended it): its locks went with it.
        }
        await CloseQuietlyAsync(session);
    }

    // The session that holds the lock, or null when another session holds it. The session ends with the process.
    private async Task<NpgsqlConnection?> TryLockSyncsAsync(CancellationToken ct)
    {
        NpgsqlConnection session;
        try
        {
            session = await _database.OpenSessionAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(_database.Redact($"cannot connect to the Vigil database {Location}: {e.Message}"), _database.Sanitise(e));
        }

        try
        {
            await using var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({PostgresDatabase.LockNamespace}, {SyncLockKey});", session);
            if ((bool)(await tryLock.ExecuteScalarAsync(ct))!)
            {
                return session;
            }
        }
        catch
        {
            await CloseQuietlyAsync(session);
            throw;
        }

        await CloseQuietlyAsync(session);
        return null;
    }

    private async Task<string> DescribeLockHolderAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var newest = tenant.Command(
            "SELECT id, owner, started_at FROM sync_runs WHERE organisation_id = @org AND status = 'running' ORDER BY seq DESC LIMIT 1;");
        await using var reader = await newest.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? DescribeRunning(reader.GetString(0), new RunOwner(reader.GetString(1)), Db.ParseTime(reader.GetString(2)))
            : $"another sync of organisation {Organisation.Name} is starting on the Vigil database {Location}; wait for it to finish (see 'vigil runs'), then sync again.";
    }

    private string DescribeRunning(string runId, RunOwner owner, DateTimeOffset startedAt) =>
        $"another sync is running for organisation {Organisation.Name} on the Vigil database {Location}: run {runId}, {owner.Describe()}, " +
        $"started at {startedAt:yyyy-MM-dd HH:mm:ss} UTC. Vigil runs one sync at a time per organisation so that together they stay " +
        "within half of Cloudflare's rate limit; wait for it to finish (see 'vigil runs') or stop that process, then sync again.";

    public Task CommitAccessStageAsync(string runId, string connectionId, AccessStageData data, DateTimeOffset committedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        return CommitStageAsync(runId, connectionId, SyncStageKind.Access, committedAt, data.Gaps, data.Evidence, data.AuditLogRead, async (tenant, commitId) =>
        {
            await CopyRowsAsync(tenant, commitId, "snapshot_accounts",
                ["account_id", "name", "enforce_two_factor", "connection_id", "sso_connectors"], data.Accounts,
                a => [a.Id, a.Name, Db.OrNull(a.EnforceTwoFactor), a.ConnectionId, a.SsoConnectors is { } sso ? Db.Json(sso) : DBNull.Value], ct);
            await CopyRowsAsync(tenant, commitId, "snapshot_roles",
                ["role_id", "account_id", "name", "description", "permissions"], data.Roles,
                r => [r.Id, r.AccountId, r.Name, Db.OrNull(r.Description), Db.Json(r.Permissions)], ct);
            await CopyRowsAsync(tenant, commitId, "snapshot_members",
                ["member_id", "account_id", "user_id", "email", "first_name", "last_name", "status", "two_factor_enabled", "roles", "policies", "status_text",
                 "first_seen_at", "observed_at"],
                data.Members,
                m => [m.Id, m.AccountId, Db.OrNull(m.UserId), m.Email, Db.OrNull(m.FirstName), Db.OrNull(m.LastName),
                      Db.Text(m.Status), Db.OrNull(m.TwoFactorEnabled), Db.Json(m.Roles), Db.Json(m.Policies), Db.OrNull(m.StatusText),
                      Db.TimeOrNull(m.FirstSeenAt), Db.TimeOrNull(m.ObservedAt)], ct);
            if (data.AccountTokens is { } tokens)
            {
                // An empty token list then means "none", not "not read".
                await using (var mark = tenant.Command("UPDATE stage_commits SET account_tokens_read = 1 WHERE organisation_id = @org AND id = @id;"))
                {
                    mark.Parameters.AddWithValue("id", commitId);
                    await mark.ExecuteNonQueryAsync(ct);
                }

                await CopyRowsAsync(tenant, commitId, "snapshot_account_tokens",
                    ["token_id", "account_id", "name", "status", "issued_on", "modified_on", "not_before", "expires_on", "last_used_on",
                     "allowed_ips", "denied_ips", "creator_email", "policies"],
                    tokens,
                    t => [t.Id, t.AccountId, t.Name, Db.OrNull(t.Status), Db.TimeOrNull(t.IssuedOn), Db.TimeOrNull(t.ModifiedOn), Db.TimeOrNull(t.NotBefore),
                          Db.TimeOrNull(t.ExpiresOn), Db.TimeOrNull(t.LastUsedOn), Db.Json(t.AllowedIps), Db.Json(t.DeniedIps), Db.OrNull(t.CreatorEmail),
                          Db.Json(t.Policies)], ct);
            }
            await InsertAuditLogAsync(tenant, data.AuditLog, committedAt, ct);
        }, ct);
    }

    /// <summary>Keeps audit log entries once per (account, entry id): an entry read again in the overlap of the next sync is not duplicated.</summary>
    private static async Task InsertAuditLogAsync(Tenant tenant, IReadOnlyList<AuditLogEntry>? entries, DateTimeOffset readAt, CancellationToken ct)
    {
        foreach (var e in entries ?? [])
        {
            await using var insert = tenant.Command("""
                INSERT INTO audit_log_entries (organisation_id, account_id, entry_id, logged_at, action, resource_type, resource_id, zone_id,
                    actor_email, actor_type, method, path, result, read_at, subject_email)
                VALUES (@org, @p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13)
                ON CONFLICT DO NOTHING;
                """);
            object?[] values = [e.AccountId, e.Id, Db.Time(e.Time), e.Action, Db.OrNull(e.ResourceType), Db.OrNull(e.ResourceId), Db.OrNull(e.ZoneId),
                Db.OrNull(e.ActorEmail), Db.OrNull(e.ActorType), Db.OrNull(e.Method), Db.OrNull(e.Path), Db.OrNull(e.Result), Db.Time(readAt), Db.OrNull(e.SubjectEmail)];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters.Add(new NpgsqlParameter("p" + i, NpgsqlDbType.Text) { Value = values[i] ?? DBNull.Value });
            }
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    public Task CommitInfraStageAsync(string runId, string connectionId, InfraStageData data, DateTimeOffset committedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        return CommitStageAsync(runId, connectionId, SyncStageKind.Infra, committedAt, data.Gaps, data.Evidence, data.AuditLogRead, async (tenant, commitId) =>
        {
            await CopyRowsAsync(tenant, commitId, "snapshot_zones",
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
            await CopyRowsAsync(tenant, commitId, "snapshot_account_rulesets", ["account_id", "entrypoints"], data.AccountRulesets ?? [],
                a => [a.AccountId, Db.Json(a.Entrypoints)], ct);
            await CopyRowsAsync(tenant, commitId, "snapshot_dns_records",
                ["record_id", "zone_id", "type", "name", "content", "proxied", "ttl", "priority", "caa_flags", "caa_tag", "caa_value", "proxiable"],
                data.DnsRecords ?? [],
                r => [r.Id, r.ZoneId, r.Type, r.Name, r.Content, Db.OrNull(r.Proxied), (long)r.Ttl, Db.OrNull((long?)r.Priority),
                      Db.OrNull((long?)r.Caa?.Flags), Db.OrNull(r.Caa?.Tag), Db.OrNull(r.Caa?.Value), Db.OrNull(r.Proxiable)], ct);
            await CopyRowsAsync(tenant, commitId, "snapshot_account_logpush", ["account_id", "jobs"], data.AccountLogpush ?? [],
                a => [a.AccountId, Db.Json(a.Jobs)], ct);
            await InsertAuditLogAsync(tenant, data.AuditLog, committedAt, ct);
        }, ct);
    }

    public async Task FinishRunAsync(SyncRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using (var tenant = await BeginAsync(ct))
        await using (var update = tenant.Command("""
            UPDATE sync_runs SET ended_at = @ended_at, status = @status, reason = @reason, accounts = @accounts, members = @members,
                zones = @zones, api_calls = @api_calls, rate_limited = @rate_limited, stages = @stages, skipped = @skipped,
                coverage = @coverage
            WHERE organisation_id = @org AND id = @id;
            """))
        {
            update.Parameters.AddWithValue("id", run.Id);
            update.Parameters.Add(Text("ended_at", run.EndedAt is { } ended ? Db.Time(ended) : null));
            update.Parameters.AddWithValue("status", Db.Text(run.Status));
            update.Parameters.Add(Text("reason", run.Reason));
            update.Parameters.AddWithValue("accounts", (long)run.Counts.Accounts);
            update.Parameters.AddWithValue("members", (long)run.Counts.Members);
            update.Parameters.AddWithValue("zones", (long)run.Counts.Zones);
            update.Parameters.AddWithValue("api_calls", (long)run.Counts.ApiCalls);
            update.Parameters.AddWithValue("rate_limited", (long)run.Counts.RateLimited);
            update.Parameters.AddWithValue("stages", Db.Json(run.Stages));
            update.Parameters.AddWithValue("skipped", Db.Json(run.Skipped));
            update.Parameters.AddWithValue("coverage", Db.Json(run.Coverage ?? []));
            if (await update.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new KeyNotFoundException($"There is no sync run {run.Id}.");
            }

            await tenant.CommitAsync(ct);
        }

        if (run.Status != SyncStatus.Running && _runLocks.TryRemove(run.Id, out var runLock))
        {
            await ReleaseQuietlyAsync(runLock);
        }
    }

    public async Task<SyncRun?> GetRunAsync(string runId, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        var live = await SyncLockHeldAsync(tenant, ct);
        await using var get = tenant.Command($"SELECT {RunColumns} FROM sync_runs WHERE organisation_id = @org AND id = @id;");
        get.Parameters.AddWithValue("id", runId);
        await using var reader = await get.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadRun(reader, live) : null;
    }

    /// <summary>The newest runs first.</summary>
    public async Task<IReadOnlyList<SyncRun>> ListRunsAsync(int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var tenant = await BeginAsync(ct, readOnly: true);
        var live = await SyncLockHeldAsync(tenant, ct);
        await using var list = tenant.Command($"SELECT {RunColumns} FROM sync_runs WHERE organisation_id = @org ORDER BY seq DESC LIMIT @limit;");
        list.Parameters.AddWithValue("limit", (long)limit);
        await using var reader = await list.ExecuteReaderAsync(ct);
        var runs = new List<SyncRun>();
        while (await reader.ReadAsync(ct))
        {
            runs.Add(ReadRun(reader, live));
        }

        return runs;
    }

    /// <summary>
    /// The newest access commit and newest infrastructure commit of every connection not removed since, exactly as
    /// <see cref="SqliteStore.LoadCurrentSnapshotAsync"/> describes.
    /// </summary>
    public Task<Snapshot?> LoadCurrentSnapshotAsync(CancellationToken ct) => LoadSnapshotAsOfAsync(long.MaxValue, ct);

    /// <summary>The state right after the given run: the newest commits of runs started up to it. Null for an unknown run or when nothing had committed yet.</summary>
    public async Task<Snapshot?> LoadSnapshotAsync(string runId, CancellationToken ct)
    {
        long runSeq;
        await using (var tenant = await BeginAsync(ct, readOnly: true))
        await using (var find = tenant.Command("SELECT seq FROM sync_runs WHERE organisation_id = @org AND id = @id;"))
        {
            find.Parameters.AddWithValue("id", runId);
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
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var read = tenant.Command("""
            SELECT c.connection_id, c.stage, p.request, p.received_at, b.body
            FROM stage_commits c
            JOIN evidence_payloads p ON p.commit_id = c.id AND p.organisation_id = c.organisation_id
            JOIN evidence_bodies b ON b.organisation_id = p.organisation_id AND b.sha256 = p.body_sha256
            WHERE c.organisation_id = @org AND c.run_id = @run_id
            ORDER BY c.id, p.ordinal;
            """);
        read.Parameters.AddWithValue("run_id", runId);
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
        Func<Tenant, long, Task> writeRows,
        CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);

        // The connection's row is locked (FOR SHARE) until this commits, so a 'connections remove' waits for it and then
        // records a removal that counts this commit as before it: a stage whose connection went away is never current.
        await RequireConnectionAsync(tenant, connectionId, ct);

        long commitId;
        await using (var insert = tenant.Command("""
            INSERT INTO stage_commits (organisation_id, run_id, connection_id, stage, committed_at, audit_log_read)
            VALUES (@org, @run_id, @connection_id, @stage, @committed_at, @audit_log_read)
            RETURNING id;
            """))
        {
            insert.Parameters.AddWithValue("run_id", runId);
            insert.Parameters.AddWithValue("connection_id", connectionId);
            insert.Parameters.AddWithValue("stage", Db.Text(stage));
            insert.Parameters.AddWithValue("committed_at", Db.Time(committedAt));
            insert.Parameters.AddWithValue("audit_log_read", auditLogRead is null ? DBNull.Value : Db.Json(auditLogRead));
            try
            {
                commitId = (long)(await insert.ExecuteScalarAsync(ct))!;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation) // the run does not exist
            {
                throw new KeyNotFoundException($"There is no sync run {runId}.", e);
            }
        }

        await writeRows(tenant, commitId);
        await CopyRowsAsync(tenant, commitId, "snapshot_gaps",
            ["stage", "resource_type", "resource_id", "what", "reason", "missing_permission"], gaps,
            g => [g.Stage, g.ResourceType, Db.OrNull(g.ResourceId), g.What, g.Reason, Db.OrNull(g.MissingPermission)], ct);
        await CopyEvidenceAsync(tenant, commitId, evidence, ct);

        await tenant.CommitAsync(ct);
    }

    private static async Task RequireConnectionAsync(Tenant tenant, string connectionId, CancellationToken ct)
    {
        await using (var find = tenant.Command("SELECT 1 FROM connections WHERE organisation_id = @org AND id = @id FOR SHARE;"))
        {
            find.Parameters.AddWithValue("id", connectionId);
            if (await find.ExecuteScalarAsync(ct) is not null)
            {
                return;
            }
        }

        await using var removal = tenant.Command(
            "SELECT name FROM connection_removals WHERE organisation_id = @org AND connection_id = @id ORDER BY id DESC LIMIT 1;");
        removal.Parameters.AddWithValue("id", connectionId);
        throw await removal.ExecuteScalarAsync(ct) is string removedName
            ? new ConnectionRemovedException($"connection '{removedName}' was removed during the sync; its data was not kept")
            : new KeyNotFoundException($"There is no connection {connectionId}; its data was not kept.");
    }

    /// <summary>
    /// Writes rows with binary COPY: organisation_id, commit_id and ordinal first, then <paramref name="columns"/> with
    /// the values <paramref name="values"/> gives (strings, longs, DBNull). PostgreSQL refuses COPY FROM into a table
    /// under row-level security, so the rows are copied into a temporary table shaped like it and moved over with one
    /// INSERT ... SELECT, which the policy checks. Adding a column is one name here and one value in the lambda.
    /// </summary>
    private static async Task CopyRowsAsync<T>(
        Tenant tenant,
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

        var names = "organisation_id, commit_id, ordinal, " + string.Join(", ", columns);
        var staging = "copy_" + table;
        await using (var create = tenant.Command($"CREATE TEMP TABLE {staging} (LIKE {table}) ON COMMIT DROP;"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await using (var writer = await tenant.Connection.BeginBinaryImportAsync($"COPY {staging} ({names}) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var row = 0; row < rows.Count; row++)
            {
                var rowValues = values(rows[row]);
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(tenant.OrganisationId, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(commitId, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync((long)row, NpgsqlDbType.Bigint, ct);
                foreach (var value in rowValues)
                {
                    await WriteValueAsync(writer, value, ct);
                }
            }

            await writer.CompleteAsync(ct);
        }

        await using var move = tenant.Command($"INSERT INTO {table} ({names}) SELECT {names} FROM {staging}; DROP TABLE {staging};");
        await move.ExecuteNonQueryAsync(ct);
    }

    private static Task WriteValueAsync(NpgsqlBinaryImporter writer, object? value, CancellationToken ct) => value switch
    {
        // A null that slipped past nullable annotations reaches the NOT NULL constraint, which names the column.
        null or DBNull => writer.WriteNullAsync(ct),
        string text => writer.WriteAsync(text, NpgsqlDbType.Text, ct),
        long number => writer.WriteAsync(number, NpgsqlDbType.Bigint, ct),
        int number => writer.WriteAsync((long)number, NpgsqlDbType.Bigint, ct),
        bool flag => writer.WriteAsync(flag ? 1L : 0L, NpgsqlDbType.Bigint, ct),
        byte[] bytes => writer.WriteAsync(bytes, NpgsqlDbType.Bytea, ct),
        _ => throw new ArgumentException($"No column mapping for a {value.GetType().Name} value."),
    };

    // Evidence bodies are stored once per organisation: every payload of the commit is copied (with its body's hash)
    // into a temporary table, new bodies move over with ON CONFLICT DO NOTHING, and the payloads point at them.
    private static async Task CopyEvidenceAsync(Tenant tenant, long commitId, IReadOnlyList<RawPayload> evidence, CancellationToken ct)
    {
        if (evidence.Count == 0)
        {
            return;
        }

        await using (var create = tenant.Command(
            "CREATE TEMP TABLE copy_evidence (ordinal BIGINT NOT NULL, request TEXT NOT NULL, received_at TEXT NOT NULL, sha256 TEXT NOT NULL, body TEXT NOT NULL) ON COMMIT DROP;"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        await using (var writer = await tenant.Connection.BeginBinaryImportAsync(
            "COPY copy_evidence (ordinal, request, received_at, sha256, body) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < evidence.Count; i++)
            {
                var item = evidence[i];
                await writer.StartRowAsync(ct);
                await writer.WriteAsync((long)i, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(item.Request, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(Db.Time(item.ReceivedAt), NpgsqlDbType.Text, ct);
                await writer.WriteAsync(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(item.Body))), NpgsqlDbType.Text, ct);
                await writer.WriteAsync(item.Body, NpgsqlDbType.Text, ct);
            }

            await writer.CompleteAsync(ct);
        }

        await using var move = tenant.Command("""
            INSERT INTO evidence_bodies (organisation_id, sha256, body)
            SELECT DISTINCT ON (sha256) @org, sha256, body FROM copy_evidence ORDER BY sha256
            ON CONFLICT (organisation_id, sha256) DO NOTHING;
            INSERT INTO evidence_payloads (organisation_id, commit_id, ordinal, request, received_at, body_sha256)
            SELECT @org, @commit_id, ordinal, request, received_at, sha256 FROM copy_evidence ORDER BY ordinal;
            DROP TABLE copy_evidence;
            """);
        move.Parameters.AddWithValue("commit_id", commitId);
        await move.ExecuteNonQueryAsync(ct);
    }

    private async Task<Snapshot?> LoadSnapshotAsOfAsync(long runSeq, CancellationToken ct)
    {
        // One repeatable-read transaction: every query below sees the same committed state even while a sync writes.
        await using var tenant = await BeginAsync(ct, System.Data.IsolationLevel.RepeatableRead, readOnly: true);

        var commits = await LoadCommitsAsOfAsync(tenant, runSeq, ct);
        if (commits.Count == 0)
        {
            return null;
        }

        var newest = commits.MaxBy(c => c.RunSeq)!;
        var accessTimes = commits.Where(c => c.Stage == SyncStageKind.Access).Select(c => c.CommittedAt).ToList();
        var infraTimes = commits.Where(c => c.Stage == SyncStageKind.Infra).Select(c => c.CommittedAt).ToList();

        // Rows come newest commit first, so the newer copy of anything two connections both read wins.
        var ids = commits.Select(c => c.Id).ToArray();
        var accounts = await ReadRowsAsync(tenant, ids, "snapshot_accounts", "account_id, name, enforce_two_factor, connection_id, sso_connectors",
            r => new CloudflareAccount(r.GetString(0), r.GetString(1), r.NullableBool(2), r.GetString(3),
                r.IsDBNull(4) ? null : Db.FromJson<IReadOnlyList<SsoConnector>>(r.GetString(4))), ct);
        var roles = await ReadRowsAsync(tenant, ids, "snapshot_roles", "role_id, account_id, name, description, permissions",
            r => new AccountRole(r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), Db.FromJson<IReadOnlyList<string>>(r.GetString(4))), ct);
        var members = await ReadRowsAsync(tenant, ids, "snapshot_members",
            "member_id, account_id, user_id, email, first_name, last_name, status, two_factor_enabled, roles, policies, status_text, first_seen_at, observed_at",
            StoredRows.Member, ct);
        // Tokens count only when every current access commit read them: a commit that did not would make its accounts look token-free.
        var accessIds = commits.Where(c => c.Stage == SyncStageKind.Access).Select(c => c.Id).ToArray();
        long tokenReads;
        await using (var count = tenant.Command("SELECT COUNT(*) FROM stage_commits WHERE organisation_id = @org AND account_tokens_read = 1 AND id = ANY(@ids);"))
        {
            count.Parameters.AddWithValue("ids", accessIds);
            tokenReads = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        var tokens = accessIds.Length == 0 || tokenReads != accessIds.Length ? null : await ReadRowsAsync(tenant, accessIds, "snapshot_account_tokens",
            "token_id, account_id, name, status, issued_on, modified_on, not_before, expires_on, last_used_on, allowed_ips, denied_ips, creator_email, policies",
            StoredRows.Token, ct);
        var zones = await ReadRowsAsync(tenant, ids, "snapshot_zones",
            "zone_id, name, account_id, status, paused, plan_name, has_security, ssl, min_tls_version, always_use_https, hsts_enabled, " +
            "hsts_max_age_seconds, hsts_include_subdomains, hsts_preload, security_level, legacy_waf, dnssec_status, entrypoints, zone_type, plan_legacy_id, " +
            "ssl_page_rules, hostname_min_tls, features, observed_at",
            StoredRows.Zone, ct);
        var accountRulesets = await ReadRowsAsync(tenant, ids, "snapshot_account_rulesets", "account_id, entrypoints",
            r => new AccountRulesets(r.GetString(0), Db.FromJson<IReadOnlyDictionary<string, PhaseEntrypoint?>>(r.GetString(1))), ct);
        var dnsRecords = await ReadDnsRecordsAsync(tenant, ids, ct);
        var accountLogpush = await ReadRowsAsync(tenant, ids, "snapshot_account_logpush", "account_id, jobs",
            r => new AccountLogpush(r.GetString(0), Db.FromJson<IReadOnlyList<LogpushJob>>(r.GetString(1))), ct);
        var gaps = await ReadRowsAsync(tenant, ids, "snapshot_gaps", "stage, resource_type, resource_id, what, reason, missing_permission",
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
            AuditLog: await ReadAuditLogAsync(tenant, commits.Max(c => c.CommittedAt), ct),
            AuditLogRead: StoredRows.AuditLogCoverage(commits.Select(c => c.AuditLogRead)));
    }

    /// <summary>The membership entries of the audit log kept up to <paramref name="asOf"/>, oldest first (about 18 months: what Cloudflare keeps).</summary>
    private static async Task<IReadOnlyList<AuditLogEntry>> ReadAuditLogAsync(Tenant tenant, DateTimeOffset asOf, CancellationToken ct)
    {
        await using var select = tenant.Command($"SELECT {StoredRows.AuditLogColumns} FROM audit_log_entries " +
            "WHERE organisation_id = @org AND read_at <= @as_of AND logged_at >= @from ORDER BY logged_at, entry_id;");
        select.Parameters.AddWithValue("as_of", Db.Time(asOf));
        select.Parameters.AddWithValue("from", Db.Time(asOf - StoredRows.AuditLogKept));
        await using var reader = await select.ExecuteReaderAsync(ct);
        var entries = new List<AuditLogEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(StoredRows.AuditLog(reader));
        }
        return entries.Where(StoredRows.IsMembershipEntry).ToList();
    }

    /// <summary>
    /// The DNS records of each zone from the same commit its zone row comes from (as SQLite does), so a record deleted
    /// since an older connection's commit does not come back; null when no commit holds any.
    /// </summary>
    private static async Task<IReadOnlyList<DnsRecord>?> ReadDnsRecordsAsync(Tenant tenant, long[] ids, CancellationToken ct)
    {
        var zoneCommits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (commitId, zoneId) in await ReadRowsAsync(tenant, ids, "snapshot_zones", "commit_id, zone_id", r => (r.GetInt64(0), r.GetString(1)), ct))
        {
            zoneCommits.TryAdd(zoneId, commitId);
        }

        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = await ReadRowsAsync(tenant, ids, "snapshot_dns_records", StoredRows.DnsRecordColumns, r => StoredRows.DnsRecord(r, strings), ct);
        return StoredRows.RecordsOfTheirZonesCommit(rows, zoneCommits);
    }

    /// <param name="AuditLogRead">How far the stage read each account's audit log (JSON list of AuditLogCoverage); null: it read none.</param>
    private sealed record CommitRow(long Id, string RunId, long RunSeq, string ConnectionId, SyncStageKind Stage, DateTimeOffset CommittedAt, string? AuditLogRead);

    // The same rule as SQLite's: newest commit per (connection, stage) among runs up to runSeq, unless the connection
    // was removed before that run started and the commit belongs to a run that had started by the removal; the current
    // snapshot also takes only connections that exist.
    private const string CommitsAsOfSql = """
        WITH candidate AS (
            SELECT c.id, c.run_id, r.seq AS run_seq, c.connection_id, c.stage, c.committed_at, c.audit_log_read
            FROM stage_commits c JOIN sync_runs r ON r.organisation_id = c.organisation_id AND r.id = c.run_id
            WHERE c.organisation_id = @org AND r.seq <= @run_seq
        ),
        newest AS (
            SELECT MAX(id) AS id FROM candidate GROUP BY connection_id, stage
        )
        SELECT c.id, c.run_id, c.run_seq, c.connection_id, c.stage, c.committed_at, c.audit_log_read
        FROM candidate c JOIN newest n ON n.id = c.id
        WHERE NOT EXISTS (
            SELECT 1 FROM connection_removals x
            WHERE x.organisation_id = @org AND x.connection_id = c.connection_id AND x.last_run_seq < @run_seq AND c.run_seq <= x.last_run_seq
        )
        AND (NOT @current OR EXISTS (SELECT 1 FROM connections k WHERE k.organisation_id = @org AND k.id = c.connection_id))
        ORDER BY c.id;
        """;

    private static async Task<List<CommitRow>> LoadCommitsAsOfAsync(Tenant tenant, long runSeq, CancellationToken ct)
    {
        await using var select = tenant.Command(CommitsAsOfSql);
        select.Parameters.AddWithValue("current", runSeq == long.MaxValue);
        select.Parameters.AddWithValue("run_seq", runSeq);
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
        Tenant tenant, long[] commitIds, string table, string columns, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var select = tenant.Command(
            $"SELECT {columns} FROM {table} WHERE organisation_id = @org AND commit_id = ANY(@ids) ORDER BY commit_id DESC, ordinal;");
        select.Parameters.AddWithValue("ids", commitIds);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }


    private async Task<bool> SyncLockHeldAsync(Tenant tenant, CancellationToken ct)
    {
        await using var held = tenant.Command(SyncLockHeldSql + ";");
        return (bool)(await held.ExecuteScalarAsync(ct))!;
    }

    // A run still "running" while no session holds its organisation's sync lock was left by a process that ended:
    // it reads as failed at once, without a write, and the next sync records it.
    private static SyncRun ReadRun(NpgsqlDataReader r, bool syncLockHeld)
    {
        var status = Db.ParseSyncStatus(r.GetString(4));
        var interrupted = status == SyncStatus.Running && !syncLockHeld;
        return new SyncRun(
            Id: r.GetString(0),
            Trigger: r.GetString(1),
            StartedAt: Db.ParseTime(r.GetString(2)),
            EndedAt: r.NullableTime(3),
            Status: interrupted ? SyncStatus.Failed : status,
            Reason: interrupted ? SqliteStore.InterruptedReason : r.NullableString(5),
            Counts: new SyncCounts((int)r.GetInt64(6), (int)r.GetInt64(7), (int)r.GetInt64(8), (int)r.GetInt64(9), (int)r.GetInt64(10)),
            Stages: Db.FromJson<IReadOnlyList<SyncStageResult>>(r.GetString(11)),
            Skipped: Db.FromJson<IReadOnlyList<ReadGap>>(r.GetString(12)),
            Coverage: Db.FromJson<IReadOnlyList<ListCoverage>>(r.GetString(14)) is { Count: > 0 } coverage ? coverage : null,
            Worker: r.IsDBNull(15) ? null : r.GetString(15));
    }
}
