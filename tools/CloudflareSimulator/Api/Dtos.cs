using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Vigil.Simulation;

// Response shapes, named after Cloudflare's OpenAPI schemas (iam_*, zones_*, dnssec_*, rulesets_*, firewall_*).

internal sealed record ResultInfo(int Page, int PerPage, int Count, int TotalCount, int TotalPages);

internal sealed record AccountDto(string Id, string Name, string Type, DateTime CreatedOn, AccountSettingsDto Settings);

internal sealed record AccountSettingsDto(
    bool EnforceTwofactor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AbuseContactEmail,
    string DefaultNameservers,
    bool UseAccountCustomNsByDefault);

internal sealed record RoleDto(string Id, string Name, string Description, IReadOnlyList<string> Permissions);

internal sealed record MemberDto(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    string Status,
    MemberUserDto User,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RoleDto>? Roles,
    IReadOnlyList<PolicyDto> Policies);

internal sealed record MemberUserDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    string? FirstName,
    string? LastName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? TwoFactorAuthenticationEnabled);

internal sealed record PolicyDto(string Id, string Access, IReadOnlyList<PermissionGroupDto> PermissionGroups, IReadOnlyList<ResourceGroupDto> ResourceGroups);

internal sealed record PermissionGroupDto(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name);

internal sealed record ResourceGroupDto(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    IReadOnlyList<ScopeDto> Scope);

internal sealed record ScopeDto(string Key, IReadOnlyList<ScopeObjectDto> Objects);

internal sealed record ScopeObjectDto(string Key);

internal sealed record UserDto(
    string Id,
    string Email,
    string? FirstName,
    string? LastName,
    string? Username,
    string? Telephone,
    string? Country,
    string? Zipcode,
    DateTime CreatedOn,
    DateTime ModifiedOn,
    bool TwoFactorAuthenticationEnabled,
    bool TwoFactorAuthenticationLocked,
    bool Suspended,
    bool HasProZones,
    bool HasBusinessZones,
    bool HasEnterpriseZones);

internal sealed record TokenVerifyDto(
    string Id,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? NotBefore,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? ExpiresOn);

internal sealed record ZoneDto(
    string Id,
    string Name,
    string Status,
    bool Paused,
    string Type,
    int DevelopmentMode,
    IReadOnlyList<string> NameServers,
    IReadOnlyList<string>? OriginalNameServers,
    string? OriginalRegistrar,
    string? OriginalDnshost,
    IReadOnlyList<string> VanityNameServers,
    DateTime CreatedOn,
    DateTime ModifiedOn,
    DateTime? ActivatedOn,
    ZoneMetaDto Meta,
    ZoneOwnerDto Owner,
    ZoneAccountDto Account,
    ZonePlanDto Plan);

internal sealed record ZoneMetaDto(int Step, int CustomCertificateQuota, int PageRuleQuota, bool PhishingDetected);

internal sealed record ZoneOwnerDto(string? Id, string? Name, string Type);

internal sealed record ZoneAccountDto(string Id, string Name);

internal sealed record ZonePlanDto(
    string Id,
    string Name,
    int Price,
    string Currency,
    string Frequency,
    bool IsSubscribed,
    bool CanSubscribe,
    string LegacyId,
    bool LegacyDiscount,
    bool ExternallyManaged);

internal sealed record SettingDto(string Id, JsonNode Value, bool Editable, DateTime? ModifiedOn);

internal sealed record DnssecDto(
    string Status,
    string? Algorithm,
    string? Digest,
    string? DigestAlgorithm,
    string? DigestType,
    string? Ds,
    int? Flags,
    int? KeyTag,
    string? KeyType,
    DateTime? ModifiedOn,
    string? PublicKey,
    bool DnssecMultiSigner,
    bool DnssecPresigned);

internal sealed record RulesetDto(
    string Id,
    string Name,
    string Description,
    string Kind,
    string Phase,
    string Version,
    DateTime LastUpdated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RuleDto>? Rules);

