using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Core.Reviews;

namespace Vigil.App.Reviews;

// The read models of access reviews: what `vigil review show|list --format json`, the web pages and the REST API show.
// JSON field names are fixed by [JsonPropertyName] (the names issue 17 writes), so they hold whatever serializer options a
// host uses; ReviewJson.Options writes them as the CLI does. Enumerated values are the lower snake_case strings of the
// contract ("in_review", "change_role", "pending_removal"); times are UTC, written as ISO-8601 to the second.

/// <summary>A campaign as <c>vigil review show CAMPAIGN --format json</c> writes it.</summary>
/// <param name="Status">open, in_review, awaiting_signoff, completed or cancelled.</param>
/// <param name="RevocationSlaDays">The organisation's revocation_sla_days the verification states were judged with.</param>
/// <param name="OverdueItems">Items undecided after the due day, or with a revocation overdue or reappeared.</param>
public sealed record CampaignView(
    [property: JsonPropertyName("campaign_id")] string CampaignId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("system")] string System,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at"), JsonConverter(typeof(UtcSecondsConverter))] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("due")] DateOnly? Due,
    [property: JsonPropertyName("owner")] string? Owner,
    [property: JsonPropertyName("reviewers")] IReadOnlyList<string> Reviewers,
    [property: JsonPropertyName("snapshot_id")] string SnapshotId,
    [property: JsonPropertyName("access_synced_at"), JsonConverter(typeof(NullableUtcSecondsConverter))] DateTimeOffset? AccessSyncedAt,
    [property: JsonPropertyName("allow_stale")] bool AllowStale,
    [property: JsonPropertyName("stale_reason")] string? StaleReason,
    [property: JsonPropertyName("previous_campaign_id")] string? PreviousCampaignId,
    [property: JsonPropertyName("revocation_sla_days")] double RevocationSlaDays,
    [property: JsonPropertyName("progress")] ReviewProgress Progress,
    [property: JsonPropertyName("overdue_items")] int OverdueItems,
    [property: JsonPropertyName("removed_since_previous")] IReadOnlyList<RemovedMembershipView> RemovedSincePrevious,
    [property: JsonPropertyName("sign_off")] SignOffView? SignOff,
    [property: JsonPropertyName("items")] IReadOnlyList<ReviewItemView> Items);

/// <summary>Decided (a latest decision other than defer) out of total; in <c>review show</c> also per reviewer.</summary>
/// <param name="ByReviewer">Per reviewer, by email; null in <c>review list</c> (then not written).</param>
public sealed record ReviewProgress(
    [property: JsonPropertyName("decided")] int Decided,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("by_reviewer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ReviewerProgress>? ByReviewer = null);

public sealed record ReviewerProgress(
    [property: JsonPropertyName("reviewer")] string Reviewer,
    [property: JsonPropertyName("decided")] int Decided,
    [property: JsonPropertyName("total")] int Total);

public sealed record RemovedMembershipView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("member_id")] string MemberId,
    [property: JsonPropertyName("member_email")] string MemberEmail);

public sealed record SignOffView(
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("at"), JsonConverter(typeof(UtcSecondsConverter))] DateTimeOffset At,
    [property: JsonPropertyName("statement")] string Statement);

