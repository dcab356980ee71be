using Vigil.Core;
using Vigil.Core.Alerts;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore : IAlertStore
{
    private const string AlertChannelColumns = "id, kind, target, signed, smtp, created_at";

    private const string AlertLogColumns = "alert_id, raised_at, kind, subject, title, channel_id, channel, status, attempts, error, delivered_at, next_attempt_at";

    private const string PendingAlertColumns = "alert_id, channel_id, alert, rounds, attempts, next_attempt_at, last_error";

    public async Task SaveAlertChannelAsync(AlertChannel channel, Secret secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(secret);
        RequireWritable();
        var sealedSecret = Key.Encrypt(AlertSealing.AssociatedData(channel.Id), secret.Reveal());
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var insert = Tenant(db, $"""
            INSERT INTO alert_channels (organisation_id, {AlertChannelColumns}, scheme, key_fingerprint, sealed, position)
            SELECT $org, $id, $kind, $target, $signed, $smtp, $created_at, $scheme, $fingerprint, $sealed,
                   COALESCE(MAX(position), 0) + 1 FROM alert_channels WHERE organisation_id = $org;
            """);
        insert.Parameters.AddWithValue("$id", channel.Id);
        insert.Parameters.AddWithValue("$kind", Db.Text(channel.Kind));
        insert.Parameters.AddWithValue("$target", channel.Target);
        insert.Parameters.AddWithValue("$signed", channel.HasSigningSecret ? 1L : 0L);
        insert.Parameters.AddWithValue("$smtp", channel.Smtp is null ? DBNull.Value : Db.Json(channel.Smtp));
        insert.Parameters.AddWithValue("$created_at", Db.Time(channel.CreatedAt));
        insert.Parameters.AddWithValue("$scheme", SecretScheme);
        insert.Parameters.AddWithValue("$fingerprint", Key.Fingerprint);
        insert.Parameters.AddWithValue("$sealed", sealedSecret);
        await insert.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<AlertChannel>> ListAlertChannelsAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, $"SELECT {AlertChannelColumns} FROM alert_channels WHERE organisation_id = $org ORDER BY position;");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var channels = new List<AlertChannel>();
        while (await reader.ReadAsync(ct))
        {
            channels.Add(StoredRows.AlertChannel(reader));
        }

        return channels;
    }

    public async Task<Secret> ReadAlertChannelSecretAsync(string channelId, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var read = Tenant(db, "SELECT scheme, key_fingerprint, sealed FROM alert_channels WHERE organisation_id = $org AND id = $id;");
        read.Parameters.AddWithValue("$id", channelId);
        await using var reader = await read.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new KeyNotFoundException($"there is no alert channel {channelId}");
        }

        return AlertSealing.Open(Key, channelId, reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2), SecretScheme);
    }

    public async Task<bool> RemoveAlertChannelAsync(string channelId, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var delete = Tenant(db, "DELETE FROM alert_channels WHERE organisation_id = $org AND id = $id;");
        delete.Parameters.AddWithValue("$id", channelId);
        return await delete.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task<IReadOnlyList<AlertCondition>> ListAlertConditionsAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, "SELECT key, fingerprint, since FROM alert_conditions WHERE organisation_id = $org ORDER BY key;");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var conditions = new List<AlertCondition>();
        while (await reader.ReadAsync(ct))
        {
            conditions.Add(new AlertCondition(reader.GetString(0), reader.GetString(1), Db.ParseTime(reader.GetString(2))));
        }

        return conditions;
    }

    public async Task SaveAlertConditionsAsync(IReadOnlyList<AlertCondition> held, IReadOnlyList<string> cleared, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        foreach (var key in cleared)
        {
            await using var delete = Tenant(db, "DELETE FROM alert_conditions WHERE organisation_id = $org AND key = $key;", transaction);
            delete.Parameters.AddWithValue("$key", key);
            await delete.ExecuteNonQueryAsync(ct);
        }

        foreach (var condition in held)
        {
            await using var upsert = Tenant(db, """
                INSERT INTO alert_conditions (organisation_id, key, fingerprint, since) VALUES ($org, $key, $fingerprint, $since)
                ON CONFLICT (organisation_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, since = excluded.since;
                """, transaction);
            upsert.Parameters.AddWithValue("$key", condition.Key);
            upsert.Parameters.AddWithValue("$fingerprint", condition.Fingerprint);
            upsert.Parameters.AddWithValue("$since", Db.Time(condition.Since));
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    public Task AddAlertLogAsync(IReadOnlyList<AlertLogEntry> entries, CancellationToken ct) => RecordAlertDeliveriesAsync(entries, [], ct);

    public async Task RecordAlertDeliveriesAsync(IReadOnlyList<AlertLogEntry> entries, IReadOnlyList<PendingAlertDelivery> pending, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(pending);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        foreach (var entry in entries)
        {
            await using var insert = Tenant(db, $"""
                INSERT INTO alert_log (organisation_id, {AlertLogColumns})
                VALUES ($org, $alert_id, $raised_at, $kind, $subject, $title, $channel_id, $channel, $status, $attempts, $error, $delivered_at, $next_attempt_at);
                """, transaction);
            insert.Parameters.AddWithValue("$alert_id", entry.AlertId);
            insert.Parameters.AddWithValue("$raised_at", Db.Time(entry.RaisedAt));
            insert.Parameters.AddWithValue("$kind", entry.Kind);
            insert.Parameters.AddWithValue("$subject", entry.Subject);
            insert.Parameters.AddWithValue("$title", entry.Title);
            insert.Parameters.AddWithValue("$channel_id", Db.OrNull(entry.ChannelId));
            insert.Parameters.AddWithValue("$channel", entry.Channel);
            insert.Parameters.AddWithValue("$status", entry.Status);
            insert.Parameters.AddWithValue("$attempts", (long)entry.Attempts);
            insert.Parameters.AddWithValue("$error", Db.OrNull(entry.Error));
            insert.Parameters.AddWithValue("$delivered_at", Db.TimeOrNull(entry.DeliveredAt));
            insert.Parameters.AddWithValue("$next_attempt_at", Db.TimeOrNull(entry.NextAttemptAt));
            await insert.ExecuteNonQueryAsync(ct);
            if (entry.ChannelId is not null)
            {
                await using var done = Tenant(db, "DELETE FROM alert_pending WHERE organisation_id = $org AND alert_id = $alert_id AND channel_id = $channel_id;", transaction);
                done.Parameters.AddWithValue("$alert_id", entry.AlertId);
                done.Parameters.AddWithValue("$channel_id", entry.ChannelId);
                await done.ExecuteNonQueryAsync(ct);
            }
        }

        foreach (var delivery in pending)
        {
            await using var upsert = Tenant(db, $"""
                INSERT INTO alert_pending (organisation_id, {PendingAlertColumns})
                VALUES ($org, $alert_id, $channel_id, $alert, $rounds, $attempts, $next_attempt_at, $last_error)
                ON CONFLICT (organisation_id, alert_id, channel_id) DO UPDATE SET alert = excluded.alert, rounds = excluded.rounds,
                    attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error, leased_until = NULL;
                """, transaction);
            upsert.Parameters.AddWithValue("$alert_id", delivery.AlertId);
            upsert.Parameters.AddWithValue("$channel_id", delivery.ChannelId);
            upsert.Parameters.AddWithValue("$alert", delivery.Alert);
            upsert.Parameters.AddWithValue("$rounds", (long)delivery.Rounds);
            upsert.Parameters.AddWithValue("$attempts", (long)delivery.Attempts);
            upsert.Parameters.AddWithValue("$next_attempt_at", Db.Time(delivery.NextAttemptAt));
            upsert.Parameters.AddWithValue("$last_error", Db.OrNull(delivery.LastError));
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<PendingAlertDelivery>> ClaimAlertDeliveriesAsync(DateTimeOffset dueBy, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var claim = Tenant(db, $"""
            UPDATE alert_pending SET leased_until = $lease
            WHERE organisation_id = $org AND next_attempt_at <= $due AND (leased_until IS NULL OR leased_until <= $now)
            RETURNING {PendingAlertColumns};
            """);
        claim.Parameters.AddWithValue("$lease", Db.Time(leaseUntil));
        claim.Parameters.AddWithValue("$due", Db.Time(dueBy));
        claim.Parameters.AddWithValue("$now", Db.Time(now));
        return await PendingAsync(claim, ct);
    }

    public async Task<IReadOnlyList<PendingAlertDelivery>> ListPendingAlertDeliveriesAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, $"SELECT {PendingAlertColumns} FROM alert_pending WHERE organisation_id = $org;");
        return await PendingAsync(list, ct);
    }

    private static async Task<IReadOnlyList<PendingAlertDelivery>> PendingAsync(Microsoft.Data.Sqlite.SqliteCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await StoredRows.PendingAlertDeliveriesAsync(reader, ct);
    }

    public async Task<IReadOnlyList<AlertLogEntry>> ListAlertLogAsync(int limit, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, $"SELECT {AlertLogColumns} FROM alert_log WHERE organisation_id = $org ORDER BY id DESC LIMIT $limit;");
        list.Parameters.AddWithValue("$limit", (long)Math.Max(0, limit));
        await using var reader = await list.ExecuteReaderAsync(ct);
        var entries = new List<AlertLogEntry>();
        while (await reader.ReadAsync(ct))
        {
            entries.Add(StoredRows.AlertLogEntry(reader));
        }

        return entries;
    }
}
