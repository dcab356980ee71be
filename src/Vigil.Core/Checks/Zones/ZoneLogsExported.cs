using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>
/// The zone's traffic is exported for monitoring: an enabled Logpush job pushes its HTTP requests or firewall events
/// (SOC 2 CC7.2). Logpush of those datasets needs the Enterprise plan; zones on other plans are skipped.
/// </summary>
/// <remarks>
/// Cloudflare documents http_requests and firewall_events as zone-scoped datasets; the account's jobs (account-scoped
/// datasets such as audit_logs) are read once per account and count only if one pushes one of those datasets, and are
/// otherwise named in a failing reason so the reader sees why they do not cover the zone.
/// </remarks>
internal sealed class ZoneLogsExported : ICheck
{
    /// <summary>The <see cref="Sync.ReadGap.ResourceType"/> of an account whose Logpush jobs could not be read.</summary>
    public const string AccountLogpushGap = "account_logpush";

    private static readonly ZoneRead Read = new("logpush", "the Logpush jobs", "Logs Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-logs-exported",
        Title: "Zone exports its HTTP request or firewall event logs",
        Severity: Severity.Medium,
        Asserts: "Each active Enterprise zone has an enabled Logpush job (of the zone, or of its account) pushing the http_requests or firewall_events dataset " +
                 "whose last push did not fail, so its traffic and security events reach the organisation's log store. Instant Logs jobs do not count. " +
                 "Zones below Enterprise are skipped: Logpush of these datasets needs the Enterprise plan.",
        Remediation: "Create a Logpush job for the HTTP requests (or Firewall events) dataset in the Cloudflare dashboard under Analytics & Logs > Logpush " +
                     "(or POST /zones/{zone_id}/logpush/jobs), and fix the destination of jobs whose last push failed.",
        Frameworks: [Soc2.CC7_2, Soc2.CC7_1, Iso27001.A8_15, Iso27001.A8_16, PciDss.R10_2_1, PciDss.R10_3_3],
        Needs: DataNeeds.Zones | DataNeeds.Logpush);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => Judge(context, zone, security));

    private static Finding Judge(EvaluationContext context, Zone zone, ZoneSecurity security)
    {
        if (!PlanFeatures.Includes(PlanFeatures.Logpush, zone.PlanLegacyId))
        {
            return zone.Skip($"zone {zone.Name}: Logpush of HTTP requests and firewall events is {PlanFeatures.NotAvailable(zone.PlanLegacyId)} (it needs Enterprise)");
        }
        if (security.Features?.LogpushJobs is not { } zoneJobs)
        {
            return ZoneScope.Unreadable(context, zone, Read);
        }

        var account = context.Snapshot.AccountLogpush?.FirstOrDefault(a => a.AccountId == zone.AccountId);
        var candidates = zoneJobs.Select(j => (Level: "zone", Job: j))
            .Concat((account?.Jobs ?? []).Select(j => (Level: "account", Job: j)))
            .ToList();
        var exporting = candidates.Where(c => c.Job.Enabled && c.Job.CoversTraffic && !c.Job.IsInstantLogs && !c.Job.IsFailing).ToList();
        if (exporting.Count > 0)
        {
            return zone.Pass($"zone {zone.Name} exports {string.Join("; ", exporting.Select(c => Describe(c.Level, c.Job)))}");
        }

        var problems = new List<string>();
        foreach (var (level, job) in candidates.Where(c => c.Job.CoversTraffic))
        {
            problems.Add(job switch
            {
                { IsInstantLogs: true } => $"{Describe(level, job)} is an Instant Logs job (a live view, nothing is stored)",
                { Enabled: false } => $"{Describe(level, job)} is disabled",
                _ => $"{Describe(level, job)} failed its last push ({job.ErrorMessage ?? "no message"}, at {job.LastError?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)",
            });
        }
        var otherDatasets = candidates.Where(c => !c.Job.CoversTraffic).Select(c => $"{c.Level} job {c.Job.Id} pushes {c.Job.Dataset ?? "an unnamed dataset"}").ToList();
        if (otherDatasets.Count > 0)
        {
            problems.Add($"{string.Join(", ", otherDatasets)}, which {(otherDatasets.Count == 1 ? "does" : "do")} not record the zone's traffic");
        }
        if (account is null
            && context.Snapshot.Gaps.FirstOrDefault(g => g.Stage == "infra" && g.ResourceType == AccountLogpushGap && g.ResourceId == zone.AccountId) is { } accountGap)
        {
            problems.Add($"the account's Logpush jobs could not be read ({Findings.Describe(accountGap)})");
        }

        var why = problems.Count == 0 ? "has no Logpush job" : $"has no working Logpush job for http_requests or firewall_events: {string.Join("; ", problems)}";
        return zone.Fail($"zone {zone.Name} {why}",
            $"Cloudflare dashboard > {zone.Name} > Analytics & Logs > Logpush > Create a Logpush job for the HTTP requests or Firewall events dataset " +
            $"(API: POST /zones/{zone.Id}/logpush/jobs with \"dataset\":\"http_requests\"); enable it and check that its destination accepts the pushes.");
    }

    private static string Describe(string level, LogpushJob job) =>
        $"{job.Dataset} through {level} Logpush job {job.Id}{(string.IsNullOrWhiteSpace(job.Name) ? "" : $" ({job.Name})")}" +
        (job.DestinationType is { Length: > 0 } destination ? $" to {destination}" : "");
}