internal sealed record RuleDto(
    string Id,
    string Version,
    string Action,
    string Expression,
    string Description,
    DateTime LastUpdated,
    string Ref,
    bool Enabled,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? ActionParameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Categories = null);

/// <summary>A Page Rule (Cloudflare's page-rules schema / SDK type PageRule).</summary>
internal sealed record PageRuleDto(string Id, IReadOnlyList<PageRuleTargetDto> Targets, IReadOnlyList<JsonObject> Actions, int Priority, string Status, DateTime CreatedOn, DateTime ModifiedOn);

internal sealed record PageRuleTargetDto(string Target, PageRuleConstraintDto Constraint);

internal sealed record PageRuleConstraintDto(string Operator, string Value);

/// <summary>One hostname's TLS setting (SDK type hostnames.settings.tls Setting).</summary>
internal sealed record HostnameSettingDto(string Hostname, JsonNode Value, string Status, DateTime CreatedAt, DateTime UpdatedAt);

internal sealed record FirewallRuleDto(string Id, bool Paused, string Description, string Action, FirewallFilterDto Filter);

internal sealed record FirewallFilterDto(string Id, string Expression, bool Paused, string Description);

// IAM shapes from Cloudflare's SDK types (iam/user-groups, iam/permission-groups, iam/sso): not in openapi-subset.json.
internal sealed record UserGroupDto(string Id, string Name, DateTime CreatedOn, DateTime ModifiedOn, IReadOnlyList<PolicyDto> Policies);

internal sealed record UserGroupMemberDto(string Id, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email, string Status);

internal sealed record PermissionGroupListDto(string Id, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name, PermissionGroupMetaDto Meta);

internal sealed record PermissionGroupMetaDto(string Key, string Value);

internal sealed record SsoConnectorDto(string Id, DateTime CreatedOn, string EmailDomain, bool Enabled, DateTime UpdatedOn, bool UseFedrampLanguage, SsoVerificationDto Verification);

internal sealed record SsoVerificationDto(string Code, string Status);

// Account-owned API tokens (GET /accounts/{account_id}/tokens): Cloudflare's shared Token model (SDK types accounts/tokens,
// $shared Token). The operation is not in openapi-subset.json; its items have the same shape as GET /user/tokens's.
internal sealed record AccountTokenDto(
    string Id,
    string Name,
    string Status,
    DateTime IssuedOn,
    DateTime ModifiedOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? NotBefore,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? ExpiresOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? LastUsedOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TokenConditionDto? Condition,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CreatorEmailAtCreation,
    IReadOnlyList<TokenPolicyDto> Policies);

internal sealed record TokenConditionDto(TokenRequestIpDto RequestIp);

