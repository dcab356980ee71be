using System.Net.Mail;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core;
using Vigil.Core.Alerts;
using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App.Alerts;

/// <summary>How often and how patiently a delivery is tried.</summary>
/// <param name="MaxAttempts">Attempts per alert and channel within one round (3 by default).</param>
/// <param name="FirstDelay">Wait after the first failure of a round; doubled after each further one (1 s, 2 s, ...).</param>
/// <param name="AttemptTimeout">How long one attempt may take (10 s).</param>
public sealed record AlertRetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan AttemptTimeout)
{
    public static AlertRetryPolicy Default { get; } = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    /// <summary>
    /// Rounds in all, the first included: a delivery whose round failed with a retryable error is kept pending and tried
    /// again in a later round (at the next sync-and-evaluate, or 'vigil alerts retry'); after this many it is given up (8).
    /// </summary>
    public int MaxRounds { get; init; } = 8;

    /// <summary>The wait after the first failed round; doubled after each further one (5 min, 10 min, ... 320 min: about 10.6 hours in all).</summary>
    public TimeSpan FirstRoundDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a round holds the pending deliveries it took; one that crashes leaves them to the next round after this (15 min).</summary>
    public TimeSpan RoundLease { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The wait before attempt <paramref name="attempt"/> (2, 3, ...).</summary>
    public TimeSpan DelayBefore(int attempt) => FirstDelay * Math.Pow(2, attempt - 2);

    /// <summary>The wait after failed round <paramref name="round"/> (1, 2, ...) before the next.</summary>
    public TimeSpan DelayAfterRound(int round) => FirstRoundDelay * Math.Pow(2, round - 1);
}

/// <summary>
/// Alerts for one organisation: its channels (webhook, Slack, email), the rules run after every sync-and-evaluate, the
/// deliveries with retry and backoff, the log, and the test message. The CLI, the web app and the scheduler call this.
/// </summary>
public sealed class AlertService
{
    /// <summary>The named HttpClient alert deliveries use (no redirects followed).</summary>
    public const string HttpClientName = "vigil-alerts";

    private readonly IVigilStore _store;
    private readonly TimeProvider _time;
    private readonly AlertSender _sender;
    private readonly AlertRetryPolicy _retry;
    private readonly ILogger _logger;

