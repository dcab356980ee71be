namespace Vigil.Simulation;

/// <summary>
/// One audit log entry the simulator recorded for a change of its state, with what both of Cloudflare's shapes need:
/// Audit Logs v2 (<c>GET /accounts/{id}/logs/audit</c>: id, account, action, actor, raw, resource, zone) and the legacy
/// log (<c>GET /accounts/{id}/audit_logs</c>: id, action, actor, interface, newValue, oldValue, owner, resource, when).
/// </summary>
/// <param name="Method">The HTTP method of the request that made the change (GET requests and 4xx answers are never logged).</param>
/// <param name="Uri">The request path as Cloudflare records it in <c>raw.uri</c>, e.g. "/client/v4/zones/ID/settings/ssl".</param>
/// <param name="ActionType">v2 <c>action.type</c>: "create", "update" or "delete".</param>
/// <param name="ResourceType">v2 <c>resource.type</c>, e.g. "zone.setting", "account.member", "zone", "ruleset".</param>
public sealed record SimAuditEntry(
    string Id,
    string AccountId,
    string AccountName,
    DateTimeOffset Time,
    string ActionType,
    string Method,
    string Uri,
    string ResourceType,
    string? ResourceId,
    string? ZoneId,
    string? ZoneName,
    string ActorEmail,
    string? OldValue = null,
    string? NewValue = null,
    string Result = "success");

/// <summary>The audit log of every account, oldest first; shared by the v2 and legacy endpoints.</summary>
internal sealed class SimulatorAuditLog
{
    private readonly Lock _gate = new();
    private readonly List<SimAuditEntry> _entries = [];
    private long _next;

    public SimAuditEntry Add(Func<string, SimAuditEntry> create)
    {
        lock (_gate)
        {
            _next++;
            var entry = create($"{_next:x8}-{_next % 0x10000:x4}-4000-8000-{_next:x12}");
            _entries.Add(entry);
            return entry;
        }
    }

    /// <summary>The account's entries in [since, before), oldest first (ties by id, so paging is stable).</summary>
    public SimAuditEntry[] Of(string accountId, DateTimeOffset since, DateTimeOffset before)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e.AccountId == accountId && e.Time >= since && e.Time < before)
                .OrderBy(e => e.Time).ThenBy(e => e.Id, StringComparer.Ordinal)];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }
}
