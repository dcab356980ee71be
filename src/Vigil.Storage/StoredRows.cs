using System.Data.Common;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Storage;

/// <summary>
/// Rows as both engines read them back: the columns hold the same values on SQLite and PostgreSQL (see Db), so each
/// model is built from a row in one place. Column order is the one each store's SELECT lists.
/// </summary>
internal static class StoredRows
{
    /// <summary>connections: id, name, purpose, api_url, account_id, credential_kind, email, created_at, last_tested_at, last_test_summary, ended_endpoints, cloudflare_user_id.</summary>
    public static Connection Connection(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Name: reader.GetString(1),
        Purpose: Db.ParsePurpose(reader.GetString(2)),
        ApiUrl: reader.GetString(3),
        AccountId: reader.NullableString(4),
        Kind: Db.ParseCredentialKind(reader.GetString(5)),
        Email: reader.NullableString(6),
        CreatedAt: Db.ParseTime(reader.GetString(7)),
        LastTestedAt: reader.NullableTime(8),
        LastTestSummary: reader.NullableString(9),
        EndedEndpoints: Db.FromJson<IReadOnlyList<string>>(reader.GetString(10)).ToHashSet(StringComparer.Ordinal),
        CloudflareUserId: reader.NullableString(11));

    /// <summary>snapshot_zones, in the column order of the stores' zone SELECT (zone_id ... features).</summary>
    public static Zone Zone(DbDataReader r)
    {
        ZoneSecurity? security = null;
        if (r.GetInt64(6) != 0)
        {
            var hsts = r.IsDBNull(10) ? null : new HstsPolicy(r.GetInt64(10) != 0, r.GetInt64(11), r.GetInt64(12) != 0, r.GetInt64(13) != 0);
            security = new ZoneSecurity(r.NullableString(7), r.NullableString(8), r.NullableString(9), hsts, r.NullableString(14),
                r.NullableString(15), r.NullableString(16), Db.FromJson<IReadOnlyDictionary<string, PhaseEntrypoint?>>(r.GetString(17)),
                r.IsDBNull(20) ? null : Db.FromJson<IReadOnlyList<PageRuleSsl>>(r.GetString(20)),
                r.IsDBNull(21) ? null : Db.FromJson<IReadOnlyList<HostnameSetting>>(r.GetString(21)),
                r.IsDBNull(22) ? null : Db.FromJson<ZoneFeatures>(r.GetString(22)));
        }

        return new Zone(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4) != 0, r.NullableString(5), security,
            r.NullableString(18), r.NullableString(19), r.FieldCount > 23 ? r.NullableTime(23) : null);
    }

    /// <summary>snapshot_members: member_id, account_id, user_id, email, first_name, last_name, status, two_factor_enabled, roles, policies, status_text, first_seen_at.</summary>
    public static AccountMember Member(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.NullableString(2), r.GetString(3), r.NullableString(4),
        r.NullableString(5), Db.ParseMembershipStatus(r.GetString(6)), r.NullableBool(7),
        Db.FromJson<IReadOnlyList<MemberRole>>(r.GetString(8)), Db.FromJson<IReadOnlyList<MemberPolicy>>(r.GetString(9)), r.NullableString(10),
        r.NullableTime(11), r.FieldCount > 12 ? r.NullableTime(12) : null);

    /// <summary>snapshot_account_tokens: token_id, account_id, name, status, issued_on, modified_on, not_before, expires_on, last_used_on, allowed_ips, denied_ips, creator_email, policies.</summary>
    public static AccountToken Token(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.NullableTime(4),
        r.NullableTime(5), r.NullableTime(6), r.NullableTime(7), r.NullableTime(8), Db.FromJson<IReadOnlyList<string>>(r.GetString(9)),
        Db.FromJson<IReadOnlyList<string>>(r.GetString(10)), r.NullableString(11), Db.FromJson<IReadOnlyList<TokenPolicy>>(r.GetString(12)));

    public const string DnsRecordColumns =
        "commit_id, record_id, zone_id, type, name, content, proxied, ttl, priority, caa_flags, caa_tag, caa_value, proxiable";

    /// <summary>
    /// One snapshot_dns_records row (<see cref="DnsRecordColumns"/>) with its commit. Zone ids and record types repeat
    /// across many rows, so they are shared through <paramref name="strings"/> to keep 200,000 records small in memory.
    /// </summary>
    public static (long Commit, DnsRecord Record) DnsRecord(DbDataReader r, Dictionary<string, string> strings)
    {
        string Share(string value) => strings.TryGetValue(value, out var known) ? known : strings[value] = value;
        return (r.GetInt64(0), new DnsRecord(r.GetString(1), Share(r.GetString(2)), Share(r.GetString(3)), r.GetString(4), r.GetString(5),
            r.NullableBool(6), (int)r.GetInt64(7), r.IsDBNull(8) ? null : (int)r.GetInt64(8),
            r.IsDBNull(10) ? null : new CaaData(r.IsDBNull(9) ? null : (int)r.GetInt64(9), r.GetString(10), r.NullableString(11) ?? ""),
            r.NullableBool(12)));
    }

    /// <summary>
    /// Each zone's records from the commit its zone row comes from, so a record deleted since an older connection's
    /// commit does not come back; null when no commit holds any record.
    /// </summary>
    public static IReadOnlyList<DnsRecord>? RecordsOfTheirZonesCommit(IReadOnlyList<(long Commit, DnsRecord Record)> rows, IReadOnlyDictionary<string, long> zoneCommits) =>
        rows.Count == 0
            ? null
            : [.. rows.Where(row => zoneCommits.TryGetValue(row.Record.ZoneId, out var commit) && commit == row.Commit).Select(row => row.Record)];

    /// <summary>alert_channels: id, kind, target, signed, smtp, created_at.</summary>
    public static Core.Alerts.AlertChannel AlertChannel(DbDataReader reader) => new(
        Id: reader.GetString(0),
        Kind: Db.ParseAlertChannelKind(reader.GetString(1)),
        Target: reader.GetString(2),
        CreatedAt: Db.ParseTime(reader.GetString(5)),
        HasSigningSecret: reader.GetInt64(3) != 0,
        Smtp: reader.IsDBNull(4) ? null : Db.FromJson<Core.Alerts.SmtpSettings>(reader.GetString(4)));

    /// <summary>alert_log: alert_id, raised_at, kind, subject, title, channel_id, channel, status, attempts, error, delivered_at.</summary>
    public static Core.Alerts.AlertLogEntry AlertLogEntry(DbDataReader reader) => new(
        AlertId: reader.GetString(0),
        RaisedAt: Db.ParseTime(reader.GetString(1)),
        Kind: reader.GetString(2),
        Subject: reader.GetString(3),
        Title: reader.GetString(4),
        ChannelId: reader.NullableString(5),
        Channel: reader.GetString(6),
        Status: reader.GetString(7),
        Attempts: (int)reader.GetInt64(8),
        Error: reader.NullableString(9),
        DeliveredAt: reader.NullableTime(10),
        NextAttemptAt: reader.NullableTime(11));

    /// <summary>Every alert_pending row of <paramref name="reader"/>, oldest alert first (alert ids are UUID v7: in the order raised).</summary>
    public static async Task<IReadOnlyList<Core.Alerts.PendingAlertDelivery>> PendingAlertDeliveriesAsync(DbDataReader reader, CancellationToken ct)
    {
        var pending = new List<Core.Alerts.PendingAlertDelivery>();
        while (await reader.ReadAsync(ct))
        {
            pending.Add(PendingAlertDelivery(reader));
        }

        return [.. pending.OrderBy(p => p.AlertId, StringComparer.Ordinal).ThenBy(p => p.ChannelId, StringComparer.Ordinal)];
    }

    /// <summary>alert_pending: alert_id, channel_id, alert, rounds, attempts, next_attempt_at, last_error.</summary>
    public static Core.Alerts.PendingAlertDelivery PendingAlertDelivery(DbDataReader reader) => new(
        AlertId: reader.GetString(0),
        ChannelId: reader.GetString(1),
        Alert: reader.GetString(2),
        Rounds: (int)reader.GetInt64(3),
        Attempts: (int)reader.GetInt64(4),
        NextAttemptAt: Db.ParseTime(reader.GetString(5)),
        LastError: reader.NullableString(6));
    /// <summary>audit_log_entries columns in the order <see cref="AuditLog"/> reads them.</summary>
    public const string AuditLogColumns =
        "entry_id, account_id, logged_at, action, resource_type, resource_id, zone_id, actor_email, actor_type, method, path, result, subject_email";

    /// <summary>How far back a snapshot looks in the kept audit log: Cloudflare keeps about 18 months.</summary>
    public static readonly TimeSpan AuditLogKept = TimeSpan.FromDays(548);

    /// <summary>
    /// SQL condition (on a row of audit_log_entries, <c>$org</c> bound) that lets retention delete it: no held run (review
    /// campaign, report) ended after the entry was read, so no held snapshot shows it. Shared by both engines.
    /// </summary>
    public const string AuditLogRetained = "NOT EXISTS (SELECT 1 FROM snapshot_holds h JOIN sync_runs r ON r.id = h.run_id AND r.organisation_id = h.organisation_id " +
        "WHERE h.organisation_id = $org AND audit_log_entries.read_at <= COALESCE(r.ended_at, r.started_at))";

    public static AuditLogEntry AuditLog(DbDataReader r) => new(r.GetString(0), r.GetString(1), Db.ParseTime(r.GetString(2)), r.GetString(3),
        r.NullableString(4), r.NullableString(5), r.NullableString(6), r.NullableString(7), r.NullableString(8), r.NullableString(9),
        r.NullableString(10), r.NullableString(11), r.NullableString(12));

    /// <summary>How far the stage commits behind a snapshot read each account's audit log (stage_commits.audit_log_read), one coverage per account.</summary>
    public static IReadOnlyList<AuditLogCoverage> AuditLogCoverage(IEnumerable<string?> commitsRead) =>
        Vigil.Core.Sync.AuditLogCoverage.Merge(commitsRead.OfType<string>().SelectMany(json => Db.FromJson<IReadOnlyList<AuditLogCoverage>>(json)));

    /// <summary>Entries about account memberships (the ones snapshots carry: removal evidence and admin changes to review).</summary>
    public static bool IsMembershipEntry(AuditLogEntry entry) => Vigil.Core.Sync.AuditLogMembership.IsMembershipEntry(entry);
}
