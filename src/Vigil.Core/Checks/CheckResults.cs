namespace Vigil.Core.Checks;

/// <summary>How serious a failing check is.</summary>
public enum Severity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>
/// The verdict on one resource. "Could not read" is not "fail": <see cref="Unknown"/> names what was missing,
/// and <see cref="Skipped"/> means the check does not apply (e.g. a paused zone). <see cref="Excepted"/> is a failure an
/// unexpired exception (vigil.yaml) excuses: <see cref="Finding.Exception"/> says who approved it, why and until when.
/// </summary>
public enum FindingStatus
{
    Pass,
    Fail,
    Skipped,
    Unknown,
    Excepted,
}

/// <summary>
/// The overall verdict of a check: Fail when any finding fails, Unknown when none fails but some could not be judged,
/// Excepted when every failure is excused by an exception (which does not fail a run), else Pass.
/// </summary>
public enum CheckStatus
{
    Pass,
    Fail,
    Unknown,
    Excepted,
}

/// <summary>One finding on one resource.</summary>
/// <param name="ResourceType">"member", "account", "zone" or "system".</param>
/// <param name="Subject">What a person reads: member email, zone name, account name or system name.</param>
/// <param name="Reason">Why, naming the resource and the value (e.g. "zone shop.example accepts TLS 1.0; minimum is 1.2").</param>
/// <param name="Remediation">How to fix it; null for passing findings.</param>
/// <param name="ObservedAt">When the data this finding judged was read from Cloudflare (set by <see cref="CheckRunner"/> from the check's needs); null when no synced data was judged.</param>
/// <param name="Exception">The exception that excuses this finding (status Excepted), or the expired one that no longer does (status Fail); null when none matches. Set by <see cref="CheckRunner"/>.</param>
public sealed record Finding(
    FindingStatus Status,
    string ResourceType,
    string ResourceId,
    string? AccountId,
    string Subject,
    string Reason,
    string? Remediation,
    DateTimeOffset? ObservedAt = null,
    FindingException? Exception = null)
{
    private DateTimeOffset? _observedAt = ObservedAt;

    public DateTimeOffset? ObservedAt { get => _observedAt; init => _observedAt = value; }

    /// <summary>
    /// Sets <see cref="ObservedAt"/> on a finding a check has just yielded and nobody else holds yet (<see cref="CheckRunner"/>):
    /// an evaluation gives up to one finding per membership, and a copy of each only to add the time would double them.
    /// </summary>
    internal Finding Observed(DateTimeOffset at)
    {
        _observedAt = at;
        return this;
    }
}

/// <summary>An exception (vigil.yaml <c>exceptions:</c>) as applied to one finding.</summary>
/// <param name="Resource">The resource the exception names, as written.</param>
/// <param name="Expires">The last day it excuses (inclusive, in the organisation's time zone).</param>
/// <param name="Expired">True when the exception had expired at evaluation: it no longer excuses the finding.</param>
public sealed record FindingException(string Resource, string Reason, string ApprovedBy, DateOnly Expires, bool Expired);

/// <summary>The result of one check over one snapshot.</summary>
/// <param name="Notes">What a reader should know about the whole result, e.g. that the last sync of its data failed; null or empty when nothing.</param>
public sealed record CheckResult(string CheckId, CheckStatus Status, IReadOnlyList<Finding> Findings, IReadOnlyList<string>? Notes = null);

/// <summary>All check results for one snapshot, as stored beside it.</summary>
/// <param name="Data">How old each stage's data was when it was judged; null in evaluations stored before Vigil recorded it.</param>
public sealed record Evaluation(string SnapshotId, DateTimeOffset EvaluatedAt, IReadOnlyList<CheckResult> Results, DataFreshness? Data = null);
