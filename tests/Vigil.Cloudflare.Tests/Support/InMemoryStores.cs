using Vigil.Core;
using Vigil.Core.Storage;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Tests.Support;

/// <summary>Connections and secrets in memory, for sync tests.</summary>
internal sealed class InMemoryConnectionStore : IConnectionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Connection Connection, Secret Secret)> _byName = new(StringComparer.Ordinal);

    public List<(string ConnectionId, string Endpoint)> Remembered { get; } = [];

    public Task SaveAsync(Connection connection, Secret secret, CancellationToken ct)
    {
        lock (_gate)
        {
            _byName[connection.Name] = (connection, secret);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Connection>> ListAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Connection>>([.. _byName.Values.Select(v => v.Connection).OrderBy(c => c.Name, StringComparer.Ordinal)]);
        }
    }

    public Task<Connection?> FindAsync(string name, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_byName.TryGetValue(name, out var v) ? v.Connection : null);
        }
    }

    public Task<Secret> ReadSecretAsync(string connectionId, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_byName.Values.Single(v => v.Connection.Id == connectionId).Secret);
        }
    }

    public Task<bool> RemoveAsync(string name, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_byName.Remove(name));
        }
    }

    public Task RecordTestAsync(string connectionId, DateTimeOffset at, string summary, CancellationToken ct) => Task.CompletedTask;

    public Task RememberEndedEndpointAsync(string connectionId, string endpoint, CancellationToken ct)
    {
        lock (_gate)
        {
            Remembered.Add((connectionId, endpoint));
            var entry = _byName.Values.Single(v => v.Connection.Id == connectionId);
            var ended = new HashSet<string>(entry.Connection.EndedEndpoints, StringComparer.Ordinal) { endpoint };
            _byName[entry.Connection.Name] = (entry.Connection with { EndedEndpoints = ended }, entry.Secret);
        }
        return Task.CompletedTask;
    }

    public static Connection NewConnection(string name, string apiUrl, CredentialKind kind = CredentialKind.UserToken,
        ConnectionPurpose purpose = ConnectionPurpose.Both, string? accountId = null, string? email = null) =>
        new($"conn-{name}", name, purpose, apiUrl, accountId, kind, email, DateTimeOffset.UnixEpoch, null, null, new HashSet<string>());
}

/// <summary>Runs and per-connection current stage data in memory, with the commit semantics of the real store.</summary>
internal sealed class InMemorySyncStore : ISyncStore
{
    private readonly Lock _gate = new();
    private readonly List<SyncRun> _runs = [];
    private int _nextRun;

    public Dictionary<string, (string RunId, AccessStageData Data, DateTimeOffset At)> Access { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (string RunId, InfraStageData Data, DateTimeOffset At)> Infra { get; } = new(StringComparer.Ordinal);

    public Task<SyncRun> StartRunAsync(string trigger, DateTimeOffset startedAt, CancellationToken ct)
    {
        lock (_gate)
        {
            var run = new SyncRun($"run-{++_nextRun}", trigger, startedAt, null, SyncStatus.Running, null, SyncCounts.Zero, [], []);
            _runs.Add(run);
            return Task.FromResult(run);
        }
    }

    public Task CommitAccessStageAsync(string runId, string connectionId, AccessStageData data, DateTimeOffset committedAt, CancellationToken ct)
    {
        lock (_gate)
        {
            Access[connectionId] = (runId, data, committedAt);
            KeepAuditLog(data.AuditLog);
        }
        return Task.CompletedTask;
    }

    public Task CommitInfraStageAsync(string runId, string connectionId, InfraStageData data, DateTimeOffset committedAt, CancellationToken ct)
    {
        lock (_gate)
        {
            Infra[connectionId] = (runId, data, committedAt);
            KeepAuditLog(data.AuditLog);
        }
        return Task.CompletedTask;
    }

    /// <summary>Audit log entries kept once per (account, id), as the real stores keep them.</summary>
    public List<AuditLogEntry> AuditLog { get; } = [];

    private void KeepAuditLog(IReadOnlyList<AuditLogEntry>? entries)
    {
        foreach (var entry in entries ?? [])
        {
            if (!AuditLog.Any(e => e.AccountId == entry.AccountId && e.Id == entry.Id))
            {
                AuditLog.Add(entry);
            }
        }
    }

    public Task FinishRunAsync(SyncRun run, CancellationToken ct)
    {
        lock (_gate)
        {
            _runs[_runs.FindIndex(r => r.Id == run.Id)] = run;
        }
        return Task.CompletedTask;
    }

    public Task<SyncRun?> GetRunAsync(string runId, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.FirstOrDefault(r => r.Id == runId));
        }
    }

    public Task<IReadOnlyList<SyncRun>> ListRunsAsync(int limit, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<SyncRun>>([.. _runs.AsEnumerable().Reverse().Take(limit)]);
        }
    }

    public Task<Snapshot?> LoadCurrentSnapshotAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (Access.Count == 0 && Infra.Count == 0)
            {
                return Task.FromResult<Snapshot?>(null);
            }
            var access = Access.Values.ToList();
            var infra = Infra.Values.ToList();
            var latest = access.Select(a => (a.RunId, a.At)).Concat(infra.Select(i => (i.RunId, i.At))).MaxBy(x => x.At);
            return Task.FromResult<Snapshot?>(new Snapshot(
                latest.RunId, latest.At,
                access.Count == 0 ? null : access.Max(a => a.At),
                infra.Count == 0 ? null : infra.Max(i => i.At),
                [.. access.SelectMany(a => a.Data.Accounts)],
                [.. access.SelectMany(a => a.Data.Roles)],
                [.. access.SelectMany(a => a.Data.Members)],
                [.. infra.SelectMany(i => i.Data.Zones)],
                [.. access.SelectMany(a => a.Data.Gaps).Concat(infra.SelectMany(i => i.Data.Gaps))],
                [.. infra.SelectMany(i => i.Data.AccountRulesets ?? [])],
                access.Count > 0 && access.All(a => a.Data.AccountTokens is not null) ? [.. access.SelectMany(a => a.Data.AccountTokens!)] : null,
                infra.Any(i => i.Data.DnsRecords is not null) ? [.. infra.SelectMany(i => i.Data.DnsRecords ?? [])] : null,
                [.. infra.SelectMany(i => i.Data.AccountLogpush ?? [])],
                [.. AuditLog.Where(AuditLogMembership.IsMembershipEntry).OrderBy(e => e.Time)],
                AuditLogCoverage.Merge(access.SelectMany(a => a.Data.AuditLogRead ?? []).Concat(infra.SelectMany(i => i.Data.AuditLogRead ?? [])))));
        }
    }

    public Task<Snapshot?> LoadSnapshotAsync(string runId, CancellationToken ct) => throw new NotSupportedException();
}
