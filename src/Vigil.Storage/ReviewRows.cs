using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Vigil.Core.Reviews;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage;

/// <summary>
/// Access-review rows as both engines write and read them: the same columns and values on SQLite and PostgreSQL, so a
/// campaign is built from a row in one place and migrate-to copies the tables 1:1. Value arrays follow the column lists.
/// </summary>
internal static class ReviewRows
{
    public const string CampaignColumns =
        "id, system, name, status, created_at, due_on, owner, reviewers, snapshot_id, access_synced_at, allow_stale, stale_reason, " +
        "previous_campaign_id, removed, signed_off_by, signed_off_at, statement";

    /// <summary>review_items without ordinal (written after these, never read back).</summary>
    public const string ItemColumns =
        "campaign_id, account_id, account_name, member_id, user_id, member_email, member_status, two_factor, person_email, person_name, " +
        "org_role, service_account, grants, first_seen, risk_flags, reviewer, change, changes";

    /// <summary>review_decisions; seq is assigned by the database (written without it).</summary>
    public const string DecisionColumns = "seq, id, campaign_id, account_id, member_id, decision, roles, decided_by, decided_at, comment, snapshot_id";

    public const string VerificationColumns = "campaign_id, decision_id, account_id, member_id, state, snapshot_id, observed_at, recorded_at, detail";

    public const string ReassignmentColumns = "campaign_id, account_id, member_id, from_reviewer, to_reviewer, reassigned_by, reassigned_at";

    public const string RemediationCredentialColumns = "id, name, api_url, account_id, credential_kind, email, created_at, last_test_summary";

    /// <summary>review_remediations without seq (assigned by the database; read back last).</summary>
    public const string RemediationColumns =
        "campaign_id, decision_id, account_id, member_id, credential_name, method, path, request_body, outcome, http_status, errors, explanation, attempted_at";

    public static object?[] CampaignValues(Campaign c) =>
    [
        c.Id, c.System, c.Name, StatusText(c.Status), Db.Time(c.CreatedAt), c.Due is { } due ? Db.Date(due) : DBNull.Value,
        Db.OrNull(c.Owner), Json(c.Reviewers, ReviewJson.Default.IReadOnlyListString), c.SnapshotId, Db.TimeOrNull(c.AccessSyncedAt),
        c.AllowStale ? 1L : 0L, Db.OrNull(c.StaleReason), Db.OrNull(c.PreviousCampaignId),
        Json(c.Removed, ReviewJson.Default.IReadOnlyListRemovedMembership), Db.OrNull(c.SignOff?.By), Db.TimeOrNull(c.SignOff?.At), Db.OrNull(c.SignOff?.Statement),
    ];

    public static object?[] ItemValues(ReviewItem i, long ordinal) =>
    [
        i.CampaignId, i.AccountId, i.AccountName, i.MemberId, Db.OrNull(i.UserId), i.MemberEmail, i.Status, Db.OrNull(i.TwoFactorEnabled),
        Db.OrNull(i.PersonEmail), Db.OrNull(i.PersonName), Db.OrNull(i.OrgRole), Db.OrNull(i.ServiceAccount),
        Json(i.Grants, ReviewJson.Default.IReadOnlyListItemGrant), Db.TimeOrNull(i.FirstSeen), Json(i.RiskFlags, ReviewJson.Default.IReadOnlyListString),
        i.Reviewer, ChangeText(i.Change), Json(i.Changes, ReviewJson.Default.IReadOnlyListString), ordinal,
    ];

    /// <summary>In the order of <see cref="DecisionColumns"/> without seq.</summary>
    public static object?[] DecisionValues(ReviewDecision d) =>
    [
        d.Id, d.CampaignId, d.AccountId, d.MemberId, ReviewRules.Name(d.Decision), Json(d.Roles, ReviewJson.Default.IReadOnlyListString),
        d.By, Db.Time(d.At), Db.OrNull(d.Comment), d.SnapshotId,
    ];

    public static object?[] VerificationValues(VerificationEvent e) =>
        [e.CampaignId, e.DecisionId, e.AccountId, e.MemberId, VerificationText(e.State), e.SnapshotId, Db.Time(e.ObservedAt), Db.Time(e.RecordedAt), e.Detail];

    public static object?[] ReassignmentValues(Reassignment r) => [r.CampaignId, r.AccountId, r.MemberId, r.From, r.To, r.By, Db.Time(r.At)];

