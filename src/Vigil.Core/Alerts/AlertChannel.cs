namespace Vigil.Core.Alerts;

/// <summary>Where alerts go.</summary>
public enum AlertChannelKind
{
    /// <summary>An HTTP POST of Vigil's JSON, signed with HMAC-SHA256 when a secret is set.</summary>
    Webhook,
    /// <summary>A Slack incoming webhook (Slack's message JSON).</summary>
    Slack,
    /// <summary>An email over SMTP.</summary>
    Email,
}

/// <summary>How the SMTP connection is secured.</summary>
public enum SmtpTls
{
    /// <summary>STARTTLS after connecting (port 587); the connection fails when the server does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,
    /// <summary>No encryption: for a relay on the same machine only.</summary>
    None,
}

/// <summary>The SMTP server an email channel sends through. The password, when one is needed, is stored sealed with the channel.</summary>
/// <param name="Port">TCP port: 587 for STARTTLS, 465 for TLS, 25 for a local relay.</param>
/// <param name="From">The sender address.</param>
/// <param name="User">The SMTP user to authenticate as; null: no authentication.</param>
public sealed record SmtpSettings(string Host, int Port, string From, SmtpTls Tls, string? User);

/// <summary>One configured alert channel of an organisation.</summary>
/// <param name="Id">Short id shown by <c>vigil alerts list</c> and taken by <c>vigil alerts remove</c>.</param>
/// <param name="Target">What is shown: the email address, or the URL with its path redacted (a Slack URL's path is its secret). The full URL is stored sealed.</param>
/// <param name="HasSigningSecret">True when webhook bodies are signed (the secret itself is stored sealed).</param>
/// <param name="Smtp">The SMTP settings of an email channel; null for the others.</param>
public sealed record AlertChannel(string Id, AlertChannelKind Kind, string Target, DateTimeOffset CreatedAt, bool HasSigningSecret = false, SmtpSettings? Smtp = null);

/// <summary>
/// A condition an alert was raised for and that still held at the last evaluation (a failing check, a failed sync, an
/// overdue revocation, a campaign due soon): what makes each alert go out once per change.
/// </summary>
/// <param name="Key">What the condition is about, e.g. "check:cloudflare.member-2fa-enabled" or "sync".</param>
/// <param name="Fingerprint">What it looked like when last seen (e.g. the failing findings), to tell a new change from the same one.</param>
/// <param name="Since">When it was first raised.</param>
public sealed record AlertCondition(string Key, string Fingerprint, DateTimeOffset Since);

/// <summary>One alert's delivery to one channel (or the record that it had none), as <c>vigil alerts log</c> shows it.</summary>
/// <param name="Kind">check_failed, check_new_findings, sync_failed, revocation_overdue, review_due_soon, review_overdue, test.</param>
/// <param name="Subject">What it is about: a check id, a run id, a campaign id.</param>
/// <param name="ChannelId">The channel it was sent to; null when no channel was configured.</param>
/// <param name="Channel">The channel as shown when it was sent ("webhook https://hooks.example/…"), kept after the channel is removed.</param>
/// <param name="Status">sent, failed or no_channel.</param>
/// <param name="Attempts">How many times sending was tried.</param>
/// <param name="Error">Why the last attempt failed; null when sent.</param>
/// <param name="NextAttemptAt">For a failed delivery that will be tried again: from when; null otherwise.</param>
public sealed record AlertLogEntry(
    string AlertId,
    DateTimeOffset RaisedAt,
    string Kind,
    string Subject,
    string Title,
    string? ChannelId,
    string Channel,
    string Status,
    int Attempts,
    string? Error,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? NextAttemptAt = null);

/// <summary>
/// An alert not yet delivered to one channel: every attempt of a round failed, and it is tried again from
/// <see cref="NextAttemptAt"/> until it is sent or given up.
/// </summary>
/// <param name="Alert">The alert as sent (JSON written and read by the alert service), the same id on every attempt.</param>
/// <param name="Rounds">Rounds tried so far (each of up to the retry policy's attempts).</param>
/// <param name="Attempts">Attempts so far, over every round.</param>
/// <param name="LastError">Why the last attempt failed.</param>
public sealed record PendingAlertDelivery(string AlertId, string ChannelId, string Alert, int Rounds, int Attempts, DateTimeOffset NextAttemptAt, string? LastError);
