using Vigil.Core.Checks;
using Vigil.Core.Frameworks;
using Vigil.Core.Sync;

namespace Vigil.App.Reports;

/// <summary>
/// Everything one evidence report states, built once by <see cref="ReportBuilder"/> and written in any format by the
/// writers (<see cref="JsonReportWriter"/>, <see cref="CsvReportWriter"/>, <see cref="HtmlReportWriter"/>,
/// <see cref="OcsfReportWriter"/>). Every list is in a stable order and every time is a stored one, so the same stored
/// data gives the same report.
/// </summary>
/// <param name="Selection">How the snapshot was chosen: "current", "snapshot ID" or "at DATE".</param>
/// <param name="AsOf">The moment the report judges time-dependent states at (a pending revocation becoming overdue): the newest recorded fact among the evaluation and the campaign, never the clock, so the report is reproducible.</param>
/// <param name="Access">The access stage the members and access checks came from: when it was read and the raw API responses.</param>
/// <param name="Infra">The infrastructure stage the zones and zone checks came from.</param>
/// <param name="Frameworks">Each framework's controls with the checks mapped to them and this report's outcome for each (see <see cref="ReportBuilder.Frameworks"/>).</param>
/// <param name="Review">The campaign named with --review; null without it.</param>
public sealed record EvidenceReport(
    string OrganisationId,
    string OrganisationName,
    string SnapshotId,
    DateTimeOffset SnapshotTakenAt,
    string Selection,
    DateTimeOffset AsOf,
    ReportEvaluation Evaluation,
    ReportSource Access,
    ReportSource Infra,
    IReadOnlyList<ReportCheck> Checks,
    IReadOnlyList<ReportFramework> Frameworks,
    IReadOnlyList<ReportMember> Members,
    IReadOnlyList<ReportZone> Zones,
    ReportReview? Review)
{
    /// <summary>The schema version of the JSON report and the manifest.</summary>
    public const string FormatVersion = "1";

    /// <summary>Every snapshot this report draws on: its own, and the campaign's when it differs.</summary>
    public IReadOnlyList<string> SnapshotIds =>
        Review is { } review && review.SnapshotId != SnapshotId ? [SnapshotId, review.SnapshotId] : [SnapshotId];

    /// <summary>Every distinct raw API response the report cites, in the order first cited.</summary>
    public IReadOnlyList<ReportResponse> Responses =>
        [.. new[] { Access, Infra, Review?.Access }.Where(s => s is not null).SelectMany(s => s!.Responses)
            .DistinctBy(r => (r.RunId, r.Request, r.ReceivedAt, r.Sha256))];
}

/// <summary>The evaluation the checks section shows.</summary>
/// <param name="Stored">True when it is the evaluation stored with the snapshot; false when the report evaluated the snapshot itself (as at its time), because none was stored.</param>
public sealed record ReportEvaluation(DateTimeOffset EvaluatedAt, bool Stored, int Passed, int Failed, int Unknown, int Excepted);

/// <summary>
/// Where one stage's data came from: the sync runs that committed it, when, every raw API response kept as evidence with
/// its SHA-256, and how complete each list read was.
/// </summary>
/// <param name="Stage">"access" or "infra".</param>
/// <param name="SyncedAt">When the stage's data was read (the oldest commit across connections); null when never synced.</param>
/// <param name="RunIds">The sync runs whose commits make up this stage's data.</param>
/// <param name="Sha256">SHA-256 over the responses' SHA-256 values in order, each as lower-case hex followed by a line feed: one value naming them all.</param>
/// <param name="Coverage">Each list read: pages, items, total_count, total_pages and why paging stopped.</param>
public sealed record ReportSource(
    string Stage,
    DateTimeOffset? SyncedAt,
    IReadOnlyList<string> RunIds,
    string Sha256,
    IReadOnlyList<ReportResponse> Responses,
    IReadOnlyList<ListCoverage> Coverage)
{
    /// <summary>True when every list was read whole.</summary>
    public bool Complete => Coverage.All(c => c.Complete);

    /// <summary>One sentence on the population's completeness.</summary>
    public string Completeness => Coverage.Count == 0
        ? "no list reads were recorded for this data"
        : Complete
            ? $"{Coverage.Count} lists read whole: {Coverage.Sum(c => c.Pages)} pages, {Coverage.Sum(c => c.Items)} items"
            : $"{Coverage.Count(c => !c.Complete)} of {Coverage.Count} lists were not read whole: {string.Join("; ", Coverage.Where(c => !c.Complete).Select(c => $"{c.List} stopped ({c.Stop}) after {c.Pages} pages, {c.Items} items"))}";
}

