using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Reviews;
using Vigil.Core.Sync;
using Vigil.Core.Systems;

namespace Vigil.Core.Checks.Access;

/// <summary>
/// Every membership added, removed or re-roled (as the account audit log records it) is put before an access review
/// within the review interval: listed for the next campaign while it is recent, failing once it is older than
/// review_interval_days with no campaign started since. An account with no change passes only when its log was read, and the
/// finding says over which period; otherwise it is unknown.
/// </summary>
internal sealed class AdminChangesReviewed : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.admin-changes-reviewed",
        Title: "Member and role changes are put before the next access review",
        Severity: Severity.Medium,
        Asserts: "Every membership added, removed or re-roled in the account audit log (read by the sync, Account Settings Read) within the last two review intervals was followed by a Cloudflare access review campaign within review_interval_days (default 90); changes not yet reviewed are listed for the next campaign. An account whose audit log has not been read (only full syncs so far, or the log unreadable) is unknown, since no entry there does not mean no change.",
        Remediation: "Start an access review that covers the change: `vigil review start cloudflare`, decide every item (`vigil review decide`), and sign it off (`vigil review complete`).",
        Frameworks: [Soc2.CC6_2, Soc2.CC6_3, Soc2.CC8_1, Iso27001.A5_18, Iso27001.A8_2, PciDss.R7_2_4],
        Needs: DataNeeds.Members | DataNeeds.CriticalSystem);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        var interval = context.Options.ReviewInterval;
        var days = interval.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
        var campaigns = context.Reviews.Of(CriticalSystem.CloudflareName)
            .Where(c => c.Campaign.Status != CampaignStatus.Cancelled)
            .OrderBy(c => c.Campaign.CreatedAt)
            .ToList();
        var changes = (context.Snapshot.AuditLog ?? [])
            .Select(AuditLogMembership.Read)
            .OfType<AuditLogMembership.Change>()
            .Where(c => c.Entry.Time >= context.Now - (2 * interval))
            .OrderBy(c => c.Entry.Time)
            .ToList();
        foreach (var finding in Coverage(context, changes, interval))
        {
            yield return finding;
        }
        foreach (var change in changes)
        {
            var what = change.Kind switch
            {
                AuditChangeKind.MemberAdded => "added",
                AuditChangeKind.MemberRemoved => "removed",
                _ => "re-roled",
            };
            var who = change.Entry.SubjectEmail ?? change.MemberId ?? "a membership";
            var account = context.FindAccount(change.AccountId)?.Name ?? change.AccountId;
            var subject = $"{who} in {account}";
            var at = Time(change.Entry.Time);
            var described = $"{who} was {what} in account {account} by {change.Entry.Actor} at {at}";
            var reviewed = campaigns.FirstOrDefault(c => c.Campaign.CreatedAt >= change.Entry.Time);
            var age = context.Now - change.Entry.Time;
            var finding = reviewed is not null
                ? Finding(change, subject, FindingStatus.Pass, $"{described}; put before campaign {reviewed.Id} ({reviewed.Campaign.Name}), started {Time(reviewed.Campaign.CreatedAt)}", null)
                : age <= interval
                    ? Finding(change, subject, FindingStatus.Pass,
                        $"{described}; listed for the next access review campaign, due by {Time(change.Entry.Time + interval)} (review_interval_days {days})", null)
                    : Finding(change, subject, FindingStatus.Fail,
                        $"{described}, {(int)age.TotalDays} days ago, and no access review campaign has started since; changes are due for review within {days} days (review_interval_days)",
                        Definition.Remediation);
            yield return finding;
        }
    }

    /// <summary>
    /// Per account, what the log read vouches for: an account whose log was read and records no change in the window passes
    /// (naming the period read); one whose log was never read, or could not be read at the last sync, is unknown, since no
    /// entry there does not mean no change.
    /// </summary>
    private static IEnumerable<Finding> Coverage(EvaluationContext context, IReadOnlyList<AuditLogMembership.Change> changes, TimeSpan interval)
    {
        var snapshot = context.Snapshot;
        if (snapshot.AccessSyncedAt is null)
        {
            yield return Findings.NotSynced(snapshot, "access");
            yield break;
        }
        var windowDays = (2 * interval.TotalDays).ToString("0", CultureInfo.InvariantCulture);
        var read = (snapshot.AuditLogRead ?? []).ToDictionary(c => c.AccountId, StringComparer.Ordinal);
        var changed = changes.Select(c => c.AccountId).ToHashSet(StringComparer.Ordinal);
        foreach (var account in snapshot.Accounts.DistinctBy(a => a.Id).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            var coverage = read.GetValueOrDefault(account.Id);
            if (coverage is { From: { } from, To: { } to })
            {
                if (!changed.Contains(account.Id))
                {
                    // Retention (retention_days) deletes stored entries logged before its cutoff: an unbroken read vouches
                    // for no change only from there on.
                    var cutoff = context.Options.Retention is { } retention ? context.Now - retention : (DateTimeOffset?)null;
                    var start = cutoff is { } kept && kept > from && kept > context.Now - (2 * interval)
                        ? $"from {Time(kept)} (retention_days {context.Options.Retention!.Value.TotalDays.ToString("0", CultureInfo.InvariantCulture)} deletes older entries; read without a break since {Time(from)})"
                        : from > context.Now - (2 * interval)
                        ? $"from {Time(from)} (when Vigil began reading it without a break)"
                        : $"over the last {windowDays} days (read without a break since {Time(from)})";
                    yield return account.Pass($"the audit log of account {account.Name} records no member or role change {start} up to {Time(to)}");
                }
                continue;
            }
            yield return coverage is { Problem: { } problem }
                ? Findings.UnknownAccount(context, account.Id,
                    $"the audit log of account {account.Name} could not be read at the last sync ({problem}{(coverage.MissingPermission is { } p ? $"; the credential lacks the '{p}' permission" : "")}), " +
                    "so member and role changes since cannot be listed", Findings.Remediation(new ReadGap("access", "audit_log", account.Id, "", problem, coverage.MissingPermission)))
                : Findings.UnknownAccount(context, account.Id,
                    $"the audit log of account {account.Name} has not been read yet: a full sync (the first sync, --full, or a fallback to a full read) does not read the audit log; the next incremental sync will",
                    "Run `vigil sync` again: an incremental sync reads the audit log from where the last sync ended (it needs Account Settings Read).");
        }
    }

    private static Finding Finding(AuditLogMembership.Change change, string subject, FindingStatus status, string reason, string? remediation) =>
        new(status, ResourceTypes.Member, change.MemberId ?? change.Entry.Id, change.AccountId, subject, reason, remediation, change.Entry.Time);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