    public AlertService(IVigilStore store, TimeProvider time, HttpClient http, AlertRetryPolicy? retry = null, ILogger? logger = null)
    {
        _store = store;
        _time = time;
        _retry = retry ?? AlertRetryPolicy.Default;
        _sender = new AlertSender(http, _retry.AttemptTimeout);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Adds a webhook channel. The URL is stored sealed; the list shows it with its path redacted.</summary>
    /// <param name="signingSecret">When set, each body is signed with HMAC-SHA256 in <c>X-Vigil-Signature-256</c>.</param>
    /// <exception cref="InvalidRequestException">The URL is not an absolute https URL (http only on loopback).</exception>
    public Task<AlertChannel> AddWebhookAsync(string url, Secret? signingSecret, CancellationToken ct)
    {
        var parsed = AlertTargets.ParseUrl(url, "webhook");
        var channel = new AlertChannel(NewChannelId(), AlertChannelKind.Webhook, AlertTargets.Redact(parsed), _time.GetUtcNow(), HasSigningSecret: signingSecret is not null);
        return SaveAsync(channel, AlertTargets.Pack(parsed.OriginalString, signingSecret, null), ct);
    }

    /// <summary>Adds a Slack incoming webhook. Its URL is its secret: stored sealed, never shown whole.</summary>
    public Task<AlertChannel> AddSlackAsync(string url, CancellationToken ct)
    {
        var parsed = AlertTargets.ParseUrl(url, "Slack webhook");
        var channel = new AlertChannel(NewChannelId(), AlertChannelKind.Slack, AlertTargets.Redact(parsed), _time.GetUtcNow());
        return SaveAsync(channel, AlertTargets.Pack(parsed.OriginalString, null, null), ct);
    }

    /// <summary>Adds an email recipient sent to through <paramref name="smtp"/>; the password (when the server needs one) is stored sealed.</summary>
    /// <exception cref="InvalidRequestException">A bad address, host or port, a password without a user, or a password over an unencrypted connection to another machine.</exception>
    public Task<AlertChannel> AddEmailAsync(string address, SmtpSettings smtp, Secret? password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(smtp);
        var to = Address(address, "address");
        var from = Address(smtp.From, "from");
        if (string.IsNullOrWhiteSpace(smtp.Host) || Uri.CheckHostName(smtp.Host.Trim()) == UriHostNameType.Unknown)
        {
            throw new InvalidRequestException("the SMTP host must be a host name or an IP address (--smtp-host)", "smtp_host");
        }

        if (smtp.Port is < 1 or > 65535)
        {
            throw new InvalidRequestException("the SMTP port must be between 1 and 65535 (--smtp-port)", "smtp_port");
        }

        var user = string.IsNullOrWhiteSpace(smtp.User) ? null : smtp.User.Trim();
        if (password is not null && user is null)
        {
            throw new InvalidRequestException("an SMTP password needs an SMTP user (--smtp-user)", "smtp_user");
        }

        if (user is not null && smtp.Tls == SmtpTls.None && !AlertTargets.IsLoopback(smtp.Host.Trim()))
        {
            throw new InvalidRequestException("SMTP authentication over an unencrypted connection would send the password in clear: use --tls starttls or --tls tls", "tls");
        }

        var settings = smtp with { Host = smtp.Host.Trim(), From = from, User = user };
        var channel = new AlertChannel(NewChannelId(), AlertChannelKind.Email, to, _time.GetUtcNow(), Smtp: settings);
        return SaveAsync(channel, AlertTargets.Pack(null, null, password), ct);
    }

    public Task<IReadOnlyList<AlertChannel>> ListChannelsAsync(CancellationToken ct) => _store.ListAlertChannelsAsync(ct);

    /// <exception cref="OperationException">No channel has this id.</exception>
    public async Task RemoveChannelAsync(string channelId, CancellationToken ct)
    {
        if (!await _store.RemoveAlertChannelAsync(channelId.Trim(), ct))
        {
            throw new OperationException($"there is no alert channel '{channelId}'; 'vigil alerts list' shows them");
        }
    }

    /// <summary>The newest delivery records first.</summary>
    public Task<IReadOnlyList<AlertLogEntry>> LogAsync(int limit, CancellationToken ct) => _store.ListAlertLogAsync(limit, ct);

    /// <summary>Sends a test message to every channel (once each, no retry) and records each result.</summary>
    /// <exception cref="OperationException">No channel is configured.</exception>
    public async Task<IReadOnlyList<AlertDeliveryResult>> TestAsync(CancellationToken ct)
    {
        var channels = await _store.ListAlertChannelsAsync(ct);
        if (channels.Count == 0)
        {
            throw new OperationException("no alert channel yet: add one with 'vigil alerts add webhook URL', 'vigil alerts add slack URL' or 'vigil alerts add email ADDRESS ...'");
        }

        var alert = new Alert(NewAlertId(), AlertKinds.Test, "test", "Vigil test alert",
            [$"This is a test message from Vigil for organisation {_store.Organisation.Name}: this channel receives its alerts."], _time.GetUtcNow());
        var results = await DeliverAsync([alert], channels, AlertRetryPolicy.Default with { MaxAttempts = 1 }, ct);
        await _store.AddAlertLogAsync([.. results.Select(r => Entry(alert, r))], ct);
        return results;
    }

    /// <summary>
    /// The alert step after a sync-and-evaluate: runs the rules against the conditions remembered from the previous
    /// evaluation, remembers the new ones, sends each new alert to every channel (with retries and backoff) and records
    /// each delivery. Never throws (but for cancellation): a failure is logged and returned, the sync stands.
    /// </summary>
    public async Task<AlertsOutcome> AfterSyncAsync(SyncRun? run, Evaluation? evaluation, CheckOptions options, CancellationToken ct)
    {
        try
        {
            if (_store.IsReadOnly)
            {
                return AlertsOutcome.None;
            }

            // Deliveries still pending from earlier evaluations go first, in the order they were raised.
            var retried = await RetryPendingAsync(all: false, ct);
            var reviews = _store is IReviewStore reviewStore ? await reviewStore.LoadReviewStateAsync(ct) : null;
            var inputs = new AlertInputs(evaluation, run, reviews, options.RevocationSla, options.TimeZone, _time.GetUtcNow());
            return await RaiseAsync(inputs, ct) with { Retried = retried };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.LogWarning("alerts: the alert step failed, the sync stands: {Error}", e.Message);
            return new AlertsOutcome([], [], e.Message);
        }
    }

    /// <summary>Runs the rules on <paramref name="inputs"/>, remembers the conditions, delivers and records.</summary>
    internal async Task<AlertsOutcome> RaiseAsync(AlertInputs inputs, CancellationToken ct)
    {
        var previous = await _store.ListAlertConditionsAsync(ct);
        var plan = AlertRules.Evaluate(inputs, previous, NewAlertId);
        if (plan.Held.Count > 0 || plan.Cleared.Count > 0)
        {
            // Remembered before sending: a crash mid-delivery loses a message rather than repeating every alert at the next sync.
            await _store.SaveAlertConditionsAsync(plan.Held, plan.Cleared, ct);
        }

        if (plan.Alerts.Count == 0)
        {
            return AlertsOutcome.None;
        }

        var channels = await _store.ListAlertChannelsAsync(ct);
        var results = channels.Count == 0
            ? [.. plan.Alerts.Select(a => new AlertDeliveryResult(a.Id, null, "none", AlertDeliveryResult.NoChannel, 0, null, null))]
            : await DeliverAsync(plan.Alerts, channels, _retry, ct);
        var byId = plan.Alerts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        results = [.. results.Select(r => Reschedule(r, rounds: 1))];
        var pending = results.Where(r => r.NextAttemptAt is not null)
            .Select(r => new PendingAlertDelivery(r.AlertId, r.ChannelId!, AlertJson.Write(byId[r.AlertId]), 1, r.Attempts, r.NextAttemptAt!.Value, r.Error)).ToList();
        await _store.RecordAlertDeliveriesAsync([.. results.Select(r => Entry(byId[r.AlertId], r))], pending, ct);
        return new AlertsOutcome(plan.Alerts, results);
    }

    /// <summary>
    /// Tries the pending deliveries again: those due now, or every one when <paramref name="all"/>. Each goes only to the
    /// channel that has not received it, with the alert's own id; a sent one is done, a failed one waits twice as long
    /// as before, and one that failed <see cref="AlertRetryPolicy.MaxRounds"/> rounds (or with an error that will not
    /// pass, or whose channel was removed) is given up. Every round is a line in the log.
    /// </summary>
    public async Task<IReadOnlyList<AlertDeliveryResult>> RetryPendingAsync(bool all, CancellationToken ct)
    {
        if (_store.IsReadOnly)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        var claimed = await _store.ClaimAlertDeliveriesAsync(all ? DateTimeOffset.MaxValue : now, now, now + _retry.RoundLease, ct);
        if (claimed.Count == 0)
        {
            return [];
        }

        var channels = (await _store.ListAlertChannelsAsync(ct)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var entries = new List<AlertLogEntry>();
        var pending = new List<PendingAlertDelivery>();
        var results = new List<AlertDeliveryResult>();
        foreach (var group in claimed.GroupBy(p => p.ChannelId, StringComparer.Ordinal))
        {
            var alerts = new List<(PendingAlertDelivery Pending, Alert Alert)>();
            foreach (var delivery in group)
            {
                if (AlertJson.Read(delivery.Alert) is { } alert)
                {
                    alerts.Add((delivery, alert));
                    continue;
                }

                // Unreadable (written by a newer Vigil?): dropped with a line in the log rather than retried for ever.
                entries.Add(new AlertLogEntry(delivery.AlertId, now, "unknown", "unknown", "unreadable pending alert", delivery.ChannelId, delivery.ChannelId,
                    AlertDeliveryResult.Failed, 0, "the pending alert could not be read; given up", null));
            }

            IReadOnlyList<AlertDeliveryResult> round = channels.TryGetValue(group.Key, out var channel)
                ? await DeliverToAsync([.. alerts.Select(a => a.Alert)], channel, _retry, ct)
                : [.. alerts.Select(a => new AlertDeliveryResult(a.Alert.Id, group.Key, group.Key, AlertDeliveryResult.Failed, 0, "the channel was removed; given up", null))];
            foreach (var (delivery, alert) in alerts)
            {
                var result = Reschedule(round.First(r => r.AlertId == alert.Id), delivery.Rounds + 1);
                results.Add(result);
                entries.Add(Entry(alert, result));
                if (result.NextAttemptAt is { } next)
                {
                    pending.Add(delivery with { Rounds = delivery.Rounds + 1, Attempts = delivery.Attempts + result.Attempts, NextAttemptAt = next, LastError = result.Error });
                }
            }
        }

        await _store.RecordAlertDeliveriesAsync(entries, pending, ct);
        return results;
    }

    /// <summary>Every delivery still pending, oldest alert first.</summary>
    public Task<IReadOnlyList<PendingAlertDelivery>> PendingAsync(CancellationToken ct) => _store.ListPendingAlertDeliveriesAsync(ct);

    /// <summary>A failed round's result with when it is tried again (a retryable failure under the round limit), or marked given up.</summary>
    private AlertDeliveryResult Reschedule(AlertDeliveryResult result, int rounds)
    {
        if (result.Status != AlertDeliveryResult.Failed || result.ChannelId is null || !result.Retryable)
        {
            return result;
        }

        return rounds < _retry.MaxRounds
            ? result with { NextAttemptAt = _time.GetUtcNow() + _retry.DelayAfterRound(rounds) }
            : result with { Error = $"{result.Error}; given up after {rounds} rounds" };
    }

    private async Task<IReadOnlyList<AlertDeliveryResult>> DeliverAsync(IReadOnlyList<Alert> alerts, IReadOnlyList<AlertChannel> channels, AlertRetryPolicy retry, CancellationToken ct)
    {
        // Channels in parallel; within a channel one alert after another, in the order raised.
        var perChannel = await Task.WhenAll(channels.Select(channel => DeliverToAsync(alerts, channel, retry, ct)));
        return [.. perChannel.SelectMany(r => r)];
    }

    private async Task<List<AlertDeliveryResult>> DeliverToAsync(IReadOnlyList<Alert> alerts, AlertChannel channel, AlertRetryPolicy retry, CancellationToken ct)
    {
        var label = Describe(channel);
        var results = new List<AlertDeliveryResult>();
        AlertTargets.Unpacked sealedPart;
        try
        {
            sealedPart = AlertTargets.Unpack(await _store.ReadAlertChannelSecretAsync(channel.Id, ct));
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            results.AddRange(alerts.Select(a => new AlertDeliveryResult(a.Id, channel.Id, label, AlertDeliveryResult.Failed, 0, e.Message, null)));
            return results;
        }

        string? unreachable = null;
        var unreachableMayPass = false;
        foreach (var alert in alerts)
        {
            if (unreachable is not null)
            {
                // The channel already failed every attempt in this round: the rest are recorded, not hammered (and kept
                // pending when the failure may pass).
                results.Add(new AlertDeliveryResult(alert.Id, channel.Id, label, AlertDeliveryResult.Failed, 0, $"not tried: {unreachable}", null, Retryable: unreachableMayPass));
                continue;
            }

            var result = await TryAsync(alert, channel, sealedPart, label, retry, ct);
            if (result.Status == AlertDeliveryResult.Failed && retry.MaxAttempts > 1)
            {
                unreachable = $"the channel failed earlier in this round ({result.Error})";
                unreachableMayPass = result.Retryable;
            }

            results.Add(result);
        }

        return results;
    }

    private async Task<AlertDeliveryResult> TryAsync(Alert alert, AlertChannel channel, AlertTargets.Unpacked sealedPart, string label, AlertRetryPolicy retry, CancellationToken ct)
    {
        var attempt = 0;
        while (true)
        {
            attempt++;
            try
            {
                await _sender.SendAsync(channel, sealedPart, alert, _store.Organisation.Name, ct);
                return new AlertDeliveryResult(alert.Id, channel.Id, label, AlertDeliveryResult.Sent, attempt, null, _time.GetUtcNow());
            }
            catch (AlertSendException e)
            {
                _logger.LogWarning("alerts: attempt {Attempt} of {Kind} to {Channel} failed: {Error}", attempt, alert.Kind, label, e.Message);
                if (!e.Retryable || attempt >= retry.MaxAttempts)
                {
                    return new AlertDeliveryResult(alert.Id, channel.Id, label, AlertDeliveryResult.Failed, attempt, e.Message, null, Retryable: e.Retryable);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Anything unforeseen (a server without STARTTLS, a malformed answer) fails this delivery, not the others.
                _logger.LogWarning("alerts: {Kind} to {Channel} failed: {Error}", alert.Kind, label, e.Message);
                return new AlertDeliveryResult(alert.Id, channel.Id, label, AlertDeliveryResult.Failed, attempt, e.Message, null);
            }

            await Task.Delay(retry.DelayBefore(attempt + 1), _time, ct);
        }
    }

    /// <summary>"webhook https://hooks.example/… (signed)", "slack https://hooks.slack.com/…", "email ops@example.com via smtp.example.com:587".</summary>
    public static string Describe(AlertChannel channel) => channel.Kind switch
    {
        AlertChannelKind.Webhook => $"webhook {channel.Target}{(channel.HasSigningSecret ? " (signed)" : "")}",
        AlertChannelKind.Slack => $"slack {channel.Target}",
        _ => $"email {channel.Target}" + (channel.Smtp is { } s ? $" via {s.Host}:{s.Port}" : ""),
    };

    private async Task<AlertChannel> SaveAsync(AlertChannel channel, Secret sealedPart, CancellationToken ct)
    {
        await _store.SaveAlertChannelAsync(channel, sealedPart, ct);
        return channel;
    }

    private static AlertLogEntry Entry(Alert alert, AlertDeliveryResult r) =>
        new(alert.Id, alert.RaisedAt, alert.Kind, alert.Subject, alert.Title, r.ChannelId, r.Channel, r.Status, r.Attempts, r.Error, r.DeliveredAt, r.NextAttemptAt);

    private static string Address(string text, string field)
    {
        var trimmed = text?.Trim() ?? "";
        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || trimmed.Any(char.IsControl))
        {
            throw new InvalidRequestException($"'{trimmed}' is not an email address ({(field == "from" ? "--from" : "ADDRESS")})", field);
        }

        return parsed.Address;
    }

    // Short enough to type in 'vigil alerts remove ID'.
    private static string NewChannelId() => "ch-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private string NewAlertId() => Guid.CreateVersion7(_time.GetUtcNow()).ToString();
}