internal sealed record TokenRequestIpDto(
    [property: JsonPropertyName("in"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? In,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? NotIn);

internal sealed record TokenPolicyDto(string Id, string Effect, IReadOnlyList<PermissionGroupDto> PermissionGroups, IReadOnlyDictionary<string, string> Resources);

/// <summary>Cloudflare's result_info for token lists: count, page, per_page and total_count, no total_pages.</summary>
internal sealed record TokenListInfo(int Count, int Page, int PerPage, int TotalCount);
/// <summary>One DNS record as GET /zones/{zone_id}/dns_records lists it (SDK RecordResponse); priority only on MX, data only on CAA.</summary>
internal sealed record DnsRecordDto(
    string Id,
    string Name,
    string Type,
    string Content,
    bool Proxiable,
    bool Proxied,
    int Ttl,
    JsonObject Settings,
    JsonObject Meta,
    string? Comment,
    IReadOnlyList<string> Tags,
    DateTime CreatedOn,
    DateTime ModifiedOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Priority,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? Data);
/// <summary>
/// Universal SSL settings and zone-level Authenticated Origin Pulls settings: not in openapi-subset.json; both are
/// <c>{enabled?: boolean}</c> in Cloudflare's SDK types (ssl/universal/settings.ts UniversalSSLSettings,
/// origin-tls-client-auth/settings.ts SettingGetResponse).
/// </summary>
internal sealed record EnabledSettingDto(bool Enabled);
/// <summary>
/// One certificate pack as GET /zones/{zone_id}/ssl/certificate_packs lists it (SDK type CertificatePackListResponse; not
/// in openapi-subset.json): id, certificates, hosts, status and type always; certificate_authority, validation_method and
/// validity_days when the pack was ordered from a CA (not for custom uploads).
/// </summary>
internal sealed record CertificatePackDto(
    string Id,
    IReadOnlyList<PackCertificateDto> Certificates,
    IReadOnlyList<string> Hosts,
    string Status,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CertificateAuthority,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ValidationMethod,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ValidityDays,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PrimaryCertificate);

/// <summary>One certificate of a pack (SDK CertificatePackListResponse.Certificate).</summary>
internal sealed record PackCertificateDto(string Id, IReadOnlyList<string> Hosts, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Issuer, string Signature, DateTime ExpiresOn, string ZoneId);

/// <summary>A Logpush job (SDK type logpush LogpushJob; not in openapi-subset.json).</summary>
internal sealed record LogpushJobDto(
    long Id,
    string? Dataset,
    string DestinationConf,
    bool Enabled,
    string? ErrorMessage,
    string Kind,
    DateTime? LastComplete,
    DateTime? LastError,
    string? Name,
    JsonObject OutputOptions);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ApiMessage))]
[JsonSerializable(typeof(IReadOnlyList<ApiMessage>))]
[JsonSerializable(typeof(ResultInfo))]
[JsonSerializable(typeof(AccountDto))]
[JsonSerializable(typeof(IReadOnlyList<AccountDto>))]
[JsonSerializable(typeof(IReadOnlyList<RoleDto>))]
[JsonSerializable(typeof(MemberDto))]
[JsonSerializable(typeof(IReadOnlyList<MemberDto>))]
[JsonSerializable(typeof(UserDto))]
[JsonSerializable(typeof(TokenVerifyDto))]
[JsonSerializable(typeof(ZoneDto))]
[JsonSerializable(typeof(IReadOnlyList<ZoneDto>))]
[JsonSerializable(typeof(SettingDto))]
[JsonSerializable(typeof(IReadOnlyList<SettingDto>))]
[JsonSerializable(typeof(DnssecDto))]
[JsonSerializable(typeof(RulesetDto))]
[JsonSerializable(typeof(IReadOnlyList<RulesetDto>))]
[JsonSerializable(typeof(IReadOnlyList<FirewallRuleDto>))]
[JsonSerializable(typeof(IReadOnlyList<UserGroupDto>))]
[JsonSerializable(typeof(IReadOnlyList<UserGroupMemberDto>))]
[JsonSerializable(typeof(IReadOnlyList<PermissionGroupListDto>))]
[JsonSerializable(typeof(IReadOnlyList<SsoConnectorDto>))]
[JsonSerializable(typeof(IReadOnlyList<PageRuleDto>))]
[JsonSerializable(typeof(IReadOnlyList<HostnameSettingDto>))]
[JsonSerializable(typeof(IReadOnlyList<AccountTokenDto>))]
[JsonSerializable(typeof(TokenListInfo))]
[JsonSerializable(typeof(IReadOnlyList<DnsRecordDto>))]
[JsonSerializable(typeof(EnabledSettingDto))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(IReadOnlyList<LogpushJobDto>))]
[JsonSerializable(typeof(IReadOnlyList<CertificatePackDto>))]
[JsonSerializable(typeof(MemberIdDto))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>The result of "Remove Member" (DELETE /accounts/{account_id}/members/{member_id}): the removed membership's id.</summary>
internal sealed record MemberIdDto(string Id);
