using Npgsql;
using Vigil.Core;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;

namespace Vigil.Storage.Postgres;

/// <summary>Access reviews and remediation on PostgreSQL: the same contract as SQLite's, rows mapped by <see cref="ReviewRows"/>.</summary>
public sealed partial class PostgresStore : IReviewStore, IRemediationStore
{
    public async Task SaveCampaignAsync(Campaign campaign, IReadOnlyList<ReviewItem> items, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(items);
        await using var tenant = await BeginAsync(ct);
        await InsertRowsAsync(tenant, "review_campaigns", ReviewRows.CampaignColumns, [campaign], ReviewRows.CampaignValues, ct);
        var ordinal = 0L;
        await InsertRowsAsync(tenant, "review_items", ReviewRows.ItemColumns + ", ordinal", items, i => ReviewRows.ItemValues(i, ordinal++), ct);
        await tenant.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        return await ReadCampaignsAsync(tenant, null, ct);
    }

    public async Task<ReviewCampaign?> LoadCampaignAsync(string campaignId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        // One snapshot of the tables: a decision recorded meanwhile is either in every part or in none.
        await using var tenant = await BeginAsync(ct, System.Data.IsolationLevel.RepeatableRead, readOnly: true);
        var campaigns = await ReadCampaignsAsync(tenant, campaignId.Trim(), ct);
        return campaigns.Count == 0 ? null : (await LoadDetailsAsync(tenant, campaigns, campaignId.Trim(), ct))[0];
    }

