using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Data.Common;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Sync;
using Vigil.Core.Systems;

namespace Vigil.Storage;

/// <summary>
/// How values are written to and read from columns, the same on both engines. Explicit text for enums, so renaming a C#
/// member never rewrites history.
/// </summary>
internal static class Db
{
    // Fixed width, so text order is time order (and PostgreSQL parses it as timestamptz).
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string DateFormat = "yyyy-MM-dd";

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static object TimeOrNull(DateTimeOffset? value) => value is { } v ? Time(v) : DBNull.Value;

    public static DateTimeOffset ParseTime(string value) =>
        new(DateTime.ParseExact(value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    public static string Date(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string value) => DateOnly.ParseExact(value, DateFormat, CultureInfo.InvariantCulture);

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    public static object OrNull(bool? value) => value is { } v ? (v ? 1L : 0L) : DBNull.Value;

    public static object OrNull(long? value) => value is { } v ? v : DBNull.Value;

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static bool? NullableBool(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal) != 0;

    public static DateTimeOffset? NullableTime(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ParseTime(reader.GetString(ordinal));

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, typeof(T), StorageJson.Default);

    public static T FromJson<T>(string json) =>
        (T)(JsonSerializer.Deserialize(json, typeof(T), StorageJson.Default)
            ?? throw new InvalidDataException($"Stored JSON for {typeof(T).Name} is null."));

    public static string Text(ConnectionPurpose value) => value switch
    {
        ConnectionPurpose.Access => "access",
        ConnectionPurpose.Infra => "infra",
        ConnectionPurpose.Both => "both",
        _ => throw Unknown(value),
    };

    public static ConnectionPurpose ParsePurpose(string value) => value switch
    {
        "access" => ConnectionPurpose.Access,
        "infra" => ConnectionPurpose.Infra,
        "both" => ConnectionPurpose.Both,
        _ => throw Unknown(value),
    };

    public static string Text(CredentialKind value) => value switch
    {
        CredentialKind.UserToken => "user_token",
        CredentialKind.AccountToken => "account_token",
        CredentialKind.GlobalKey => "global_key",
        _ => throw Unknown(value),
    };

    public static CredentialKind ParseCredentialKind(string value) => value switch
    {
        "user_token" => CredentialKind.UserToken,
        "account_token" => CredentialKind.AccountToken,
        "global_key" => CredentialKind.GlobalKey,
        _ => throw Unknown(value),
    };

    public static string Text(SyncStatus value) => value switch
    {
        SyncStatus.Running => "running",
        SyncStatus.Complete => "complete",
        SyncStatus.Partial => "partial",
        SyncStatus.Failed => "failed",
        SyncStatus.Cancelled => "cancelled",
        _ => throw Unknown(value),
    };

    public static SyncStatus ParseSyncStatus(string value) => value switch
    {
        "running" => SyncStatus.Running,
        "complete" => SyncStatus.Complete,
        "partial" => SyncStatus.Partial,
        "failed" => SyncStatus.Failed,
        "cancelled" => SyncStatus.Cancelled,
        _ => throw Unknown(value),
    };

    public static string Text(SyncStageKind value) => value switch
    {
        SyncStageKind.Access => "access",
        SyncStageKind.Infra => "infra",
        _ => throw Unknown(value),
    };

    public static SyncStageKind ParseStage(string value) => value switch
    {
        "access" => SyncStageKind.Access,
        "infra" => SyncStageKind.Infra,
        _ => throw Unknown(value),
    };

    public static string Text(MembershipStatus value) => value switch
    {
        MembershipStatus.Accepted => "accepted",
        MembershipStatus.Pending => "pending",
        MembershipStatus.Other => "other",
        _ => throw Unknown(value),
    };

    public static MembershipStatus ParseMembershipStatus(string value) => value switch
    {
        "accepted" => MembershipStatus.Accepted,
        "pending" => MembershipStatus.Pending,
        "other" => MembershipStatus.Other,
        _ => throw Unknown(value),
    };

    public static string Text(PersonStatus value) => value switch
    {
        PersonStatus.Active => "active",
        PersonStatus.Offboarded => "offboarded",
        _ => throw Unknown(value),
    };

    public static PersonStatus ParsePersonStatus(string value) => value switch
    {
        "active" => PersonStatus.Active,
        "offboarded" => PersonStatus.Offboarded,
        _ => throw Unknown(value),
    };

    public static string Text(Core.Alerts.AlertChannelKind value) => value switch
    {
        Core.Alerts.AlertChannelKind.Webhook => "webhook",
        Core.Alerts.AlertChannelKind.Slack => "slack",
        Core.Alerts.AlertChannelKind.Email => "email",
        _ => throw Unknown(value),
    };

    public static Core.Alerts.AlertChannelKind ParseAlertChannelKind(string value) => value switch
    {
        "webhook" => Core.Alerts.AlertChannelKind.Webhook,
        "slack" => Core.Alerts.AlertChannelKind.Slack,
        "email" => Core.Alerts.AlertChannelKind.Email,
        _ => throw Unknown(value),
    };

    private static InvalidDataException Unknown<T>(T value) => new($"Unexpected {typeof(T).Name} value '{value}' in the database.");
}

// JSON columns: snake_case names and enums as text, so the stored documents read well in any SQL client.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<MemberRole>))]
[JsonSerializable(typeof(IReadOnlyList<MemberPolicy>))]
[JsonSerializable(typeof(IReadOnlyList<SsoConnector>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, PhaseEntrypoint?>))]
[JsonSerializable(typeof(IReadOnlyList<SyncStageResult>))]
[JsonSerializable(typeof(IReadOnlyList<ReadGap>))]
[JsonSerializable(typeof(IReadOnlyList<AuditLogCoverage>))]
[JsonSerializable(typeof(IReadOnlyList<AllowedOrgRole>))]
[JsonSerializable(typeof(IReadOnlyList<CheckResult>))]
[JsonSerializable(typeof(DataFreshness))]
[JsonSerializable(typeof(IReadOnlyList<ListCoverage>))]
[JsonSerializable(typeof(IReadOnlyList<PageRuleSsl>))]
[JsonSerializable(typeof(IReadOnlyList<HostnameSetting>))]
[JsonSerializable(typeof(ZoneFeatures))]
[JsonSerializable(typeof(IReadOnlyList<TokenPolicy>))]
[JsonSerializable(typeof(IReadOnlyList<LogpushJob>))]
[JsonSerializable(typeof(Core.Alerts.SmtpSettings))]
internal sealed partial class StorageJson : JsonSerializerContext;
