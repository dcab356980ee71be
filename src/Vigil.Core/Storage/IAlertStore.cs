using Vigil.Core.Alerts;

namespace Vigil.Core.Storage;

/// <summary>Alert channels (their URLs and secrets sealed), the conditions alerts were raised for, and the delivery log.</summary>
public interface IAlertStore
{
    /// <summary>Adds a channel; <paramref name="secret"/> (its full URL, signing secret or SMTP password) is encrypted before it is written.</summary>
    Task SaveAlertChannelAsync(AlertChannel channel, Secret secret, CancellationToken ct);

    /// <summary>Every channel, oldest first (never the sealed part).</summary>
    Task<IReadOnlyList<AlertChannel>> ListAlertChannelsAsync(CancellationToken ct);

    /// <exception cref="KeyNotFoundException">No such channel.</exception>
    /// <exception cref="InvalidOperationException">The sealed part cannot be decrypted (the master key changed).</exception>
    Task<Secret> ReadAlertChannelSecretAsync(string channelId, CancellationToken ct);

    /// <summary>Removes the channel and its sealed part; its log entries stay. False when there was none.</summary>
    Task<bool> RemoveAlertChannelAsync(string channelId, CancellationToken ct);

    /// <summary>The conditions that held at the last evaluation.</summary>
    Task<IReadOnlyList<AlertCondition>> ListAlertConditionsAsync(CancellationToken ct);

    /// <summary>Adds or replaces <paramref name="held"/> and deletes <paramref name="cleared"/>, in one transaction.</summary>
    Task SaveAlertConditionsAsync(IReadOnlyList<AlertCondition> held, IReadOnlyList<string> cleared, CancellationToken ct);

    /// <summary>Appends delivery records in one transaction.</summary>
    Task AddAlertLogAsync(IReadOnlyList<AlertLogEntry> entries, CancellationToken ct);

    /// <summary>The newest <paramref name="limit"/> delivery records, newest first.</summary>
    Task<IReadOnlyList<AlertLogEntry>> ListAlertLogAsync(int limit, CancellationToken ct);

    /// <summary>
    /// Records a round of deliveries in one transaction: appends <paramref name="entries"/>, removes the pending delivery
    /// of each entry's alert and channel (sent, or given up), then adds or replaces <paramref name="pending"/>.
    /// </summary>
    Task RecordAlertDeliveriesAsync(IReadOnlyList<AlertLogEntry> entries, IReadOnlyList<PendingAlertDelivery> pending, CancellationToken ct);

    /// <summary>
    /// Takes the pending deliveries due by <paramref name="dueBy"/> that no round holds at <paramref name="now"/>: each is
    /// held until <paramref name="leaseUntil"/> in the same statement, so that a second caller at the same time gets none
    /// of them (a round that crashes leaves them to a round after the lease). Recording a delivery releases it. Oldest alert first.
    /// </summary>
    Task<IReadOnlyList<PendingAlertDelivery>> ClaimAlertDeliveriesAsync(DateTimeOffset dueBy, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct);

    /// <summary>Every pending delivery, oldest alert first.</summary>
    Task<IReadOnlyList<PendingAlertDelivery>> ListPendingAlertDeliveriesAsync(CancellationToken ct);
}
