namespace Vigil.Core.Sync;

/// <summary>Outcome of a sync run or of one of its stages.</summary>
public enum SyncStatus
{
    Running,
    Complete,
    /// <summary>Some stage failed or some data could not be read; what was committed is current.</summary>
    Partial,
    Failed,
    /// <summary>Stopped by the operator (Ctrl+C, SIGTERM); stages committed before it stay, nothing half-written is kept.</summary>
    Cancelled,
}

/// <summary>The stages of a sync, in the order they run. Each commits on its own.</summary>
public enum SyncStageKind
{
    /// <summary>Accounts, roles, members: a few dozen calls, committed first.</summary>
    Access,
    /// <summary>Zones and their security configuration.</summary>
    Infra,
}

/// <summary>One sync run as recorded in history.</summary>
/// <param name="Trigger">"cli", "demo", "schedule", ...</param>
/// <param name="Coverage">Every list the run read, per stage and connection: what the credentials could see. Null for runs stored before it was recorded.</param>
/// <param name="Worker">The process that ran it (a scheduler instance name, or host:pid); null for runs stored before it was recorded.</param>
public sealed record SyncRun(
    string Id,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    SyncStatus Status,
    string? Reason,
    SyncCounts Counts,
    IReadOnlyList<SyncStageResult> Stages,
    IReadOnlyList<ReadGap> Skipped,
    IReadOnlyList<ListCoverage>? Coverage = null,
    string? Worker = null);

/// <summary>Totals of a run.</summary>
/// <param name="Members">Memberships across accounts.</param>
/// <param name="RateLimited">HTTP 429 responses received.</param>
public sealed record SyncCounts(int Accounts, int Members, int Zones, int ApiCalls, int RateLimited)
{
    public static readonly SyncCounts Zero = new(0, 0, 0, 0, 0);
}

/// <summary>One stage of a run for one connection.</summary>
/// <param name="Read">Full or incremental, and what an incremental read re-read and why; null for runs stored before it was recorded.</param>
public sealed record SyncStageResult(string ConnectionId, SyncStageKind Stage, SyncStatus Status, string? Reason, int ApiCalls, long DurationMs, DateTimeOffset? CommittedAt,
    StageReadMode? Read = null);

/// <summary>
/// How far one paginated list read got: what the credential could see. Recorded for every list a sync reads
/// (accounts, members and roles per account, zones, ...), stored with the run and shown by <c>vigil runs show</c>.
/// </summary>
/// <param name="List">The request without paging parameters, e.g. "GET /accounts/ID/members".</param>
/// <param name="Pages">Pages read.</param>
/// <param name="Items">Items received across those pages.</param>
/// <param name="TotalCount">Cloudflare's <c>result_info.total_count</c> on page 1; null when not sent.</param>
/// <param name="TotalPages">Cloudflare's <c>result_info.total_pages</c> on page 1; null when not sent.</param>
/// <param name="PerPage">The page size Cloudflare echoed (or the one asked for).</param>
/// <param name="Stop">Why paging stopped: one of <see cref="ListStop"/>'s values.</param>
/// <param name="Complete">False when the list could not be read whole (the stage then keeps its previous data, or records a gap).</param>
/// <param name="Stage">"access" or "infra"; set by the sync.</param>
/// <param name="ConnectionId">The connection whose credential read it; set by the sync.</param>
public sealed record ListCoverage(
    string List,
    int Pages,
    int Items,
    int? TotalCount,
    int? TotalPages,
    int? PerPage,
    string Stop,
    bool Complete,
    string? Stage = null,
    string? ConnectionId = null);

/// <summary>Why a list read stopped (text, as stored and printed).</summary>
public static class ListStop
{
    /// <summary>The last page by <c>total_pages</c> (or by <c>total_count</c> when only that was sent).</summary>
    public const string TotalPagesReached = "total_pages_reached";
    /// <summary>No counts sent; a page shorter than the page size was the last.</summary>
    public const string ShortPage = "short_page";
    /// <summary>No counts sent; an empty page ended the list.</summary>
    public const string EmptyPage = "empty_page";
    /// <summary>A page repeated an earlier one (Cloudflare's /accounts answers every page with page 1 for account-owned tokens).</summary>
    public const string RepeatedPage = "repeated_page";
    /// <summary>Failure: a page before <c>total_pages</c> came back empty or null.</summary>
    public const string EndedEarly = "ended_early";
    /// <summary>Failure: fewer items than <c>total_count</c>.</summary>
    public const string FewerThanTotalCount = "fewer_than_total_count";
    /// <summary>Failure: the list would need more pages than its count allows (or than the cap when no count is sent).</summary>
    public const string PageCap = "page_cap";
    /// <summary>A request of the list failed (refused, not found, no answer); the reason is in the stage or its skipped reads.</summary>
    public const string RequestFailed = "request_failed";
    /// <summary>The reader stopped before the end (another failure ended the stage).</summary>
    public const string Abandoned = "abandoned";
}
