using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Cloudflare.Api;

// Response shapes as Cloudflare sends them. Every property is optional and unknown fields are ignored:
// the API adds fields and leaves optional ones out, and a missing value must stay "unknown", never become a default.

internal sealed class Envelope<T>
{
    public bool Success { get; init; }
    public List<ApiErrorItem>? Errors { get; init; }
    public T? Result { get; init; }
    public ResultInfo? ResultInfo { get; init; }
}

/// <summary>Only the error part of an envelope, for failures whose result shape is unknown.</summary>
internal sealed class ErrorEnvelope
{
    public bool Success { get; init; }
    public List<ApiErrorItem>? Errors { get; init; }
}

internal sealed class ApiErrorItem
{
    public int Code { get; init; }
    public string? Message { get; init; }
    public List<ApiErrorItem>? ErrorChain { get; init; }
}

internal sealed class ResultInfo
{
    public int? Page { get; init; }
    public int? PerPage { get; init; }
    public int? Count { get; init; }
    public int? TotalCount { get; init; }
    public int? TotalPages { get; init; }
    /// <summary>Cursor-paged lists (rulesets): the cursor of the next page; absent or empty on the last page.</summary>
    public string? Cursor { get; init; }
    /// <summary>The older cursor shape some SDK builds read: {"after": "..."}.</summary>
    public CursorsDto? Cursors { get; init; }
}

internal sealed class CursorsDto
{
    public string? After { get; init; }
}

internal sealed class TokenStatusDto
{
    public string? Id { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? ExpiresOn { get; init; }
}

internal sealed class UserDto
{
    public string? Id { get; init; }
    public string? Email { get; init; }
}

internal sealed class AccountDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Type { get; init; }
    public AccountSettingsDto? Settings { get; init; }
}

internal sealed class AccountSettingsDto
{
    public bool? EnforceTwofactor { get; init; }
}

internal sealed class RoleDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }

    /// <summary>An array of "#area:grant" strings, or an object of per-area {read, write} or {read, edit} flags.</summary>
    public JsonElement Permissions { get; init; }
}

internal sealed class MemberDto
{
    public string? Id { get; init; }
    public string? Email { get; init; }
    public string? Status { get; init; }
    public MemberUserDto? User { get; init; }
    public List<RoleDto>? Roles { get; init; }
    public List<PolicyDto>? Policies { get; init; }
}

internal sealed class MemberUserDto
{
    public string? Id { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public bool? TwoFactorAuthenticationEnabled { get; init; }
}

internal sealed class PolicyDto
{
    public string? Id { get; init; }
    public string? Access { get; init; }
    public List<NamedRefDto>? PermissionGroups { get; init; }
    public List<NamedRefDto>? ResourceGroups { get; init; }
}

internal sealed class NamedRefDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    /// <summary>A resource group's scope: an array of {key, objects} in the schema, a single object in some SDK fixtures.</summary>
    public JsonElement Scope { get; init; }
}

/// <summary>An IAM user group: GET /accounts/{id}/iam/user_groups (SDK types iam/user-groups).</summary>
internal sealed class UserGroupDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public List<PolicyDto>? Policies { get; init; }
}

/// <summary>A member of a user group: its id is the account member id.</summary>
internal sealed class UserGroupMemberDto
{
    public string? Id { get; init; }
    public string? Email { get; init; }
    public string? Status { get; init; }
}

/// <summary>GET /accounts/{id}/iam/permission_groups items: {id, name?, meta?}.</summary>
internal sealed class PermissionGroupDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

/// <summary>GET /accounts/{id}/sso_connectors items (SDK types iam/sso): every field optional.</summary>
internal sealed class SsoConnectorDto
{
    public string? Id { get; init; }
    public string? EmailDomain { get; init; }
    public bool? Enabled { get; init; }
    public SsoVerificationDto? Verification { get; init; }
}

internal sealed class SsoVerificationDto
{
    public string? Status { get; init; }
}

internal sealed class ZoneDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Status { get; init; }
    public bool? Paused { get; init; }
    public NamedRefDto? Account { get; init; }
    public NamedRefDto? Owner { get; init; }
    public PlanDto? Plan { get; init; }
    /// <summary>"full", "partial" (CNAME setup) or "secondary".</summary>
    public string? Type { get; init; }
}

internal sealed class PlanDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    /// <summary>"free", "pro", "business", "enterprise".</summary>
    public string? LegacyId { get; init; }
}

internal sealed class ZoneSettingDto
{
    public string? Id { get; init; }
    public JsonElement Value { get; init; }
}

internal sealed class DnssecDto
{
    public string? Status { get; init; }
}

internal sealed class RulesetDto
{
    public string? Id { get; init; }
    /// <summary>"managed", "custom", "root" (account entrypoint) or "zone" (zone entrypoint).</summary>
    public string? Kind { get; init; }
    public string? Phase { get; init; }
    public List<RuleDto>? Rules { get; init; }
}

