using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Sync;

/// <summary>
/// What changed, derived from audit log entries (de-duplicated by id): the zones to re-read, the accounts whose access
/// data (memberships, roles, user groups, tokens, SSO) or account-level rulesets and Logpush jobs to re-read, and the
/// entries Vigil could not interpret. An entry is placed by the request that made it (<c>raw.uri</c>, <c>raw.method</c>)
/// and, when that is missing, by its <c>zone.id</c> and <c>resource.type</c>. Entries about things Vigil never reads
/// (Workers, R2, ...) are ignored; failed actions change nothing.
/// </summary>
internal sealed class AuditLogChanges
{
    public Dictionary<string, string> Zones { get; } = new(StringComparer.Ordinal);
    public HashSet<string> AccountsAccess { get; } = new(StringComparer.Ordinal);
    public HashSet<string> AccountRulesets { get; } = new(StringComparer.Ordinal);

    /// <summary>Zones added or removed: the zone list is re-read (it always is).</summary>
    public int ZoneListChanges { get; private set; }

    /// <summary>Resource types to re-read in full because an entry of that type could not be interpreted: "zones" or "account_members".</summary>
    public HashSet<string> TypesInFull { get; } = new(StringComparer.Ordinal);

    /// <summary>One sentence per entry not understood.</summary>
    public List<(string Type, string Sentence)> NotUnderstood { get; } = [];

    public static AuditLogChanges Derive(IEnumerable<AuditLogEntry> entries)
    {
        var changes = new AuditLogChanges();
        foreach (var entry in entries.DistinctBy(e => (e.AccountId, e.Id)))
        {
            if (!entry.Failed)
            {
                changes.Add(entry);
            }
        }
        return changes;
    }

    private void Add(AuditLogEntry entry)
    {
        var segments = AuditLogMembership.PathSegments(entry.Path);
        var method = entry.Method?.ToUpperInvariant();
        var knownAction = method is "POST" or "PUT" or "PATCH" or "DELETE" || AuditLogMembership.KindOf(null, entry.Action) is not null;
        if (segments.Length > 0 && segments[0] == "zones")
        {
            var zoneId = segments.Length > 1 ? segments[1] : entry.ZoneId ?? entry.ResourceId;
            if (segments.Length <= 2 && method is "POST" or "DELETE")
            {
                ZoneListChanges++;
            }
            if (zoneId is { Length: > 0 })
            {
                Zones.TryAdd(zoneId, AuditChangeKind.ZoneChanged);
            }
            return;
        }
        if (segments.Length >= 2 && segments[0] == "accounts")
        {
            var accountId = segments[1];
            var area = segments.Length > 2 ? segments[2] : "";
            switch (area)
            {
                case "" or "members" or "roles" or "iam" or "tokens" or "sso_connectors":
                    if (area == "members" && AuditLogMembership.Read(entry) is null)
                    {
                        NotUnderstoodEntry(entry, "account_members");
                        return;
                    }
                    AccountsAccess.Add(accountId);
                    return;
                case "rulesets" or "logpush":
                    AccountRulesets.Add(accountId);
                    return;
                default:
                    return; // Workers, R2, ...: nothing Vigil reads
            }
        }
        if (segments.Length > 0)
        {
            return; // a request path outside accounts and zones: nothing Vigil reads
        }
        // No request path: place the entry by its zone and resource type.
        if (entry.ZoneId is { Length: > 0 } zone)
        {
            Zones.TryAdd(zone, AuditChangeKind.ZoneChanged);
            return;
        }
        var type = (entry.ResourceType ?? "").ToLowerInvariant();
        if (AuditLogMembership.Read(entry) is not null)
        {
            AccountsAccess.Add(entry.AccountId);
        }
        else if (type.Contains("member", StringComparison.Ordinal) || type.Contains("user_group", StringComparison.Ordinal)
            || type.Contains("token", StringComparison.Ordinal) || type.Contains("role", StringComparison.Ordinal))
        {
            if (knownAction)
            {
                AccountsAccess.Add(entry.AccountId);
            }
            else
            {
                NotUnderstoodEntry(entry, "account_members");
            }
        }
        else if (type.StartsWith("zone", StringComparison.Ordinal) || type.StartsWith("dns", StringComparison.Ordinal)
            || type.Contains("ruleset", StringComparison.Ordinal) || type.Contains("page_rule", StringComparison.Ordinal))
        {
            // A zone-level type without the zone it changed: every zone is re-read.
            NotUnderstoodEntry(entry, "zones");
        }
        else
        {
            // Neither a request path nor a type Vigil knows: its account's memberships and zones are re-read in full.
            NotUnderstoodEntry(entry, "account_members");
            NotUnderstoodEntry(entry, "zones");
        }
    }

    private void NotUnderstoodEntry(AuditLogEntry entry, string type)
    {
        TypesInFull.Add(type);
        if (NotUnderstood.Count(n => n.Type == type) < 3)
        {
            var what = type == "zones" ? "every zone was re-read in full" : "every account's memberships were re-read in full";
            var sentence = $"Audit log entry {entry.Id} of account {entry.AccountId} (resource type \"{entry.ResourceType ?? "none"}\", action \"{entry.Action}\") " +
                $"is not one Vigil understands, so {what}.";
            NotUnderstood.Add((type, sentence));
        }
    }
}
