using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore : IReviewStore
{
    private const string CampaignColumns = ReviewRows.CampaignColumns;
    private const string ItemColumns = ReviewRows.ItemColumns;
    private const string DecisionColumns = ReviewRows.DecisionColumns;
    private const string VerificationColumns = ReviewRows.VerificationColumns;

    public async Task SaveCampaignAsync(Campaign campaign, IReadOnlyList<ReviewItem> items, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(items);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        InsertTenantRows(db, transaction, "review_campaigns", CampaignColumns.Split(", "), [campaign], ReviewRows.CampaignValues, ct);
        var ordinal = 0L;
        InsertTenantRows(db, transaction, "review_items", [.. ItemColumns.Split(", "), "ordinal"], items, i => ReviewRows.ItemValues(i, ordinal++), ct);
        await transaction.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        return await ReadCampaignsAsync(db, null, null, ct);
    }

    public async Task<ReviewCampaign?> LoadCampaignAsync(string campaignId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction(deferred: true);
        var campaigns = await ReadCampaignsAsync(db, transaction, campaignId.Trim(), ct);
        return campaigns.Count == 0 ? null : (await LoadDetailsAsync(db, transaction, campaigns, campaignId.Trim(), ct))[0];
    }

    public async Task<ReviewState> LoadReviewStateAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction(deferred: true);
        var campaigns = await ReadCampaignsAsync(db, transaction, null, ct);
        return campaigns.Count == 0 ? ReviewState.Empty : new ReviewState(await LoadDetailsAsync(db, transaction, campaigns, null, ct));
    }

    public async Task AddDecisionsAsync(IReadOnlyList<ReviewDecision> decisions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        InsertTenantRows(db, transaction, "review_decisions", DecisionColumns.Split(", ")[1..], decisions, ReviewRows.DecisionValues, ct);
        await transaction.CommitAsync(ct);
    }

    public async Task ReassignAsync(Reassignment reassignment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reassignment);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        await using (var update = db.Command("""
            UPDATE review_items SET reviewer = $reviewer
            WHERE organisation_id = $organisation_id AND campaign_id = $campaign_id AND account_id = $account_id AND member_id = $member_id;
            """, transaction))
        {
            update.Parameters.AddWithValue("$reviewer", reassignment.To);
            update.Parameters.AddWithValue("$organisation_id", Organisation.Id);
            update.Parameters.AddWithValue("$campaign_id", reassignment.CampaignId);
            update.Parameters.AddWithValue("$account_id", reassignment.AccountId);
            update.Parameters.AddWithValue("$member_id", reassignment.MemberId);
            if (await update.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new KeyNotFoundException($"campaign {reassignment.CampaignId} has no item for member {reassignment.MemberId} of account {reassignment.AccountId}");
            }
        }

        InsertTenantRows(db, transaction, "review_reassignments",
            ReviewRows.ReassignmentColumns.Split(", "), [reassignment],
            ReviewRows.ReassignmentValues, ct);
        await transaction.CommitAsync(ct);
    }

    public async Task<bool> CompleteCampaignAsync(string campaignId, CampaignSignOff signOff, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(signOff);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var update = db.Command("""
            UPDATE review_campaigns SET status = 'completed', signed_off_by = $by, signed_off_at = $at, statement = $statement
            WHERE organisation_id = $organisation_id AND id = $id AND status = 'open';
            """);
        update.Parameters.AddWithValue("$by", signOff.By);
        update.Parameters.AddWithValue("$at", Db.Time(signOff.At));
        update.Parameters.AddWithValue("$statement", signOff.Statement);
        update.Parameters.AddWithValue("$organisation_id", Organisation.Id);
        update.Parameters.AddWithValue("$id", campaignId);
        return await update.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task AddVerificationsAsync(IReadOnlyList<VerificationEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        InsertTenantRows(db, transaction, "review_verifications", VerificationColumns.Split(", "), events, ReviewRows.VerificationValues, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The first commit time of each membership across the stored access history (pruned history forgets older sightings).</summary>
    public async Task<IReadOnlyDictionary<(string AccountId, string MemberId), DateTimeOffset>> LoadMembershipFirstSeenAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var select = db.Command("""
            SELECT m.account_id, m.member_id, MIN(c.committed_at)
            FROM snapshot_members m JOIN stage_commits c ON c.id = m.commit_id
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

    private async Task<List<Campaign>> ReadCampaignsAsync(SqliteConnection db, SqliteTransaction? transaction, string? campaignId, CancellationToken ct)
    {
        await using var select = db.Command(
            $"SELECT {CampaignColumns} FROM review_campaigns WHERE organisation_id = $organisation_id AND ($id IS NULL OR id = $id) ORDER BY created_at, id;", transaction);
        select.Parameters.AddWithValue("$organisation_id", Organisation.Id);
        select.Parameters.AddWithValue("$id", Db.OrNull(campaignId));
        await using var reader = await select.ExecuteReaderAsync(ct);
        var campaigns = new List<Campaign>();
        while (await reader.ReadAsync(ct))
        {
            campaigns.Add(ReviewRows.Campaign(reader));
        }

        return campaigns;
    }

    private async Task<List<ReviewCampaign>> LoadDetailsAsync(
        SqliteConnection db, SqliteTransaction transaction, IReadOnlyList<Campaign> campaigns, string? campaignId, CancellationToken ct)
    {
        var items = await ReadTenantRowsAsync(db, transaction, "review_items", ItemColumns, campaignId, "campaign_id, ordinal", ReviewRows.Item, ct);
        var decisions = await ReadTenantRowsAsync(db, transaction, "review_decisions", DecisionColumns, campaignId, "seq", ReviewRows.Decision, ct);
        var verifications = await ReadTenantRowsAsync(db, transaction, "review_verifications", VerificationColumns, campaignId, "seq", ReviewRows.Verification, ct);

        var itemsBy = items.ToLookup(i => i.CampaignId, StringComparer.Ordinal);
        var decisionsBy = decisions.ToLookup(d => d.CampaignId, StringComparer.Ordinal);
        var verificationsBy = verifications.ToLookup(v => v.CampaignId, StringComparer.Ordinal);
        return [.. campaigns.Select(c => new ReviewCampaign(c, [.. itemsBy[c.Id]], [.. decisionsBy[c.Id]], [.. verificationsBy[c.Id]]))];
    }

    private async Task<List<T>> ReadTenantRowsAsync<T>(
        SqliteConnection db, SqliteTransaction transaction, string table, string columns, string? campaignId, string orderBy,
        Func<SqliteDataReader, T> read, CancellationToken ct)
    {
        await using var select = db.Command(
            $"SELECT {columns} FROM {table} WHERE organisation_id = $organisation_id AND ($campaign_id IS NULL OR campaign_id = $campaign_id) ORDER BY {orderBy};",
            transaction);
        select.Parameters.AddWithValue("$organisation_id", Organisation.Id);
        select.Parameters.AddWithValue("$campaign_id", Db.OrNull(campaignId));
        await using var reader = await select.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>One prepared INSERT reused for every row: organisation_id first (this store's), then <paramref name="columns"/>.</summary>
    private void InsertTenantRows<T>(
        SqliteConnection db, SqliteTransaction transaction, string table, string[] columns, IReadOnlyList<T> rows, Func<T, object?[]> values, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", columns);
        var placeholders = string.Join(", ", columns.Select((_, i) => "$p" + i));
        using var insert = db.Command($"INSERT INTO {table} (organisation_id, {names}) VALUES ($organisation_id, {placeholders});", transaction);
        insert.Parameters.AddWithValue("$organisation_id", Organisation.Id);
        var parameters = columns.Select((_, i) => insert.Parameter("$p" + i)).ToArray();
        insert.Prepare();
        for (var row = 0; row < rows.Count; row++)
        {
            if (row % 1000 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var rowValues = values(rows[row]);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = rowValues[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
        }
    }
}

// The review tables' JSON columns, apart from StorageJson so this feature's types stay in this file.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<ItemGrant>))]
[JsonSerializable(typeof(IReadOnlyList<RemovedMembership>))]
internal sealed partial class ReviewJson : JsonSerializerContext;