internal sealed class RuleDto
{
    public string? Id { get; init; }
    public string? Action { get; init; }
    public bool? Enabled { get; init; }
    public string? Description { get; init; }
    public string? Expression { get; init; }
    public RuleActionParametersDto? ActionParameters { get; init; }
    /// <summary>Rules of managed rulesets carry their category tags.</summary>
    public List<string>? Categories { get; init; }
}

/// <summary>The action_parameters of execute (id, overrides), skip (ruleset, rulesets, phases, products, rules) and set_config (ssl) rules.</summary>
internal sealed class RuleActionParametersDto
{
    public string? Id { get; init; }
    public RuleOverridesDto? Overrides { get; init; }
    public string? Ruleset { get; init; }
    public List<string>? Rulesets { get; init; }
    public List<string>? Phases { get; init; }
    public List<string>? Products { get; init; }
    /// <summary>Skip: {ruleset_id: [rule ids]}.</summary>
    public Dictionary<string, List<string>>? Rules { get; init; }
    public string? Ssl { get; init; }
}

internal sealed class RuleOverridesDto
{
    public bool? Enabled { get; init; }
    public string? Action { get; init; }
    public List<OverrideItemDto>? Categories { get; init; }
    public List<OverrideItemDto>? Rules { get; init; }
}

internal sealed class OverrideItemDto
{
    /// <summary>Category overrides name their tag in "category".</summary>
    public string? Category { get; init; }
    /// <summary>Rule overrides name the rule in "id".</summary>
    public string? Id { get; init; }
    public bool? Enabled { get; init; }
    public string? Action { get; init; }
}

/// <summary>A Page Rule (GET /zones/{zone_id}/pagerules): URL targets and the settings it overrides for them.</summary>
internal sealed class PageRuleDto
{
    public string? Id { get; init; }
    public List<PageRuleTargetDto>? Targets { get; init; }
    public List<PageRuleActionDto>? Actions { get; init; }
    public int? Priority { get; init; }
    /// <summary>"active" or "disabled".</summary>
    public string? Status { get; init; }
}

internal sealed class PageRuleTargetDto
{
    /// <summary>"url".</summary>
    public string? Target { get; init; }
    public PageRuleConstraintDto? Constraint { get; init; }
}

internal sealed class PageRuleConstraintDto
{
    /// <summary>"matches", "contains", "equals", "not_equal", "not_contain".</summary>
    public string? Operator { get; init; }
    public string? Value { get; init; }
}

internal sealed class PageRuleActionDto
{
    /// <summary>The setting overridden, e.g. "ssl", or "always_use_https" (which has no value).</summary>
    public string? Id { get; init; }
    public JsonElement Value { get; init; }
}

/// <summary>One hostname's TLS setting (GET /zones/{zone_id}/hostnames/settings/{setting_id}).</summary>
internal sealed class HostnameSettingDto
{
    public string? Hostname { get; init; }
    /// <summary>A string for min_tls_version ("1.0".."1.3"); an array for ciphers.</summary>
    public JsonElement Value { get; init; }
    public string? Status { get; init; }
}

/// <summary>
/// An account-owned API token (GET /accounts/{account_id}/tokens; Cloudflare's shared Token model). Never carries the
/// token's secret value (only the create call returns that).
/// </summary>
internal sealed class AccountTokenDto
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    /// <summary>"active", "disabled" or "expired".</summary>
    public string? Status { get; init; }
    public DateTimeOffset? IssuedOn { get; init; }
    public DateTimeOffset? ModifiedOn { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? ExpiresOn { get; init; }
    public DateTimeOffset? LastUsedOn { get; init; }
    public TokenConditionDto? Condition { get; init; }
    /// <summary>"The email address of the user who created the token at the time of creation. Only present for Account Owned API Tokens when a creator email was available."</summary>
    public string? CreatorEmailAtCreation { get; init; }
    public List<TokenPolicyDto>? Policies { get; init; }
}

internal sealed class TokenConditionDto
{
    public TokenRequestIpDto? RequestIp { get; init; }
}

internal sealed class TokenRequestIpDto
{
    public List<string>? In { get; init; }
    public List<string>? NotIn { get; init; }
}

internal sealed class TokenPolicyDto
{
    public string? Id { get; init; }
    /// <summary>"allow" or "deny".</summary>
    public string? Effect { get; init; }
    public List<NamedRefDto>? PermissionGroups { get; init; }
    /// <summary>A map of resource keys to "*" or to a nested map.</summary>
    public JsonElement Resources { get; init; }
}

/// <summary>One DNS record (GET /zones/{zone_id}/dns_records; Cloudflare's SDK type RecordResponse).</summary>
internal sealed class DnsRecordDto
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Name { get; init; }
    public string? Content { get; init; }
    public bool? Proxied { get; init; }
    public bool? Proxiable { get; init; }
    /// <summary>Seconds; 1 means automatic. A number (the SDKs type it float64).</summary>
    public double? Ttl { get; init; }
    /// <summary>MX and URI priority; "ignored for other record types (but may still be returned by the API)".</summary>
    public double? Priority { get; init; }
    /// <summary>Structured data of CAA, SRV, ... records; only CAA's flags, tag and value are read.</summary>
    public DnsRecordDataDto? Data { get; init; }
}