/// <summary>One raw API response kept as evidence.</summary>
/// <param name="Request">Method and path with query, as sent.</param>
/// <param name="Bytes">The body's size in UTF-8 bytes.</param>
/// <param name="Sha256">SHA-256 of the body's UTF-8 bytes, lower-case hex.</param>
public sealed record ReportResponse(string RunId, string ConnectionId, string Stage, string Request, DateTimeOffset ReceivedAt, long Bytes, string Sha256);

/// <summary>One check with its verdict and every finding.</summary>
public sealed record ReportCheck(
    string Id,
    string Title,
    Severity Severity,
    string Asserts,
    string Remediation,
    IReadOnlyList<FrameworkControl> Controls,
    CheckStatus Status,
    IReadOnlyList<string> Notes,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>The controls as printed: "SOC 2 CC6.1".</summary>
    public IReadOnlyList<string> Frameworks => [.. Controls.Select(c => c.ToString())];
}

/// <summary>One framework catalogue (SOC 2, ISO/IEC 27001:2022, PCI DSS) with this report's outcome for every control.</summary>
/// <param name="Key">soc2, iso27001 or pci, as <c>vigil checks --framework</c> takes it.</param>
/// <param name="Name">The framework's full name, e.g. "PCI DSS v4.0.1".</param>
/// <param name="Controls">Every control of the catalogue, in its order, including those no check covers.</param>
public sealed record ReportFramework(string Key, string Name, IReadOnlyList<ReportControl> Controls)
{
    /// <summary>How many controls have this status.</summary>
    public int Count(ControlStatus status) => Controls.Count(c => c.Status == status);
}

/// <summary>
/// A control's outcome in one report, from the checks mapped to it: Failing when any fails; else Unknown when any could
/// not be judged; else NotEvaluated when none judged anything (not run, or every finding skipped); else Excepted when a
/// failure is excused by an exception; else Passing. NeedsOtherEvidence: no check covers the control at all.
/// </summary>
public enum ControlStatus
{
    Failing,
    Unknown,
    Excepted,
    Passing,
    NotEvaluated,
    NeedsOtherEvidence,
}

/// <summary>One framework control with the checks mapped to it and their findings counted.</summary>
/// <param name="Id">The control's reference in its framework, e.g. "CC6.1" or "A.8.5".</param>
/// <param name="Title">A short paraphrase of the control.</param>
/// <param name="Checks">Every catalogue check mapped to the control, in catalogue order, with its status in this report.</param>
/// <param name="Findings">The mapped checks' findings in this report, counted by status.</param>
public sealed record ReportControl(string Id, string Title, ControlStatus Status, IReadOnlyList<ReportControlCheck> Checks, FindingCounts Findings);

/// <summary>A check mapped to a control.</summary>
/// <param name="Status">The check's status in this report; null when this report's evaluation did not run it (it is disabled or newer than the evaluation).</param>
public sealed record ReportControlCheck(string Id, string Title, CheckStatus? Status);

/// <summary>Findings counted by status.</summary>
public sealed record FindingCounts(int Pass, int Fail, int Excepted, int Unknown, int Skipped)
{
    public int Total => Pass + Fail + Excepted + Unknown + Skipped;

    public static FindingCounts Of(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var counts = new int[5];
        foreach (var finding in findings)
        {
            counts[finding.Status switch
            {
                FindingStatus.Pass => 0,
                FindingStatus.Fail => 1,
                FindingStatus.Excepted => 2,
                FindingStatus.Unknown => 3,
                _ => 4,
            }]++;
        }
        return new FindingCounts(counts[0], counts[1], counts[2], counts[3], counts[4]);
    }
}

