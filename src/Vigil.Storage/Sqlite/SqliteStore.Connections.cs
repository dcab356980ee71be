using Microsoft.Data.Sqlite;
using Vigil.Core;
using Vigil.Core.Sync;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string SecretScheme = "aes-256-gcm";

    private const string ConnectionColumns =
        "id, name, purpose, api_url, account_id, credential_kind, email, created_at, last_tested_at, last_test_summary, ended_endpoints, cloudflare_user_id";

    public async Task SaveAsync(Connection connection, Secret secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(secret);
        RequireWritable();
        var sealedSecret = Key.Encrypt(connection.Id, secret.Reveal());

        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();

        // Saving under an existing name with a new id replaces that connection: the old one counts as removed.
        await using (var find = Tenant(db, "SELECT id FROM connections WHERE organisation_id = $org AND name = $name AND id <> $id;", transaction))
        {
            find.Parameters.AddWithValue("$name", connection.Name);
            find.Parameters.AddWithValue("$id", connection.Id);
            if (await find.ExecuteScalarAsync(ct) is string replacedId)
            {
                await DeleteConnectionAsync(db, transaction, replacedId, connection.Name, ct);
            }
        }

        // An id is never reused across organisations: a conflict in another organisation updates nothing and fails below.
        await using (var upsert = Tenant(db, $"""
            INSERT INTO connections (organisation_id, {ConnectionColumns})
            VALUES ($org, $id, $name, $purpose, $api_url, $account_id, $kind, $email, $created_at, $tested_at, $test_summary, $ended, $cloudflare_user_id)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, purpose = excluded.purpose, api_url = excluded.api_url, account_id = excluded.account_id,
                credential_kind = excluded.credential_kind, email = excluded.email, created_at = excluded.created_at,
                last_tested_at = excluded.last_tested_at, last_test_summary = excluded.last_test_summary,
                ended_endpoints = excluded.ended_endpoints, cloudflare_user_id = excluded.cloudflare_user_id
            WHERE connections.organisation_id = excluded.organisation_id;
            """, transaction))
        {
            upsert.Parameters.AddWithValue("$id", connection.Id);
            upsert.Parameters.AddWithValue("$name", connection.Name);
            upsert.Parameters.AddWithValue("$purpose", Db.Text(connection.Purpose));
            upsert.Parameters.AddWithValue("$api_url", connection.ApiUrl);
            upsert.Parameters.AddWithValue("$account_id", Db.OrNull(connection.AccountId));
            upsert.Parameters.AddWithValue("$kind", Db.Text(connection.Kind));
            upsert.Parameters.AddWithValue("$email", Db.OrNull(connection.Email));
            upsert.Parameters.AddWithValue("$created_at", Db.Time(connection.CreatedAt));
            upsert.Parameters.AddWithValue("$tested_at", Db.TimeOrNull(connection.LastTestedAt));
            upsert.Parameters.AddWithValue("$test_summary", Db.OrNull(connection.LastTestSummary));
            upsert.Parameters.AddWithValue("$ended", Db.Json<IReadOnlyList<string>>(connection.EndedEndpoints.Order(StringComparer.Ordinal).ToList()));
            upsert.Parameters.AddWithValue("$cloudflare_user_id", Db.OrNull(connection.CloudflareUserId));
            if (await upsert.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new InvalidOperationException($"connection id {connection.Id} belongs to another organisation");
            }
        }

        await using (var saveSecret = db.Command("""
            INSERT INTO connection_secrets (connection_id, scheme, key_fingerprint, sealed) VALUES ($id, $scheme, $fingerprint, $sealed)
            ON CONFLICT (connection_id) DO UPDATE SET scheme = excluded.scheme, key_fingerprint = excluded.key_fingerprint, sealed = excluded.sealed;
            """, transaction))
        {
            saveSecret.Parameters.AddWithValue("$id", connection.Id);
            saveSecret.Parameters.AddWithValue("$scheme", SecretScheme);
            saveSecret.Parameters.AddWithValue("$fingerprint", Key.Fingerprint);
            saveSecret.Parameters.AddWithValue("$sealed", sealedSecret);
            await saveSecret.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<Connection>> ListAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, $"SELECT {ConnectionColumns} FROM connections WHERE organisation_id = $org ORDER BY name;");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var connections = new List<Connection>();
        while (await reader.ReadAsync(ct))
        {
            connections.Add(StoredRows.Connection(reader));
        }

        return connections;
    }

    public async Task<Connection?> FindAsync(string name, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        return await FindAsync(db, null, "name", name, ct);
    }

    /// <exception cref="KeyNotFoundException">No such connection.</exception>
    /// <exception cref="InvalidOperationException">The credential cannot be decrypted (the master key changed, or the row was tampered with).</exception>
    public async Task<Secret> ReadSecretAsync(string connectionId, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var read = Tenant(db, """
            SELECT c.name, s.scheme, s.key_fingerprint, s.sealed
            FROM connection_secrets s JOIN connections c ON c.id = s.connection_id
            WHERE s.connection_id = $id AND c.organisation_id = $org;
            """);
        read.Parameters.AddWithValue("$id", connectionId);
        await using var reader = await read.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new KeyNotFoundException($"There is no stored credential for connection {connectionId}; run vigil connect.");
        }

        var name = reader.GetString(0);
        var scheme = reader.GetString(1);
        var fingerprint = reader.GetString(2);
        var sealedSecret = (byte[])reader.GetValue(3);

        if (scheme != SecretScheme)
        {
            throw new InvalidOperationException($"The stored credential for connection {name} uses an unknown scheme '{scheme}'; re-run vigil connect.");
        }

        if (fingerprint != Key.Fingerprint)
        {
            throw new InvalidOperationException(
                $"cannot decrypt the stored credential for connection {name}: the master key changed; re-run vigil connect");
        }

        return Key.TryDecrypt(connectionId, sealedSecret) is { Length: > 0 } plaintext
            ? new Secret(plaintext)
            : throw new InvalidOperationException(
                $"cannot decrypt the stored credential for connection {name}: it does not authenticate (damaged or copied from another connection); re-run vigil connect");
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        var connection = await FindAsync(db, transaction, "name", name, ct);
        if (connection is null)
        {
            return false;
        }

        await DeleteConnectionAsync(db, transaction, connection.Id, connection.Name, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task RecordTestAsync(string connectionId, DateTimeOffset at, string summary, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var update = Tenant(db, "UPDATE connections SET last_tested_at = $at, last_test_summary = $summary WHERE id = $id AND organisation_id = $org;");
        update.Parameters.AddWithValue("$id", connectionId);
        update.Parameters.AddWithValue("$at", Db.Time(at));
        update.Parameters.AddWithValue("$summary", summary);
        await EnsureOneRowAsync(update, connectionId, ct);
    }

    public async Task RememberEndedEndpointAsync(string connectionId, string endpoint, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        var connection = await FindAsync(db, transaction, "id", connectionId, ct)
            ?? throw new KeyNotFoundException($"There is no connection {connectionId}.");
        if (connection.EndedEndpoints.Contains(endpoint))
        {
            return;
        }

        await using var update = Tenant(db, "UPDATE connections SET ended_endpoints = $ended WHERE id = $id AND organisation_id = $org;", transaction);
        update.Parameters.AddWithValue("$id", connectionId);
        update.Parameters.AddWithValue("$ended", Db.Json<IReadOnlyList<string>>(connection.EndedEndpoints.Append(endpoint).Order(StringComparer.Ordinal).ToList()));
        await update.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<Connection?> FindAsync(SqliteConnection db, SqliteTransaction? transaction, string keyColumn, string key, CancellationToken ct)
    {
        await using var find = Tenant(db, $"SELECT {ConnectionColumns} FROM connections WHERE organisation_id = $org AND {keyColumn} = $key;", transaction);
        find.Parameters.AddWithValue("$key", key);
        await using var reader = await find.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? StoredRows.Connection(reader) : null;
    }


    // The secret goes with the row (ON DELETE CASCADE); the removal is recorded so the connection's
    // snapshot rows, kept as evidence, stop counting as current.
    private async Task DeleteConnectionAsync(SqliteConnection db, SqliteTransaction transaction, string connectionId, string name, CancellationToken ct)
    {
        await using (var remember = Tenant(db, """
            INSERT INTO connection_removals (organisation_id, connection_id, name, removed_at, last_commit_id, last_run_seq)
            VALUES ($org, $id, $name, $at,
                    (SELECT COALESCE(MAX(id), 0) FROM stage_commits),
                    (SELECT COALESCE(MAX(seq), 0) FROM sync_runs));
            """, transaction))
        {
            remember.Parameters.AddWithValue("$id", connectionId);
            remember.Parameters.AddWithValue("$name", name);
            remember.Parameters.AddWithValue("$at", Db.Time(_time.GetUtcNow()));
            await remember.ExecuteNonQueryAsync(ct);
        }

        await using var delete = Tenant(db, "DELETE FROM connections WHERE id = $id AND organisation_id = $org;", transaction);
        delete.Parameters.AddWithValue("$id", connectionId);
        await delete.ExecuteNonQueryAsync(ct);
    }

    private static async Task EnsureOneRowAsync(SqliteCommand command, string connectionId, CancellationToken ct)
    {
        if (await command.ExecuteNonQueryAsync(ct) == 0)
        {
            throw new KeyNotFoundException($"There is no connection {connectionId}.");
        }
    }
}