    public async Task<ReviewState> LoadReviewStateAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, System.Data.IsolationLevel.RepeatableRead, readOnly: true);
        var campaigns = await ReadCampaignsAsync(tenant, null, ct);
        return campaigns.Count == 0 ? ReviewState.Empty : new ReviewState(await LoadDetailsAsync(tenant, campaigns, null, ct));
    }

    public async Task AddDecisionsAsync(IReadOnlyList<ReviewDecision> decisions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        await using var tenant = await BeginAsync(ct);
        await InsertRowsAsync(tenant, "review_decisions", ReviewRows.DecisionColumns["seq, ".Length..], decisions, ReviewRows.DecisionValues, ct);
        await tenant.CommitAsync(ct);
    }

    public async Task ReassignAsync(Reassignment reassignment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reassignment);
        await using var tenant = await BeginAsync(ct);
        await using (var update = tenant.Command("""
            UPDATE review_items SET reviewer = @reviewer
            WHERE organisation_id = @org AND campaign_id = @campaign AND account_id = @account AND member_id = @member;
            """))
        {
            update.Parameters.AddWithValue("reviewer", reassignment.To);
            update.Parameters.AddWithValue("campaign", reassignment.CampaignId);
            update.Parameters.AddWithValue("account", reassignment.AccountId);
            update.Parameters.AddWithValue("member", reassignment.MemberId);
            if (await update.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new KeyNotFoundException($"campaign {reassignment.CampaignId} has no item for member {reassignment.MemberId} of account {reassignment.AccountId}");
            }
        }

        await InsertRowsAsync(tenant, "review_reassignments", ReviewRows.ReassignmentColumns, [reassignment], ReviewRows.ReassignmentValues, ct);
        await tenant.CommitAsync(ct);
    }

    public async Task<bool> CompleteCampaignAsync(string campaignId, CampaignSignOff signOff, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(signOff);
        await using var tenant = await BeginAsync(ct);
        await using var update = tenant.Command("""
            UPDATE review_campaigns SET status = 'completed', signed_off_by = @by, signed_off_at = @at, statement = @statement
            WHERE organisation_id = @org AND id = @id AND status = 'open';
            """);
        update.Parameters.AddWithValue("by", signOff.By);
        update.Parameters.AddWithValue("at", Db.Time(signOff.At));
        update.Parameters.AddWithValue("statement", signOff.Statement);
        update.Parameters.AddWithValue("id", campaignId);
        var completed = await update.ExecuteNonQueryAsync(ct) == 1;
        await tenant.CommitAsync(ct);
        return completed;
    }

    public async Task AddVerificationsAsync(IReadOnlyList<VerificationEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        await using var tenant = await BeginAsync(ct);
        await InsertRowsAsync(tenant, "review_verifications", ReviewRows.VerificationColumns, events, ReviewRows.VerificationValues, ct);
        await tenant.CommitAsync(ct);
    }

    public async Task<IReadOnlyDictionary<(string AccountId, string MemberId), DateTimeOffset>> LoadMembershipFirstSeenAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var select = tenant.Command("""
            SELECT m.account_id, m.member_id, MIN(c.committed_at)
            FROM snapshot_members m JOIN stage_commits c ON c.id = m.commit_id
            WHERE m.organisation_id = @org AND c.organisation_id = @org
            GROUP BY m.account_id, m.member_id;
            """);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var firstSeen = new Dictionary<(string, string), DateTimeOffset>();
        while (await reader.ReadAsync(ct))
        {
            firstSeen[(reader.GetString(0), reader.GetString(1))] = Db.ParseTime(reader.GetString(2));
        }

        return firstSeen;
    }

    public async Task SaveRemediationCredentialAsync(RemediationCredential credential, Secret secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(secret);
        var sealedSecret = Key.Encrypt(credential.Id, secret.Reveal());
        await using var tenant = await BeginAsync(ct);
        await using (var replace = tenant.Command("DELETE FROM remediation_credentials WHERE organisation_id = @org AND name = @name;"))
        {
            replace.Parameters.AddWithValue("name", credential.Name);
            await replace.ExecuteNonQueryAsync(ct);
        }

        await using (var insert = tenant.Command($"""
            INSERT INTO remediation_credentials (organisation_id, {ReviewRows.RemediationCredentialColumns}, scheme, key_fingerprint, sealed)
            VALUES (@org, @id, @name, @api_url, @account_id, @kind, @email, @created_at, @summary, @scheme, @fingerprint, @sealed);
            """))
        {
            insert.Parameters.AddWithValue("id", credential.Id);
            insert.Parameters.AddWithValue("name", credential.Name);
            insert.Parameters.AddWithValue("api_url", credential.ApiUrl);
            insert.Parameters.AddWithValue("account_id", Db.OrNull(credential.AccountId));
            insert.Parameters.AddWithValue("kind", Db.Text(credential.Kind));
            insert.Parameters.AddWithValue("email", Db.OrNull(credential.Email));
            insert.Parameters.AddWithValue("created_at", Db.Time(credential.CreatedAt));
            insert.Parameters.AddWithValue("summary", Db.OrNull(credential.LastTestSummary));
            insert.Parameters.AddWithValue("scheme", SecretScheme);
            insert.Parameters.AddWithValue("fingerprint", Key.Fingerprint);
            insert.Parameters.AddWithValue("sealed", sealedSecret);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tenant.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<RemediationCredential>> ListRemediationCredentialsAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command($"SELECT {ReviewRows.RemediationCredentialColumns} FROM remediation_credentials WHERE organisation_id = @org ORDER BY name COLLATE \"C\";");
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
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var read = tenant.Command("SELECT name, scheme, key_fingerprint, sealed FROM remediation_credentials WHERE organisation_id = @org AND id = @id;");
        read.Parameters.AddWithValue("id", credentialId);
        await using var reader = await read.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new KeyNotFoundException($"There is no remediate credential {credentialId}; run vigil connect cloudflare --purpose remediate.");
        }

        return RemediationSealing.Open(Key, credentialId, reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3), SecretScheme);
    }

    public async Task<bool> RemoveRemediationCredentialAsync(string name, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);
        await using var delete = tenant.Command("DELETE FROM remediation_credentials WHERE organisation_id = @org AND name = @name;");
        delete.Parameters.AddWithValue("name", name);
        var removed = await delete.ExecuteNonQueryAsync(ct) > 0;
        await tenant.CommitAsync(ct);
        return removed;
    }

    public async Task AddRemediationAttemptAsync(RemediationAttempt attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        await using var tenant = await BeginAsync(ct);
        await InsertRowsAsync(tenant, "review_remediations", ReviewRows.RemediationColumns, [attempt], ReviewRows.RemediationValues, ct);
        await tenant.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<RemediationAttempt>> ListRemediationAttemptsAsync(string campaignId, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var select = tenant.Command($"SELECT {ReviewRows.RemediationColumns}, seq FROM review_remediations WHERE organisation_id = @org AND campaign_id = @campaign ORDER BY seq;");
        select.Parameters.AddWithValue("campaign", campaignId);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var attempts = new List<RemediationAttempt>();
        while (await reader.ReadAsync(ct))
        {
            attempts.Add(ReviewRows.Remediation(reader));
        }

        return attempts;
    }

    private static async Task<List<Campaign>> ReadCampaignsAsync(Tenant tenant, string? campaignId, CancellationToken ct)
    {
        await using var select = tenant.Command(
            $"SELECT {ReviewRows.CampaignColumns} FROM review_campaigns WHERE organisation_id = @org{(campaignId is null ? "" : " AND id = @id")} ORDER BY created_at, id COLLATE \"C\";");
        if (campaignId is not null)
        {
            select.Parameters.AddWithValue("id", campaignId);
        }

        await using var reader = await select.ExecuteReaderAsync(ct);
        var campaigns = new List<Campaign>();
        while (await reader.ReadAsync(ct))
        {
            campaigns.Add(ReviewRows.Campaign(reader));
        }

        return campaigns;
    }

    private static async Task<List<ReviewCampaign>> LoadDetailsAsync(Tenant tenant, IReadOnlyList<Campaign> campaigns, string? campaignId, CancellationToken ct)
    {
        var items = await ReadRowsAsync(tenant, "review_items", ReviewRows.ItemColumns, campaignId, "campaign_id COLLATE \"C\", ordinal", ReviewRows.Item, ct);
        var decisions = await ReadRowsAsync(tenant, "review_decisions", ReviewRows.DecisionColumns, campaignId, "seq", ReviewRows.Decision, ct);
        var verifications = await ReadRowsAsync(tenant, "review_verifications", ReviewRows.VerificationColumns, campaignId, "seq", ReviewRows.Verification, ct);
        var itemsBy = items.ToLookup(i => i.CampaignId, StringComparer.Ordinal);
        var decisionsBy = decisions.ToLookup(d => d.CampaignId, StringComparer.Ordinal);
        var verificationsBy = verifications.ToLookup(v => v.CampaignId, StringComparer.Ordinal);
        return [.. campaigns.Select(c => new ReviewCampaign(c, [.. itemsBy[c.Id]], [.. decisionsBy[c.Id]], [.. verificationsBy[c.Id]]))];
    }

    private static async Task<List<T>> ReadRowsAsync<T>(
        Tenant tenant, string table, string columns, string? campaignId, string orderBy, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var select = tenant.Command(
            $"SELECT {columns} FROM {table} WHERE organisation_id = @org{(campaignId is null ? "" : " AND campaign_id = @campaign")} ORDER BY {orderBy};");
        if (campaignId is not null)
        {
            select.Parameters.AddWithValue("campaign", campaignId);
        }

        await using var reader = await select.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>
    /// Rows in multi-row INSERTs (organisation_id first, then <paramref name="columns"/>), a few hundred rows a statement:
    /// a campaign of 10,000 items takes tens of round trips, not 10,000. COPY is not used: row-level security refuses it.
    /// </summary>
    private static async Task InsertRowsAsync<T>(Tenant tenant, string table, string columns, IReadOnlyList<T> rows, Func<T, object?[]> values, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var names = columns.Split(", ");
        var perStatement = Math.Max(1, Math.Min(500, 30_000 / (names.Length + 1)));
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(perStatement, rows.Count - start);
            var sql = new System.Text.StringBuilder($"INSERT INTO {table} (organisation_id, {columns}) VALUES ");
            await using var insert = tenant.Command("");
            for (var row = 0; row < count; row++)
            {
                var rowValues = values(rows[start + row]);
                sql.Append(row == 0 ? "(@org" : ", (@org");
                for (var i = 0; i < names.Length; i++)
                {
                    var name = $"p{row}_{i}";
                    sql.Append(", @").Append(name);
                    insert.Parameters.AddWithValue(name, rowValues[i] ?? DBNull.Value);
                }
                sql.Append(')');
            }

            insert.CommandText = sql.Append(';').ToString();
            await insert.ExecuteNonQueryAsync(ct);
        }
    }
}