internal sealed class DnsRecordDataDto
{
    /// <summary>CAA flags: a number, or a string (SDK: "Dynamic Float64 | String").</summary>
    public JsonElement Flags { get; init; }
    public string? Tag { get; init; }
    public string? Value { get; init; }
}

/// <summary>
/// An on/off zone setting object read by its own route: Universal SSL (GET /zones/{zone_id}/ssl/universal/settings) and
/// zone-level Authenticated Origin Pulls (GET /zones/{zone_id}/origin_tls_client_auth/settings). Cloudflare's SDK types
/// give both as <c>{enabled?: boolean}</c>.
/// </summary>
internal sealed class EnabledSettingDto
{
    public bool? Enabled { get; init; }
}

/// <summary>
/// A zone's bot protection (GET /zones/{zone_id}/bot_management): one of the SDK's BotFightModeConfiguration,
/// SuperBotFightModeDefinitelyConfiguration, SuperBotFightModeLikelyConfiguration or SubscriptionConfiguration, told
/// apart by which fields are present.
/// </summary>
internal sealed class BotManagementDto
{
    public bool? FightMode { get; init; }
    public bool? EnableJs { get; init; }
    public string? SbfmDefinitelyAutomated { get; init; }
    public string? SbfmLikelyAutomated { get; init; }
    public string? SbfmVerifiedBots { get; init; }
    public bool? AutoUpdateModel { get; init; }
    public bool? SuppressSessionScore { get; init; }
    public bool? BmCookieEnabled { get; init; }
}

/// <summary>A Logpush job (GET /zones/{zone_id}/logpush/jobs, GET /accounts/{account_id}/logpush/jobs; SDK type LogpushJob).</summary>
internal sealed class LogpushJobDto
{
    /// <summary>An integer in Cloudflare's answers; kept as sent.</summary>
    public JsonElement Id { get; init; }
    public string? Name { get; init; }
    public string? Dataset { get; init; }
    public bool? Enabled { get; init; }
    public string? Kind { get; init; }
    /// <summary>The destination URL, which can carry credentials: only its scheme is kept.</summary>
    public string? DestinationConf { get; init; }
    public DateTimeOffset? LastComplete { get; init; }
    public DateTimeOffset? LastError { get; init; }
    public string? ErrorMessage { get; init; }
}

/// <summary>
/// One certificate pack (GET /zones/{zone_id}/ssl/certificate_packs; SDK type CertificatePackListResponse). Only what
/// cloudflare.dns-caa judges is read; <c>certificate_authority</c> is kept as sent ("google", "lets_encrypt", "ssl_com" in
/// the SDK; "digicert" and "sectigo" in older answers).
/// </summary>
internal sealed class CertificatePackDto
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? Status { get; init; }
    public string? CertificateAuthority { get; init; }
    public List<string>? Hosts { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(Envelope<TokenStatusDto>))]
[JsonSerializable(typeof(Envelope<UserDto>))]
[JsonSerializable(typeof(Envelope<AccountDto>))]
[JsonSerializable(typeof(Envelope<List<AccountDto>>))]
[JsonSerializable(typeof(Envelope<List<RoleDto>>))]
[JsonSerializable(typeof(Envelope<List<MemberDto>>))]
[JsonSerializable(typeof(Envelope<List<ZoneDto>>))]
[JsonSerializable(typeof(Envelope<List<UserGroupDto>>))]
[JsonSerializable(typeof(Envelope<List<UserGroupMemberDto>>))]
[JsonSerializable(typeof(Envelope<List<PermissionGroupDto>>))]
[JsonSerializable(typeof(Envelope<List<SsoConnectorDto>>))]
[JsonSerializable(typeof(Envelope<List<ZoneSettingDto>>))]
[JsonSerializable(typeof(Envelope<ZoneSettingDto>))]
[JsonSerializable(typeof(Envelope<DnssecDto>))]
[JsonSerializable(typeof(Envelope<RulesetDto>))]
[JsonSerializable(typeof(Envelope<List<RulesetDto>>))]
[JsonSerializable(typeof(Envelope<JsonElement>))]
[JsonSerializable(typeof(Envelope<List<PageRuleDto>>))]
[JsonSerializable(typeof(Envelope<List<HostnameSettingDto>>))]
[JsonSerializable(typeof(Envelope<List<JsonElement>>))]
[JsonSerializable(typeof(Envelope<List<AccountTokenDto>>))]
[JsonSerializable(typeof(Envelope<List<DnsRecordDto>>))]
[JsonSerializable(typeof(Envelope<EnabledSettingDto>))]
[JsonSerializable(typeof(Envelope<BotManagementDto>))]
[JsonSerializable(typeof(Envelope<List<LogpushJobDto?>>))]
[JsonSerializable(typeof(Envelope<List<CertificatePackDto>>))]
internal sealed partial class CloudflareJsonContext : JsonSerializerContext;
