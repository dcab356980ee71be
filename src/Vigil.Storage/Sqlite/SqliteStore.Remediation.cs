using Vigil.Core;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore : IRemediationStore
{
    private const string RemediationCredentialColumns = ReviewRows.RemediationCredentialColumns;
    private const string RemediationColumns = ReviewRows.RemediationColumns;

    public async Task SaveRemediationCredentialAsync(RemediationCredential credential, Secret secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(secret);
        RequireWritable();
        var sealedSecret = Key.Encrypt(credential.Id, secret.Reveal());
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        await using (var replace = Tenant(db, "DELETE FROM remediation_credentials WHERE organisation_id = $org AND name = $name;", transaction))
        {
            replace.Parameters.AddWithValue("$name", credential.Name);
            await replace.ExecuteNonQueryAsync(ct);
        }

        await using (var insert = Tenant(db, $"""
            INSERT INTO remediation_credentials (organisation_id, {RemediationCredentialColumns}, scheme, key_fingerprint, sealed)
            VALUES ($org, $id, $name, $api_url, $account_id, $kind, $email, $created_at, $summary, $scheme, $fingerprint, $sealed);
            """, transaction))
        {
            insert.Parameters.AddWithValue("$id", credential.Id);
            insert.Parameters.AddWithValue("$name", credential.Name);
            insert.Parameters.AddWithValue("$api_url", credential.ApiUrl);
            insert.Parameters.AddWithValue("$account_id", Db.OrNull(credential.AccountId));
            insert.Parameters.AddWithValue("$kind", Db.Text(credential.Kind));
            insert.Parameters.AddWithValue("$email", Db.OrNull(credential.Email));
            insert.Parameters.AddWithValue("$created_at", Db.Time(credential.CreatedAt));
            insert.Parameters.AddWithValue("$summary", Db.OrNull(credential.LastTestSummary));
            insert.Parameters.AddWithValue("$scheme", SecretScheme);
            insert.Parameters.AddWithValue("$fingerprint", Key.Fingerprint);
            insert.Parameters.AddWithValue("$sealed", sealedSecret);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<RemediationCredential>> ListRemediationCredentialsAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, $"SELECT {RemediationCredentialColumns} FROM remediation_credentials WHERE organisation_id = $org ORDER BY name;");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var credentials = new List<RemediationCredential>();
        while (await reader.ReadAsync(ct))
        {
            credentials.Add(ReviewRows.RemediationCredential(reader));
        }

        return credentials;
    }

    public async Task<Secret> ReadRemediationSecretAsync(string credentialId, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var read = Tenant(db, "SELECT name, scheme, key_fingerprint, sealed FROM remediation_credentials WHERE id = $id AND organisation_id = $org;");
        read.Parameters.AddWithValue("$id", credentialId);
        await using var reader = await read.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new KeyNotFoundException($"There is no remediate credential {credentialId}; run vigil connect cloudflare --purpose remediate.");
        }

        return RemediationSealing.Open(Key, credentialId, reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3), SecretScheme);
    }

    public async Task<bool> RemoveRemediationCredentialAsync(string name, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var delete = Tenant(db, "DELETE FROM remediation_credentials WHERE organisation_id = $org AND name = $name;");
        delete.Parameters.AddWithValue("$name", name);
        return await delete.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task AddRemediationAttemptAsync(RemediationAttempt attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var insert = Tenant(db, $"""
            INSERT INTO review_remediations (organisation_id, {RemediationColumns})
            VALUES ($org, $campaign, $decision, $account, $member, $credential, $method, $path, $body, $outcome, $status, $errors, $explanation, $at);
            """);
        insert.Parameters.AddWithValue("$campaign", attempt.CampaignId);
        insert.Parameters.AddWithValue("$decision", attempt.DecisionId);
        insert.Parameters.AddWithValue("$account", attempt.AccountId);
        insert.Parameters.AddWithValue("$member", attempt.MemberId);
        insert.Parameters.AddWithValue("$credential", attempt.CredentialName);
        insert.Parameters.AddWithValue("$method", attempt.Method);
        insert.Parameters.AddWithValue("$path", attempt.Path);
        insert.Parameters.AddWithValue("$body", Db.OrNull(attempt.RequestBody));
        insert.Parameters.AddWithValue("$outcome", ReviewRows.OutcomeText(attempt.Outcome));
        insert.Parameters.AddWithValue("$status", attempt.HttpStatus is { } s ? s : DBNull.Value);
        insert.Parameters.AddWithValue("$errors", ReviewRows.Json(attempt.Errors, ReviewJson.Default.IReadOnlyListString));
        insert.Parameters.AddWithValue("$explanation", attempt.Explanation);
        insert.Parameters.AddWithValue("$at", Db.Time(attempt.At));
        await insert.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<RemediationAttempt>> ListRemediationAttemptsAsync(string campaignId, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var select = Tenant(db, $"SELECT {RemediationColumns}, seq FROM review_remediations WHERE organisation_id = $org AND campaign_id = $campaign ORDER BY seq;");
        select.Parameters.AddWithValue("$campaign", campaignId);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var attempts = new List<RemediationAttempt>();
        while (await reader.ReadAsync(ct))
        {
            attempts.Add(ReviewRows.Remediation(reader));
        }

        return attempts;
    }
}
