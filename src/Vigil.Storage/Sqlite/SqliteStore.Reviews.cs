using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore : IReviewStore
{
    private const string CampaignColumns =
        "id, system, name, status, created_at, due_on, owner, reviewers, snapshot_id, access_synced_at, allow_stale, stale_reason, " +
        "previous_campaign_id, removed, signed_off_by, signed_off_at, statement";

    private const string ItemColumns =
        "campaign_id, account_id, account_name, member_id, user_id, member_email, member_status, two_factor, person_email, person_name, " +
        "org_role, service_account, grants, first_seen, risk_flags, reviewer, change, changes";

    private const string DecisionColumns = "seq, id, campaign_id, account_id, member_id, decision, roles, decided_by, decided_at, comment, snapshot_id";

    private const string VerificationColumns = "campaign_id, decision_id, account_id, member_id, state, snapshot_id, observed_at, recorded_at, detail";

    public async Task SaveCampaignAsync(Campaign campaign, IReadOnlyList<ReviewItem> items, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(items);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        InsertTenantRows(db, transaction, "review_campaigns", CampaignColumns.Split(", "), [campaign], c =>
        [
            c.Id, c.System, c.Name, StatusText(c.Status), Db.Time(c.CreatedAt), c.Due is { } due ? Db.Date(due) : DBNull.Value,
            Db.OrNull(c.Owner), Json(c.Reviewers, ReviewJson.Default.IReadOnlyListString), c.SnapshotId, Db.TimeOrNull(c.AccessSyncedAt),
            c.AllowStale ? 1L : 0L, Db.OrNull(c.StaleReason), Db.OrNull(c.PreviousCampaignId),
            Json(c.Removed, ReviewJson.Default.IReadOnlyListRemovedMembership), Db.OrNull(c.SignOff?.By), Db.TimeOrNull(c.SignOff?.At), Db.OrNull(c.SignOff?.Statement),
        ], ct);
        var ordinal = 0L;
        InsertTenantRows(db, transaction, "review_items", [.. ItemColumns.Split(", "), "ordinal"], items, i =>
        [
            i.CampaignId, i.AccountId, i.AccountName, i.MemberId, Db.OrNull(i.UserId), i.MemberEmail, i.Status, Db.OrNull(i.TwoFactorEnabled),
            Db.OrNull(i.PersonEmail), Db.OrNull(i.PersonName), Db.OrNull(i.OrgRole), Db.OrNull(i.ServiceAccount),
            Json(i.Grants, ReviewJson.Default.IReadOnlyListItemGrant), Db.TimeOrNull(i.FirstSeen), Json(i.RiskFlags, ReviewJson.Default.IReadOnlyListString),
            i.Reviewer, ChangeText(i.Change), Json(i.Changes, ReviewJson.Default.IReadOnlyListString), ordinal++,
        ], ct);
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
        InsertTenantRows(db, transaction, "review_decisions", DecisionColumns.Split(", ")[1..], decisions, d =>
        [
            d.Id, d.CampaignId, d.AccountId, d.MemberId, ReviewRules.Name(d.Decision), Json(d.Roles, ReviewJson.Default.IReadOnlyListString),
            d.By, Db.Time(d.At), Db.OrNull(d.Comment), d.SnapshotId,
        ], ct);
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
            ["campaign_id", "account_id", "member_id", "from_reviewer", "to_reviewer", "reassigned_by", "reassigned_at"], [reassignment],
            r => [r.CampaignId, r.AccountId, r.MemberId, r.From, r.To, r.By, Db.Time(r.At)], ct);
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
        InsertTenantRows(db, transaction, "review_verifications", VerificationColumns.Split(", "), events, e =>
        [
            e.CampaignId, e.DecisionId, e.AccountId, e.MemberId, VerificationText(e.State), e.SnapshotId, Db.Time(e.ObservedAt), Db.Time(e.RecordedAt), e.Detail,
        ], ct);
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
            var signedOffBy = reader.NullableString(14);
            campaigns.Add(new Campaign(
                Id: reader.GetString(0),
                System: reader.GetString(1),
                Name: reader.GetString(2),
                Status: ParseStatus(reader.GetString(3)),
                CreatedAt: Db.ParseTime(reader.GetString(4)),
                Due: reader.IsDBNull(5) ? null : Db.ParseDate(reader.GetString(5)),
                Owner: reader.NullableString(6),
                Reviewers: FromJson(reader.GetString(7), ReviewJson.Default.IReadOnlyListString),
                SnapshotId: reader.GetString(8),
                AccessSyncedAt: reader.NullableTime(9),
                AllowStale: reader.GetInt64(10) != 0,
                StaleReason: reader.NullableString(11),
                PreviousCampaignId: reader.NullableString(12),
                Removed: FromJson(reader.GetString(13), ReviewJson.Default.IReadOnlyListRemovedMembership),
                SignOff: signedOffBy is null ? null : new CampaignSignOff(signedOffBy, Db.ParseTime(reader.GetString(15)), reader.GetString(16))));
        }

        return campaigns;
    }

    private async Task<List<ReviewCampaign>> LoadDetailsAsync(
        SqliteConnection db, SqliteTransaction transaction, IReadOnlyList<Campaign> campaigns, string? campaignId, CancellationToken ct)
    {
        var items = await ReadTenantRowsAsync(db, transaction, "review_items", ItemColumns, campaignId, "campaign_id, ordinal", r => new ReviewItem(
            CampaignId: r.GetString(0),
            AccountId: r.GetString(1),
            AccountName: r.GetString(2),
            MemberId: r.GetString(3),
            UserId: r.NullableString(4),
            MemberEmail: r.GetString(5),
            Status: r.GetString(6),
            TwoFactorEnabled: r.NullableBool(7),
            PersonEmail: r.NullableString(8),
            PersonName: r.NullableString(9),
            OrgRole: r.NullableString(10),
            ServiceAccount: r.NullableString(11),
            Grants: FromJson(r.GetString(12), ReviewJson.Default.IReadOnlyListItemGrant),
            FirstSeen: r.NullableTime(13),
            RiskFlags: FromJson(r.GetString(14), ReviewJson.Default.IReadOnlyListString),
            Reviewer: r.GetString(15),
            Change: ParseChange(r.GetString(16)),
            Changes: FromJson(r.GetString(17), ReviewJson.Default.IReadOnlyListString)), ct);
        var decisions = await ReadTenantRowsAsync(db, transaction, "review_decisions", DecisionColumns, campaignId, "seq", r => new ReviewDecision(
            Id: r.GetString(1),
            CampaignId: r.GetString(2),
            AccountId: r.GetString(3),
            MemberId: r.GetString(4),
            Decision: ReviewRules.ParseDecision(r.GetString(5)) ?? throw new InvalidDataException($"Unexpected decision '{r.GetString(5)}' in the database."),
            Roles: FromJson(r.GetString(6), ReviewJson.Default.IReadOnlyListString),
            By: r.GetString(7),
            At: Db.ParseTime(r.GetString(8)),
            Comment: r.NullableString(9),
            SnapshotId: r.GetString(10),
            Seq: r.GetInt64(0)), ct);
        var verifications = await ReadTenantRowsAsync(db, transaction, "review_verifications", VerificationColumns, campaignId, "seq", r => new VerificationEvent(
            CampaignId: r.GetString(0),
            DecisionId: r.GetString(1),
            AccountId: r.GetString(2),
            MemberId: r.GetString(3),
            State: r.GetString(4) == "verified" ? VerificationState.Verified : VerificationState.Reappeared,
            SnapshotId: r.GetString(5),
            ObservedAt: Db.ParseTime(r.GetString(6)),
            RecordedAt: Db.ParseTime(r.GetString(7)),
            Detail: r.GetString(8)), ct);

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

    private static string Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => System.Text.Json.JsonSerializer.Serialize(value, type);

    private static T FromJson<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        System.Text.Json.JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"Stored JSON for {typeof(T).Name} is null.");

    private static string StatusText(CampaignStatus status) => status switch
    {
        CampaignStatus.Completed => "completed",
        CampaignStatus.Cancelled => "cancelled",
        _ => "open",
    };

    private static CampaignStatus ParseStatus(string text) => text switch
    {
        "open" => CampaignStatus.Open,
        "completed" => CampaignStatus.Completed,
        "cancelled" => CampaignStatus.Cancelled,
        _ => throw new InvalidDataException($"Unexpected campaign status '{text}' in the database."),
    };

    private static string ChangeText(ItemChange change) => change switch
    {
        ItemChange.New => "new",
        ItemChange.Changed => "changed",
        _ => "unchanged",
    };

    private static ItemChange ParseChange(string text) => text switch
    {
        "new" => ItemChange.New,
        "changed" => ItemChange.Changed,
        "unchanged" => ItemChange.Unchanged,
        _ => throw new InvalidDataException($"Unexpected item change '{text}' in the database."),
    };

    private static string VerificationText(VerificationState state) => state switch
    {
        VerificationState.Verified => "verified",
        VerificationState.Reappeared => "reappeared",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "only verified and reappeared are recorded"),
    };
}

// The review tables' JSON columns, apart from StorageJson so this feature's types stay in this file.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<ItemGrant>))]
[JsonSerializable(typeof(IReadOnlyList<RemovedMembership>))]
internal sealed partial class ReviewJson : JsonSerializerContext;
