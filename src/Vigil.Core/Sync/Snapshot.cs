using Vigil.Core.Inventory;

namespace Vigil.Core.Sync;

/// <summary>
/// What Vigil knows of the Cloudflare estate at one point: the access data and infrastructure data last committed.
/// The two parts may come from different sync runs when a later run committed only one stage.
/// </summary>
/// <param name="Id">The id of the sync run this snapshot belongs to (the newest run that committed a stage).</param>
/// <param name="AccessSyncedAt">When the access data was committed; null when no access stage ever committed.</param>
/// <param name="InfraSyncedAt">When the infrastructure data was committed; null when no infrastructure stage ever committed.</param>
/// <param name="Gaps">What the credentials could not read, so that no passing check is silently partial.</param>
/// <param name="AccountRulesets">Account-level phase entrypoints read with the infrastructure data, one entry per account read.</param>
/// <param name="AccountTokens">Account-owned API tokens read with the access data; null when they were not read (no check needed them, or an older snapshot). An account whose tokens could not be read has a gap of type <see cref="AccountToken.GapType"/>.</param>
/// <param name="DnsRecords">DNS records of the monitored zones whose records were read (each zone's <see cref="ZoneFeatures.DnsRecordCount"/> says whether they were); null when none was read.</param>
/// <param name="AuditLog">Audit log entries about memberships Vigil has read (the newest 18 months), oldest first; null or empty: none read.</param>
/// <param name="AuditLogRead">Per account, the period of its audit log the syncs behind this snapshot read (or why they could not); null or no entry for an account: its log was not read (only full syncs so far).</param>
/// <param name="AccountLogpush">Account Logpush jobs read with the infrastructure data, one entry per account read; null or absent: not read.</param>
public sealed record Snapshot(
    string Id,
    DateTimeOffset TakenAt,
    DateTimeOffset? AccessSyncedAt,
    DateTimeOffset? InfraSyncedAt,
    IReadOnlyList<CloudflareAccount> Accounts,
    IReadOnlyList<AccountRole> Roles,
    IReadOnlyList<AccountMember> Members,
    IReadOnlyList<Zone> Zones,
    IReadOnlyList<ReadGap> Gaps,
    IReadOnlyList<AccountRulesets>? AccountRulesets = null,
    IReadOnlyList<AccountToken>? AccountTokens = null,
    IReadOnlyList<DnsRecord>? DnsRecords = null,

    IReadOnlyList<AccountLogpush>? AccountLogpush = null,
    IReadOnlyList<AuditLogEntry>? AuditLog = null,
    IReadOnlyList<AuditLogCoverage>? AuditLogRead = null)
{
    public static Snapshot Empty(string id, DateTimeOffset at) => new(id, at, null, null, [], [], [], [], []);
}

/// <summary>Something a sync could not read, with why and how to fix it.</summary>
/// <param name="Stage">"access" or "infra".</param>
/// <param name="ResourceType">"account", "member", "zone", "zone_setting", "dnssec", "ruleset", "role".</param>
/// <param name="ResourceId">The account or zone id the read was for; null for a stage-wide gap.</param>
/// <param name="What">The read that failed, e.g. "GET /zones/{id}/dnssec".</param>
/// <param name="MissingPermission">The Cloudflare permission group that would allow the read, when known.</param>
public sealed record ReadGap(string Stage, string ResourceType, string? ResourceId, string What, string Reason, string? MissingPermission);