/// <summary>One Cloudflare membership with the person it resolves to.</summary>
/// <param name="Mapping">How the member was matched: "mapping", "email", "alias", "service_account" or "unidentified".</param>
/// <param name="MappingDetail">The service-account justification, or why the member is unidentified; null otherwise.</param>
public sealed record ReportMember(
    string AccountId,
    string AccountName,
    string MemberId,
    string Email,
    string? Name,
    string Status,
    bool? TwoFactorEnabled,
    IReadOnlyList<string> Roles,
    string? PersonEmail,
    string? PersonName,
    string? OrgRole,
    string? PersonStatus,
    string Mapping,
    string? MappingDetail,
    DateTimeOffset? FirstSeenAt);

/// <summary>One zone with its settings as synced.</summary>
/// <param name="Settings">Setting name and value, in a fixed order; "not read" when the sync did not read it.</param>
public sealed record ReportZone(
    string Id,
    string Name,
    string AccountId,
    string AccountName,
    string Status,
    bool Paused,
    string? Plan,
    string? Type,
    IReadOnlyList<KeyValuePair<string, string>> Settings);

/// <summary>An access-review campaign with every item's decisions, reviewer and verification.</summary>
/// <param name="Status">open, in_review, awaiting_signoff, completed or cancelled.</param>
/// <param name="Access">The access data the campaign froze (its snapshot's access stage).</param>
public sealed record ReportReview(
    string CampaignId,
    string Name,
    string System,
    string Status,
    DateTimeOffset CreatedAt,
    DateOnly? Due,
    string? Owner,
    IReadOnlyList<string> Reviewers,
    string SnapshotId,
    DateTimeOffset? AccessSyncedAt,
    bool AllowStale,
    string? StaleReason,
    string? PreviousCampaignId,
    int Decided,
    int Total,
    double RevocationSlaDays,
    ReportSignOff? SignOff,
    IReadOnlyList<ReportRemoved> RemovedSincePrevious,
    IReadOnlyList<ReportReviewItem> Items,
    ReportSource Access);

public sealed record ReportSignOff(string By, DateTimeOffset At, string Statement);

public sealed record ReportRemoved(string AccountId, string MemberId, string MemberEmail);

/// <summary>One review item.</summary>
/// <param name="Decisions">Every decision recorded for the item, oldest first (the last is in force).</param>
/// <param name="Verification">none, pending_removal, verified, overdue or reappeared, judged at the report's as-of time.</param>
/// <param name="VerificationEvents">Every verification event of the decision in force, oldest first.</param>
/// <param name="RemovedBy">Who removed the membership, from Cloudflare's audit log; null when not known.</param>
public sealed record ReportReviewItem(
    string AccountId,
    string AccountName,
    string MemberId,
    string MemberEmail,
    string Status,
    bool? TwoFactorEnabled,
    string? PersonEmail,
    string? PersonName,
    string? OrgRole,
    string? ServiceAccount,
    IReadOnlyList<string> Grants,
    IReadOnlyList<string> RiskFlags,
    string Reviewer,
    string Change,
    IReadOnlyList<ReportDecision> Decisions,
    string Verification,
    DateTimeOffset? VerifiedAt,
    string? VerifiedSnapshotId,
    string? VerificationDetail,
    long? ElapsedSeconds,
    IReadOnlyList<ReportVerification> VerificationEvents,
    string? RemovedBy = null)
{
    public ReportDecision? Decision => Decisions.Count == 0 ? null : Decisions[^1];

    public string Label => MemberEmail.Length > 0 ? MemberEmail : $"member {MemberId}";
}

/// <param name="Decision">keep, revoke, change_role or defer.</param>
public sealed record ReportDecision(string Id, string Decision, IReadOnlyList<string> Roles, string By, DateTimeOffset At, string? Comment, string SnapshotId);

/// <param name="State">verified or reappeared.</param>
public sealed record ReportVerification(string DecisionId, string State, string SnapshotId, DateTimeOffset ObservedAt, DateTimeOffset RecordedAt, string Detail);
