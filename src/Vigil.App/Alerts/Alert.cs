namespace Vigil.App.Alerts;

/// <summary>One notification: what changed, as every channel renders it.</summary>
/// <param name="Id">A UUID v7, the same in every channel's delivery and in the log.</param>
/// <param name="Kind">One of <see cref="AlertKinds"/>.</param>
/// <param name="Subject">What it is about: a check id, a run id, a campaign id.</param>
/// <param name="Title">One line, e.g. "Check failing: Every member has 2FA (cloudflare.member-2fa-enabled)".</param>
/// <param name="Details">The lines below it (at most <see cref="AlertRules.MaxDetails"/> plus one saying how many more).</param>
/// <param name="Severity">The check's severity (low, medium, high, critical); null for alerts that are not about a check.</param>
/// <param name="RunId">The sync run that raised it; null for a test.</param>
public sealed record Alert(
    string Id,
    string Kind,
    string Subject,
    string Title,
    IReadOnlyList<string> Details,
    DateTimeOffset RaisedAt,
    string? Severity = null,
    string? RunId = null);

/// <summary>The kinds of alert, as sent in the webhook's <c>type</c> and shown by <c>vigil alerts log</c>.</summary>
public static class AlertKinds
{
    /// <summary>A check that did not fail at the previous evaluation fails now.</summary>
    public const string CheckFailed = "check_failed";
    /// <summary>A failing check has failing findings it did not have at the previous evaluation.</summary>
    public const string CheckNewFindings = "check_new_findings";
    /// <summary>A sync run (or one of its stages) failed.</summary>
    public const string SyncFailed = "sync_failed";
    /// <summary>A revoke or change-role decision was not seen applied within the revocation SLA, or the access came back.</summary>
    public const string RevocationOverdue = "revocation_overdue";
    /// <summary>A review campaign has undecided items and is due within <see cref="AlertRules.DueSoonDays"/> days.</summary>
    public const string ReviewDueSoon = "review_due_soon";
    /// <summary>A review campaign has undecided items after its due day.</summary>
    public const string ReviewOverdue = "review_overdue";
    /// <summary>Sent by <c>vigil alerts test</c>.</summary>
    public const string Test = "test";
}

/// <summary>The delivery outcome of one alert to one channel.</summary>
/// <param name="Channel">The channel as shown ("webhook https://hooks.example/…").</param>
/// <param name="Status">sent, failed or no_channel.</param>
/// <param name="NextAttemptAt">For a failed delivery kept pending: when it is tried again; null when it will not be.</param>
/// <param name="Retryable">True when the failure may pass (network, 5xx, 429, SMTP 4xx): the delivery is kept pending.</param>
public sealed record AlertDeliveryResult(string AlertId, string? ChannelId, string Channel, string Status, int Attempts, string? Error, DateTimeOffset? DeliveredAt,
    DateTimeOffset? NextAttemptAt = null, bool Retryable = false)
{
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string NoChannel = "no_channel";
}

/// <summary>What the alert step after a sync did.</summary>
/// <param name="Error">Why the alert step itself could not run (it never fails the sync); null when it ran.</param>
/// <param name="Retried">Earlier deliveries that were pending and tried again in this step.</param>
public sealed record AlertsOutcome(IReadOnlyList<Alert> Raised, IReadOnlyList<AlertDeliveryResult> Deliveries, string? Error = null,
    IReadOnlyList<AlertDeliveryResult>? Retried = null)
{
    public static AlertsOutcome None { get; } = new([], []);
}