/// <summary>One membership under review with its latest decision and verification state.</summary>
/// <param name="Change">new, changed or unchanged (against the previous campaign).</param>
/// <param name="Verification">none, pending_removal, verified, overdue or reappeared.</param>
/// <param name="VerifiedAt">When the access data that showed the revocation applied was read; null unless verified.</param>
/// <param name="ElapsedSeconds">From the decision to <see cref="VerifiedAt"/>; null unless verified.</param>
/// <param name="RemovedBy">Who removed the membership according to Cloudflare's audit log; null when unknown.</param>
/// <param name="Overdue">Undecided after the due day, or a revocation overdue or reappeared.</param>
/// <param name="Remediation">The answers Cloudflare gave to <c>vigil review apply</c> for the latest decision, oldest first (empty when none was made).</param>
public sealed record ReviewItemView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("account_name")] string AccountName,
    [property: JsonPropertyName("member_id")] string MemberId,
    [property: JsonPropertyName("member_email")] string MemberEmail,
    [property: JsonPropertyName("person")] string? Person,
    [property: JsonPropertyName("person_name")] string? PersonName,
    [property: JsonPropertyName("org_role")] string? OrgRole,
    [property: JsonPropertyName("service_account")] string? ServiceAccount,
    [property: JsonPropertyName("roles")] IReadOnlyList<GrantView> Roles,
    [property: JsonPropertyName("two_factor")] bool? TwoFactor,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("first_seen"), JsonConverter(typeof(NullableUtcSecondsConverter))] DateTimeOffset? FirstSeen,
    [property: JsonPropertyName("risk_flags")] IReadOnlyList<string> RiskFlags,
    [property: JsonPropertyName("reviewer")] string Reviewer,
    [property: JsonPropertyName("change")] string Change,
    [property: JsonPropertyName("changes")] IReadOnlyList<string> Changes,
    [property: JsonPropertyName("decision")] DecisionView? Decision,
    [property: JsonPropertyName("verification")] string Verification,
    [property: JsonPropertyName("verified_at"), JsonConverter(typeof(NullableUtcSecondsConverter))] DateTimeOffset? VerifiedAt,
    [property: JsonPropertyName("verified_snapshot_id")] string? VerifiedSnapshotId,
    [property: JsonPropertyName("verification_detail")] string? VerificationDetail,
    [property: JsonPropertyName("elapsed_seconds")] long? ElapsedSeconds,
    [property: JsonPropertyName("removed_by")] string? RemovedBy,
    [property: JsonPropertyName("overdue")] bool Overdue,
    [property: JsonPropertyName("remediation")] IReadOnlyList<RemediationView>? Remediation = null);

/// <summary>A Cloudflare grant of a reviewed membership.</summary>
public sealed record GrantView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("via_group")] string? ViaGroup);

/// <summary>The latest decision on an item.</summary>
/// <param name="Decision">keep, revoke, change_role or defer.</param>
/// <param name="Roles">The roles decided with change_role; empty otherwise.</param>
public sealed record DecisionView(
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("at"), JsonConverter(typeof(UtcSecondsConverter))] DateTimeOffset At,
    [property: JsonPropertyName("comment")] string? Comment,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("snapshot_id")] string SnapshotId);

/// <summary>One call <c>vigil review apply --yes</c> made for a decision, and Cloudflare's answer.</summary>
/// <param name="Outcome">applied, refused, not_found, rate_limited or failed.</param>
/// <param name="HttpStatus">The HTTP status Cloudflare answered; null when no answer came.</param>
public sealed record RemediationView(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("http_status")] int? HttpStatus,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("by")] string By,
    [property: JsonPropertyName("at"), JsonConverter(typeof(UtcSecondsConverter))] DateTimeOffset At);

/// <summary>A campaign as <c>vigil review list --format json</c> writes it.</summary>
public sealed record CampaignSummaryView(
    [property: JsonPropertyName("campaign_id")] string CampaignId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("system")] string System,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at"), JsonConverter(typeof(UtcSecondsConverter))] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("due")] DateOnly? Due,
    [property: JsonPropertyName("owner")] string? Owner,
    [property: JsonPropertyName("progress")] ReviewProgress Progress);

/// <summary>The list of <c>vigil review list --format json</c>.</summary>
public sealed record CampaignListView([property: JsonPropertyName("campaigns")] IReadOnlyList<CampaignSummaryView> Campaigns);

/// <summary>How the review read models are written as JSON by the CLI (indented, nulls written).</summary>
public static class ReviewJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The contract's spelling of an enumerated value: InReview -> "in_review", ChangeRole -> "change_role".</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>A UTC time as the contract writes it, e.g. 2026-11-30T10:00:00Z.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? at) => at is { } value ? Time(value) : null;

    public static string Name(DecisionKind kind) => ReviewRules.Name(kind);
}

/// <summary>Writes a time as UTC ISO-8601 to the second (2026-11-30T10:00:00Z); reads any ISO-8601 time.</summary>
public sealed class UtcSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(ReviewJson.Time(value));
}

/// <summary><see cref="UtcSecondsConverter"/> for an optional time (null written as null).</summary>
public sealed class NullableUtcSecondsConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } at)
        {
            writer.WriteStringValue(ReviewJson.Time(at));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
