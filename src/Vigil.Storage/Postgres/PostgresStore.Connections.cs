using Npgsql;
using Vigil.Core;
using Vigil.Core.Sync;

namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    private const string SecretScheme = "aes-256-gcm";

    private const string ConnectionColumns =
        "id, name, purpose, api_url, account_id, credential_kind, email, created_at, last_tested_at, last_test_summary, ended_endpoints, cloudflare_user_id";

    public async Task SaveAsync(Connection connection, Secret secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(secret);
        var sealedSecret = Key.Encrypt(connection.Id, secret.Reveal());

        await using var tenant = await BeginAsync(ct);

        // Saving under an existing name with a new id replaces that connection: the old one counts as removed.
        await using (var find = tenant.Command("SELECT id FROM connections WHERE organisation_id = @org AND name = @name AND id <> @id FOR UPDATE;"))
        {
            find.Parameters.AddWithValue("name", connection.Name);
            find.Parameters.AddWithValue("id", connection.Id);
            if (await find.ExecuteScalarAsync(ct) is string replacedId)
            {
                await DeleteConnectionAsync(tenant, replacedId, connection.Name, ct);
            }
        }

        await using (var upsert = tenant.Command($"""
            INSERT INTO connections (organisation_id, {ConnectionColumns})
            VALUES (@org, @id, @name, @purpose, @api_url, @account_id, @kind, @email, @created_at, @tested_at, @test_summary, @ended, @cloudflare_user_id)
            ON CONFLICT (organisation_id, id) DO UPDATE SET
                name = excluded.name, purpose = excluded.purpose, api_url = excluded.api_url, account_id = excluded.account_id,
                credential_kind = excluded.credential_kind, email = excluded.email, created_at = excluded.created_at,
                last_tested_at = excluded.last_tested_at, last_test_summary = excluded.last_test_summary,
                ended_endpoints = excluded.ended_endpoints, cloudflare_user_id = excluded.cloudflare_user_id;
            """))
        {
            upsert.Parameters.AddWithValue("id", connection.Id);
            upsert.Parameters.AddWithValue("name", connection.Name);
            upsert.Parameters.AddWithValue("purpose", Db.Text(connection.Purpose));
            upsert.Parameters.AddWithValue("api_url", connection.ApiUrl);
            upsert.Parameters.AddWithValue("account_id", Text(connection.AccountId));
            upsert.Parameters.AddWithValue("kind", Db.Text(connection.Kind));
            upsert.Parameters.AddWithValue("email", Text(connection.Email));
            upsert.Parameters.AddWithValue("created_at", Db.Time(connection.CreatedAt));
            upsert.Parameters.AddWithValue("tested_at", Text(connection.LastTestedAt is { } tested ? Db.Time(tested) : null));
            upsert.Parameters.AddWithValue("test_summary", Text(connection.LastTestSummary));
            upsert.Parameters.AddWithValue("ended", Db.Json<IReadOnlyList<string>>(connection.EndedEndpoints.Order(StringComparer.Ordinal).ToList()));
            upsert.Parameters.AddWithValue("cloudflare_user_id", Text(connection.CloudflareUserId));
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await using (var saveSecret = tenant.Command("""
            INSERT INTO connection_secrets (organisation_id, connection_id, scheme, key_fingerprint, sealed) VALUES (@org, @id, @scheme, @fingerprint, @sealed)
            ON CONFLICT (organisation_id, connection_id) DO UPDATE SET
                scheme = excluded.scheme, key_fingerprint = excluded.key_fingerprint, sealed = excluded.sealed;
            """))
        {
            saveSecret.Parameters.AddWithValue("id", connection.Id);
            saveSecret.Parameters.AddWithValue("scheme", SecretScheme);
            saveSecret.Parameters.AddWithValue("fingerprint", Key.Fingerprint);
            saveSecret.Parameters.AddWithValue("sealed", sealedSecret);
            await saveSecret.ExecuteNonQueryAsync(ct);
        }

        await tenant.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<Connection>> ListAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command($"SELECT {ConnectionColumns} FROM connections WHERE organisation_id = @org ORDER BY name COLLATE \"C\";");
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
        await using var tenant = await BeginAsync(ct, readOnly: true);
        return await FindAsync(tenant, "name", name, ct);
    }

    /// <exception cref="KeyNotFoundException">No such connection.</exception>
    /// <exception cref="InvalidOperationException">The credential cannot be decrypted (the master key changed, or the row was tampered with).</exception>
    public async Task<Secret> ReadSecretAsync(string connectionId, CancellationToken ct)
    {
        string name, scheme, fingerprint;
        byte[] sealedSecret;
        await using (var tenant = await BeginAsync(ct, readOnly: true))
        await using (var read = tenant.Command("""
            SELECT c.name, s.scheme, s.key_fingerprint, s.sealed
            FROM connection_secrets s JOIN connections c ON c.organisation_id = s.organisation_id AND c.id = s.connection_id
            WHERE s.organisation_id = @org AND s.connection_id = @id;
            """))
        {
            read.Parameters.AddWithValue("id", connectionId);
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new KeyNotFoundException($"There is no stored credential for connection {connectionId}; run vigil connect.");
            }

            name = reader.GetString(0);
            scheme = reader.GetString(1);
            fingerprint = reader.GetString(2);
            sealedSecret = (byte[])reader.GetValue(3);
        }

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
        await using var tenant = await BeginAsync(ct);
        var connection = await FindAsync(tenant, "name", name, ct, forUpdate: true);
        if (connection is null)
        {
            return false;
        }

        await DeleteConnectionAsync(tenant, connection.Id, connection.Name, ct);
        await tenant.CommitAsync(ct);
        return true;
    }

    public async Task RecordTestAsync(string connectionId, DateTimeOffset at, string summary, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);
        await using var update = tenant.Command(
            "UPDATE connections SET last_tested_at = @at, last_test_summary = @summary WHERE organisation_id = @org AND id = @id;");
        update.Parameters.AddWithValue("id", connectionId);
        update.Parameters.AddWithValue("at", Db.Time(at));
        update.Parameters.AddWithValue("summary", summary);
        if (await update.ExecuteNonQueryAsync(ct) == 0)
        {
            throw new KeyNotFoundException($"There is no connection {connectionId}.");
        }

        await tenant.CommitAsync(ct);
    }

    public async Task RememberEndedEndpointAsync(string connectionId, string endpoint, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);
        var connection = await FindAsync(tenant, "id", connectionId, ct, forUpdate: true)
            ?? throw new KeyNotFoundException($"There is no connection {connectionId}.");
        if (connection.EndedEndpoints.Contains(endpoint))
        {
            return;
        }

        await using var update = tenant.Command("UPDATE connections SET ended_endpoints = @ended WHERE organisation_id = @org AND id = @id;");
        update.Parameters.AddWithValue("id", connectionId);
        update.Parameters.AddWithValue("ended", Db.Json<IReadOnlyList<string>>(connection.EndedEndpoints.Append(endpoint).Order(StringComparer.Ordinal).ToList()));
        await update.ExecuteNonQueryAsync(ct);
        await tenant.CommitAsync(ct);
    }

    private static async Task<Connection?> FindAsync(Tenant tenant, string keyColumn, string key, CancellationToken ct, bool forUpdate = false)
    {
        await using var find = tenant.Command(
            $"SELECT {ConnectionColumns} FROM connections WHERE organisation_id = @org AND {keyColumn} = @key{(forUpdate ? " FOR UPDATE" : "")};");
        find.Parameters.AddWithValue("key", key);
        await using var reader = await find.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? StoredRows.Connection(reader) : null;
    }


    // The secret goes with the row (ON DELETE CASCADE); the removal is recorded so the connection's
    // snapshot rows, kept as evidence, stop counting as current.
    private async Task DeleteConnectionAsync(Tenant tenant, string connectionId, string name, CancellationToken ct)
    {
        await using (var remember = tenant.Command("""
            INSERT INTO connection_removals (organisation_id, connection_id, name, removed_at, last_commit_id, last_run_seq)
            VALUES (@org, @id, @name, @at,
                    (SELECT COALESCE(MAX(id), 0) FROM stage_commits WHERE organisation_id = @org),
                    (SELECT COALESCE(MAX(seq), 0) FROM sync_runs WHERE organisation_id = @org));
            """))
        {
            remember.Parameters.AddWithValue("id", connectionId);
            remember.Parameters.AddWithValue("name", name);
            remember.Parameters.AddWithValue("at", Db.Time(_time.GetUtcNow()));
            await remember.ExecuteNonQueryAsync(ct);
        }

        await using var delete = tenant.Command("DELETE FROM connections WHERE organisation_id = @org AND id = @id;");
        delete.Parameters.AddWithValue("id", connectionId);
        await delete.ExecuteNonQueryAsync(ct);
    }

    // A text parameter that may be null, typed so PostgreSQL never has to guess.
    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static object Text(string? value) => (object?)value ?? DBNull.Value;
}