    public static object?[] RemediationValues(RemediationAttempt a) =>
    [
        a.CampaignId, a.DecisionId, a.AccountId, a.MemberId, a.CredentialName, a.Method, a.Path, Db.OrNull(a.RequestBody), OutcomeText(a.Outcome),
        a.HttpStatus is { } status ? (long)status : DBNull.Value, Json(a.Errors, ReviewJson.Default.IReadOnlyListString), a.Explanation, Db.Time(a.At),
    ];

    public static Campaign Campaign(DbDataReader reader)
    {
        var signedOffBy = reader.NullableString(14);
        return new Campaign(
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
            SignOff: signedOffBy is null ? null : new CampaignSignOff(signedOffBy, Db.ParseTime(reader.GetString(15)), reader.GetString(16)));
    }

    public static ReviewItem Item(DbDataReader r) => new(
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
        Changes: FromJson(r.GetString(17), ReviewJson.Default.IReadOnlyListString));

    public static ReviewDecision Decision(DbDataReader r) => new(
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
        Seq: r.GetInt64(0));

    public static VerificationEvent Verification(DbDataReader r) => new(
        CampaignId: r.GetString(0),
        DecisionId: r.GetString(1),
        AccountId: r.GetString(2),
        MemberId: r.GetString(3),
        State: r.GetString(4) == "verified" ? VerificationState.Verified : VerificationState.Reappeared,
        SnapshotId: r.GetString(5),
        ObservedAt: Db.ParseTime(r.GetString(6)),
        RecordedAt: Db.ParseTime(r.GetString(7)),
        Detail: r.GetString(8));

    public static RemediationCredential RemediationCredential(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), Db.ParseCredentialKind(r.GetString(4)),
        r.NullableString(5), Db.ParseTime(r.GetString(6)), r.NullableString(7));

    /// <summary>The columns of <see cref="RemediationColumns"/>, then seq.</summary>
    public static RemediationAttempt Remediation(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
        r.NullableString(7), ParseOutcome(r.GetString(8)), r.IsDBNull(9) ? null : (int)r.GetInt64(9),
        FromJson(r.GetString(10), ReviewJson.Default.IReadOnlyListString), r.GetString(11), Db.ParseTime(r.GetString(12)), r.GetInt64(13));

    public static string Json<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    public static T FromJson<T>(string json, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException($"Stored JSON for {typeof(T).Name} is null.");

    public static string StatusText(CampaignStatus status) => status switch
    {
        CampaignStatus.Completed => "completed",
        CampaignStatus.Cancelled => "cancelled",
        _ => "open",
    };

    public static CampaignStatus ParseStatus(string text) => text switch
    {
        "open" => CampaignStatus.Open,
        "completed" => CampaignStatus.Completed,
        "cancelled" => CampaignStatus.Cancelled,
        _ => throw new InvalidDataException($"Unexpected campaign status '{text}' in the database."),
    };

    public static string ChangeText(ItemChange change) => change switch
    {
        ItemChange.New => "new",
        ItemChange.Changed => "changed",
        _ => "unchanged",
    };

    public static ItemChange ParseChange(string text) => text switch
    {
        "new" => ItemChange.New,
        "changed" => ItemChange.Changed,
        "unchanged" => ItemChange.Unchanged,
        _ => throw new InvalidDataException($"Unexpected item change '{text}' in the database."),
    };

    public static string VerificationText(VerificationState state) => state switch
    {
        VerificationState.Verified => "verified",
        VerificationState.Reappeared => "reappeared",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "only verified and reappeared are recorded"),
    };

    public static string OutcomeText(RemediationOutcome outcome) => outcome switch
    {
        RemediationOutcome.Applied => "applied",
        RemediationOutcome.Refused => "refused",
        RemediationOutcome.NotFound => "not_found",
        RemediationOutcome.RateLimited => "rate_limited",
        _ => "failed",
    };

    public static RemediationOutcome ParseOutcome(string text) => text switch
    {
        "applied" => RemediationOutcome.Applied,
        "refused" => RemediationOutcome.Refused,
        "not_found" => RemediationOutcome.NotFound,
        "rate_limited" => RemediationOutcome.RateLimited,
        "failed" => RemediationOutcome.Failed,
        _ => throw new InvalidDataException($"Unexpected remediation outcome '{text}' in the database."),
    };
}
