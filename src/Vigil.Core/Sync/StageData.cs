using Vigil.Core.Inventory;

namespace Vigil.Core.Sync;

/// <summary>A raw API response kept beside the normalised rows as audit evidence.</summary>
/// <param name="Request">Method and path with query, e.g. "GET /accounts/abc/members?page=2&amp;per_page=50".</param>
/// <param name="Body">The response body exactly as received.</param>
public sealed record RawPayload(string Request, DateTimeOffset ReceivedAt, string Body);

/// <summary>Everything the access stage read for one connection; committed in one transaction.</summary>
/// <param name="AccountTokens">The accounts' account-owned API tokens; null when they were not read (no selected check needs them).</param>
/// <param name="AuditLog">Audit log entries read for this stage (kept once per entry id, whichever stage read them).</param>
/// <param name="AuditLogRead">Per account whose audit log the stage read (or tried to), the period read without a break or why it could not be read; null: the stage read no audit log (a full read).</param>
public sealed record AccessStageData(
    IReadOnlyList<CloudflareAccount> Accounts,
    IReadOnlyList<AccountRole> Roles,
    IReadOnlyList<AccountMember> Members,
    IReadOnlyList<ReadGap> Gaps,
    IReadOnlyList<RawPayload> Evidence,
    IReadOnlyList<AccountToken>? AccountTokens = null,
    IReadOnlyList<AuditLogEntry>? AuditLog = null,
    IReadOnlyList<AuditLogCoverage>? AuditLogRead = null);

/// <summary>Everything the infrastructure stage read for one connection; committed in one transaction.</summary>
/// <param name="AccountRulesets">Account-level phase entrypoints, one entry per account whose rulesets could be read.</param>
/// <param name="DnsRecords">DNS records of the zones whose records were read; null when none was read.</param>
/// <param name="AccountLogpush">Account Logpush jobs, one entry per account whose jobs were read.</param>
/// <param name="AuditLogRead">As for <see cref="AccessStageData.AuditLogRead"/>.</param>
public sealed record InfraStageData(
    IReadOnlyList<Zone> Zones,
    IReadOnlyList<ReadGap> Gaps,
    IReadOnlyList<RawPayload> Evidence,
    IReadOnlyList<AccountRulesets>? AccountRulesets = null,
    IReadOnlyList<DnsRecord>? DnsRecords = null,

    IReadOnlyList<AccountLogpush>? AccountLogpush = null,
    IReadOnlyList<AuditLogEntry>? AuditLog = null,
    IReadOnlyList<AuditLogCoverage>? AuditLogRead = null);
