namespace Vigil.Core.Sync;

/// <summary>
/// One entry of a Cloudflare account's audit log (Audit Logs v2, <c>GET /accounts/{account_id}/logs/audit</c>), as far as
/// Vigil uses it: what was done to which resource, when and by whom. v2 has no before/after values.
/// </summary>
/// <param name="Id">Cloudflare's id of the entry (entries are de-duplicated by it).</param>
/// <param name="Time">When the action was logged (<c>action.time</c>).</param>
/// <param name="Action">The action type as Cloudflare sends it (<c>action.type</c>), e.g. "create", "update", "delete".</param>
/// <param name="ResourceType">The resource type (<c>resource.type</c>), e.g. "account.member", "zone.setting"; null when not sent.</param>
/// <param name="ResourceId">The resource's id (<c>resource.id</c>), e.g. the member id; null when not sent.</param>
/// <param name="ZoneId">The zone the action was about (<c>zone.id</c>); null for account-level actions.</param>
/// <param name="ActorEmail">The actor's email (<c>actor.email</c>); null for system actions.</param>
/// <param name="ActorType">"user", "account", "system", "cloudflare_admin", "delegated_service".</param>
/// <param name="Method">The HTTP method of the request that made the change (<c>raw.method</c>).</param>
/// <param name="Path">The request path without the /client/v4 prefix and query (<c>raw.uri</c>).</param>
/// <param name="Result">"success" or "failure" (<c>action.result</c>); null when not sent.</param>
/// <param name="SubjectEmail">For membership entries, the member's email as Vigil's snapshots knew it (v2 entries name only the membership id); null when unknown.</param>
public sealed record AuditLogEntry(
    string Id,
    string AccountId,
    DateTimeOffset Time,
    string Action,
    string? ResourceType,
    string? ResourceId,
    string? ZoneId,
    string? ActorEmail,
    string? ActorType,
    string? Method,
    string? Path,
    string? Result = null,
    string? SubjectEmail = null)
{
    /// <summary>The entry records a change that did not happen (Cloudflare logs failed attempts too).</summary>
    public bool Failed => string.Equals(Result, "failure", StringComparison.OrdinalIgnoreCase) || string.Equals(Result, "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Who did it, for messages: the actor's email, else the actor type, else "an unnamed actor".</summary>
    public string Actor => ActorEmail is { Length: > 0 } email ? email : ActorType is { Length: > 0 } type ? $"a {type} actor" : "an unnamed actor";
}

/// <summary>The kinds of change Vigil derives from audit log entries.</summary>
public static class AuditChangeKind
{
    public const string MemberAdded = "member_added";
    public const string MemberRemoved = "member_removed";
    public const string MemberRoleChanged = "member_roles_changed";
    public const string ZoneAdded = "zone_added";
    public const string ZoneRemoved = "zone_removed";
    public const string ZoneChanged = "zone_changed";
}

/// <summary>
/// What one incremental sync re-read, and why: <see cref="Why"/> is "logged_change" (the audit log named it),
/// "new" (not in the previous snapshot), "list_changed" (its list entry differs from the previous snapshot's), "freshness"
/// (its last read was the oldest, see max_resource_age_hours), "not_understood" (an entry of its type could not be
/// interpreted, so the type is re-read in full) or "fallback" (the account's log could not be used).
/// </summary>
/// <param name="ResourceType">"zone", "account_members" (an account's memberships, roles, groups and tokens) or "account_rulesets".</param>
public sealed record ReReadCount(string Why, string ResourceType, int Count);

/// <summary>How one stage of one connection read Cloudflare: in full, or incrementally from the audit log.</summary>
/// <param name="Mode">"full" or "incremental".</param>
/// <param name="LogEntries">Distinct audit log entries read (after de-duplication by id).</param>
/// <param name="ReRead">Resources read again, grouped by why; empty for a full read.</param>
/// <param name="Carried">Resources carried over from the previous snapshot, with their last-read time.</param>
/// <param name="Fallbacks">Why (part of) the stage was read in full, one plain sentence each.</param>
/// <param name="HighWaterMark">The time up to which the audit log is reflected in this stage's data: the next incremental read starts here minus the overlap.</param>
/// <param name="AccountsObservedAt">Per account, when its account-level data (memberships, or rulesets and Logpush) was last read in full.</param>
/// <param name="Needs">The data kinds the stage read (<c>DataNeeds</c>): an incremental read carries rows over only from a stage that read the same kinds.</param>
public sealed record StageReadMode(
    string Mode,
    int LogEntries,
    IReadOnlyList<ReReadCount> ReRead,
    int Carried,
    IReadOnlyList<string> Fallbacks,
    DateTimeOffset? HighWaterMark,
    IReadOnlyDictionary<string, DateTimeOffset>? AccountsObservedAt = null,
    long? Needs = null)
{
    public const string Full = "full";
    public const string Incremental = "incremental";
}

/// <summary>
/// How much of one account's audit log Vigil has read: the period from <see cref="From"/> to <see cref="To"/> with no break
/// (each incremental sync reads on from the last one's high-water mark), or why the last sync could not read it. An account
/// with no coverage at all has had no incremental sync yet: a full sync does not read the audit log.
/// </summary>
/// <param name="From">Start of the period read without a break; null when the log could not be read.</param>
/// <param name="To">End of the period read (the reading stage's high-water mark); null when the log could not be read.</param>
/// <param name="Problem">Why the last sync could not read the log, e.g. "HTTP 403"; null when it was read.</param>
/// <param name="MissingPermission">The Cloudflare permission group that would allow the read, when that is why.</param>
public sealed record AuditLogCoverage(string AccountId, DateTimeOffset? From, DateTimeOffset? To, string? Problem = null, string? MissingPermission = null)
{
    /// <summary>The log was read (<see cref="From"/> and <see cref="To"/> are set).</summary>
    public bool Read => From is not null && To is not null;

    /// <summary>
    /// One coverage per account out of the coverages several stage reads recorded: the read one reaching furthest, else the
    /// first that says why the log could not be read.
    /// </summary>
    public static IReadOnlyList<AuditLogCoverage> Merge(IEnumerable<AuditLogCoverage> coverages) =>
        [.. coverages.GroupBy(c => c.AccountId, StringComparer.Ordinal)
            .Select(g => g.Where(c => c.Read).MaxBy(c => c.To) ?? g.First())
            .OrderBy(c => c.AccountId, StringComparer.Ordinal)];
}
