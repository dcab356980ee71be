using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Core.Checks;

/// <summary>Finding constructors per resource, and the findings shared by many checks (no data, unreadable data).</summary>
internal static class Findings
{
    public const string RunSync = "Run `vigil sync` to read the data from Cloudflare.";

    public static Finding Pass(this AccountMember member, string reason) => ForMember(member, FindingStatus.Pass, reason, null);
    public static Finding Fail(this AccountMember member, string reason, string remediation) => ForMember(member, FindingStatus.Fail, reason, remediation);
    public static Finding Skip(this AccountMember member, string reason) => ForMember(member, FindingStatus.Skipped, reason, null);
    public static Finding Unknown(this AccountMember member, string reason, string? remediation) => ForMember(member, FindingStatus.Unknown, reason, remediation);

    public static Finding Pass(this CloudflareAccount account, string reason) => ForAccount(account.Id, account.Name, FindingStatus.Pass, reason, null);
    public static Finding Fail(this CloudflareAccount account, string reason, string remediation) => ForAccount(account.Id, account.Name, FindingStatus.Fail, reason, remediation);

    public static Finding Pass(this Zone zone, string reason) => ForZone(zone, FindingStatus.Pass, reason, null);
    public static Finding Fail(this Zone zone, string reason, string remediation) => ForZone(zone, FindingStatus.Fail, reason, remediation);
    public static Finding Skip(this Zone zone, string reason) => ForZone(zone, FindingStatus.Skipped, reason, null);
    public static Finding Unknown(this Zone zone, string reason, string? remediation) => ForZone(zone, FindingStatus.Unknown, reason, remediation);

    public static Finding UnknownAccount(EvaluationContext context, string accountId, string reason, string? remediation) =>
        ForAccount(accountId, context.FindAccount(accountId)?.Name ?? accountId, FindingStatus.Unknown, reason, remediation);

    /// <summary>The snapshot has no data of a stage at all.</summary>
    public static Finding NotSynced(Snapshot snapshot, string stage) =>
        new(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot", $"no {stage} data synced yet: run vigil sync", RunSync);

    /// <summary>Says what the sync could not read and why, e.g. "GET /zones/z1/dnssec failed (403 Forbidden); the credential lacks 'Zone Read'".</summary>
    public static string Describe(ReadGap gap)
    {
        var permission = gap.MissingPermission is { Length: > 0 } p ? $"; the credential lacks the '{p}' permission" : "";
        return $"{gap.What} failed ({gap.Reason}){permission}";
    }

    /// <summary>How to close a gap: grant the permission when known, then sync again.</summary>
    public static string Remediation(ReadGap? gap) => gap?.MissingPermission is { Length: > 0 } permission
        ? $"Grant the API token the '{permission}' permission (Cloudflare dashboard > My Profile > API Tokens > Edit), then run `vigil sync`."
        : "Check that the connection's credential can read this resource (`vigil connections test NAME`), then run `vigil sync`.";

    private static Finding ForMember(AccountMember member, FindingStatus status, string reason, string? remediation) =>
        new(status, ResourceTypes.Member, member.Id, member.AccountId, member.Label, reason, remediation);

    private static Finding ForAccount(string id, string name, FindingStatus status, string reason, string? remediation) =>
        new(status, ResourceTypes.Account, id, id, name, reason, remediation);

    private static Finding ForZone(Zone zone, FindingStatus status, string reason, string? remediation) =>
        new(status, ResourceTypes.Zone, zone.Id, zone.AccountId, zone.Name, reason, remediation);
}
