namespace Vigil.Core.Sync;

/// <summary>
/// Reads membership changes out of audit log entries. An entry is about a membership when the request that made it
/// addressed <c>/accounts/{account_id}/members[/{member_id}]</c> (<c>raw.uri</c>), or when its resource type names an
/// account member. The change is taken from the HTTP method (POST added, DELETE removed, PUT/PATCH changed the roles),
/// else from the action type (create / delete / update).
/// </summary>
public static class AuditLogMembership
{
    /// <summary>A membership change read from the log.</summary>
    /// <param name="Kind">One of <see cref="AuditChangeKind"/>'s member kinds.</param>
    /// <param name="MemberId">The membership id; null when the entry does not name it (an invitation's POST, whose id is only in the response).</param>
    public sealed record Change(string Kind, string AccountId, string? MemberId, AuditLogEntry Entry);

    public static bool IsMembershipEntry(AuditLogEntry entry) => Read(entry) is not null;

    /// <summary>The membership change the entry records; null when it is not about a membership, failed, or its action is not one Vigil knows.</summary>
    public static Change? Read(AuditLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Failed)
        {
            return null;
        }
        var segments = PathSegments(entry.Path);
        string? memberId = null;
        var byPath = segments.Length >= 3 && segments[0] == "accounts" && segments[2] == "members";
        if (byPath)
        {
            memberId = segments.Length >= 4 ? segments[3] : null;
        }
        else if (!IsMemberType(entry.ResourceType))
        {
            return null;
        }
        memberId ??= entry.ResourceId;
        var kind = KindOf(entry.Method, entry.Action);
        return kind is null ? null : new Change(kind, entry.AccountId, memberId, entry);
    }

    /// <summary>"create", "delete", "update" (or POST, DELETE, PUT/PATCH) to a change kind; null for anything else.</summary>
    public static string? KindOf(string? method, string? action) => (method?.ToUpperInvariant()) switch
    {
        "POST" => AuditChangeKind.MemberAdded,
        "DELETE" => AuditChangeKind.MemberRemoved,
        "PUT" or "PATCH" => AuditChangeKind.MemberRoleChanged,
        _ => Normalise(action) switch
        {
            "create" or "add" or "invite" => AuditChangeKind.MemberAdded,
            "delete" or "remove" => AuditChangeKind.MemberRemoved,
            "update" or "edit" => AuditChangeKind.MemberRoleChanged,
            _ => null,
        },
    };

    /// <summary>The removal of a membership recorded in the log, the latest one at or before <paramref name="noticedBy"/>; null when none is logged.</summary>
    public static Change? FindRemoval(IEnumerable<AuditLogEntry>? log, string accountId, string memberId, DateTimeOffset? after, DateTimeOffset noticedBy) =>
        (log ?? [])
            .Select(Read)
            .OfType<Change>()
            .Where(c => c.Kind == AuditChangeKind.MemberRemoved && c.AccountId == accountId && c.MemberId == memberId
                && c.Entry.Time <= noticedBy && (after is not { } a || c.Entry.Time >= a))
            .MaxBy(c => c.Entry.Time);

    /// <summary>"removed by admin@example.com at 2026-11-02 11:12 UTC, 3 h 12 min after the decision".</summary>
    public static string DescribeRemoval(Change removal, DateTimeOffset reference, string referenceName)
    {
        ArgumentNullException.ThrowIfNull(removal);
        var at = removal.Entry.Time;
        var span = at - reference;
        return $"removed by {removal.Entry.Actor} at {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)}, " +
            $"{Elapsed(span.Duration())} {(span >= TimeSpan.Zero ? "after" : "before")} {referenceName}";
    }

    /// <summary>"3 h 12 min", "2 d 4 h", "under a minute".</summary>
    public static string Elapsed(TimeSpan span) => span switch
    {
        { TotalMinutes: < 1 } => "under a minute",
        { TotalHours: < 1 } => $"{span.Minutes} min",
        { TotalDays: < 1 } => $"{span.Hours} h {span.Minutes} min",
        _ => $"{(int)span.TotalDays} d {span.Hours} h",
    };

    /// <summary>Said when no audit log entry records a removal: the time is then the sync that noticed it.</summary>
    public const string NoLogEntry = "no audit log entry records who removed it (reading the audit log needs the Account Settings Read permission)";

    private static bool IsMemberType(string? type) =>
        type is not null && (type.Equals("member", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith(".member", StringComparison.OrdinalIgnoreCase) || type.EndsWith("_member", StringComparison.OrdinalIgnoreCase)
            || type.Equals("account.members", StringComparison.OrdinalIgnoreCase));

    private static string Normalise(string? action) => (action ?? "").Trim().ToLowerInvariant() switch
    {
        var a when a.EndsWith("_create", StringComparison.Ordinal) || a.EndsWith(".create", StringComparison.Ordinal) => "create",
        var a when a.EndsWith("_delete", StringComparison.Ordinal) || a.EndsWith(".delete", StringComparison.Ordinal) => "delete",
        var a when a.EndsWith("_update", StringComparison.Ordinal) || a.EndsWith(".update", StringComparison.Ordinal) => "update",
        var a => a,
    };

    /// <summary>The path's segments after any /client/v4 prefix, without the query.</summary>
    public static string[] PathSegments(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return [];
        }
        var withoutQuery = path.Split('?', 2)[0];
        if (Uri.TryCreate(withoutQuery, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            withoutQuery = absolute.AbsolutePath;
        }
        var segments = withoutQuery.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = segments.Length >= 2 && segments[0] == "client" && segments[1] == "v4" ? 2 : 0;
        return segments[start..];
    }
}
