using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Vigil.Simulation;

/// <summary>
/// Everything the simulator serves: accounts (with roles, members and zones), users with global keys, API tokens and
/// the API quirks to imitate. Serialised as snake_case JSON; see tools/CloudflareSimulator/README.md.
/// Collections are mutable so tests can shape a scenario before starting the simulator; do not change a scenario
/// while a simulator serves it.
/// </summary>
public sealed class Scenario
{
    public string Name { get; set; } = "scenario";
    public List<ScenarioAccount> Accounts { get; set; } = [];
    public List<ScenarioUser> Users { get; set; } = [];
    public List<ScenarioToken> Tokens { get; set; } = [];
    public ScenarioQuirks Quirks { get; set; } = new();

    /// <summary>The built-in "Acme Analytics" demo company (Scenarios/demo.json); credentials in <see cref="DemoCredentials"/>.</summary>
    public static Scenario Demo()
    {
        using var stream = typeof(Scenario).Assembly.GetManifestResourceStream("Vigil.Simulation.Scenarios.demo.json")
            ?? throw new InvalidOperationException("The embedded demo scenario is missing.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    public static Scenario FromFile(string path) => FromJson(File.ReadAllText(path));

    public static Scenario FromJson(string json)
    {
        var scenario = JsonSerializer.Deserialize(json, ScenarioJsonContext.Default.Scenario)
            ?? throw new FormatException("The scenario JSON is empty.");
        scenario.Validate();
        return scenario;
    }

    public string ToJson() => JsonSerializer.Serialize(this, ScenarioJsonContext.Default.Scenario);

    /// <summary>Fails fast on scenarios the simulator could not serve consistently (duplicate ids, dangling references).</summary>
    public void Validate()
    {
        var accountIds = new HashSet<string>(StringComparer.Ordinal);
        var zoneIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in Accounts)
        {
            if (!accountIds.Add(account.Id))
            {
                throw new FormatException($"Duplicate account id {account.Id}.");
            }

            var roleIds = account.Roles.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var member in account.Members)
            {
                foreach (var roleId in member.Roles)
                {
                    if (!roleIds.Contains(roleId))
                    {
                        throw new FormatException($"Member {member.Id} of account {account.Id} refers to unknown role {roleId}.");
                    }
                }
            }

            foreach (var zone in account.Zones)
            {
                if (!zoneIds.Add(zone.Id))
                {
                    throw new FormatException($"Duplicate zone id {zone.Id}.");
                }
            }
        }

        if (Quirks.BatchSettingsAnswer is { } answer && answer is not ("404" or "400" or "403" or "405" or "410" or "200"))
        {
            throw new FormatException($"Quirk batch_settings_answer must be one of 404, 400, 403, 405, 410, 200; got {answer}.");
        }

        var tokenValues = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in Tokens)
        {
            if (!tokenValues.Add(token.Value))
            {
                throw new FormatException($"Duplicate token value for token {token.Id}.");
            }

            if (token.Kind == TokenKind.Account && (token.AccountId is null || !accountIds.Contains(token.AccountId)))
            {
                throw new FormatException($"Account token {token.Id} needs the id of an account in the scenario.");
            }
        }
    }
}

public sealed class ScenarioQuirks
{
    /// <summary>For account-owned tokens, GET /accounts answers every page number with page 1 and total_pages 1.</summary>
    public bool AccountsIgnorePage { get; set; } = true;

    /// <summary>Error code in 429 bodies: 971 (current) or 10100 (older).</summary>
    public int RateLimitErrorCode { get; set; } = 971;

    /// <summary>The batch GET /zones/{id}/settings has reached its end of life and answers like a removed route.</summary>
    public bool BatchSettingsEnded { get; set; }

    /// <summary>Zones answer owner.id and owner.name as null, as real account-owned zones do (the schema says string).</summary>
    public bool NullZoneOwner { get; set; } = true;

    /// <summary>
    /// How GET /zones/{id}/settings answers after its end of life, which Cloudflare does not document: null answers
    /// normally; "404" (404 / 7003, the "could not route" code), "400" (400 / 7003 + 7000), "403" (403 / 10000), "405"
    /// (405 / 7001 "Method not allowed"), "410" (410 / 7000 "This endpoint has been removed") or "200" (HTTP 200 with
    /// success false and error 7000). Per-setting reads keep working. <see cref="BatchSettingsEnded"/> (404 / 7000) wins
    /// when both are set.
    /// </summary>
    public string? BatchSettingsAnswer { get; set; }
}

public sealed class ScenarioAccount
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string Type { get; set; } = "standard";
    public DateTimeOffset CreatedOn { get; set; } = new(2021, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public AccountSettings Settings { get; set; } = new();
    public List<ScenarioRole> Roles { get; set; } = [];
    public List<ScenarioMember> Members { get; set; } = [];
    public List<ScenarioZone> Zones { get; set; } = [];

    /// <summary>IAM user groups: policies that member objects do not show.</summary>
    public List<ScenarioUserGroup> UserGroups { get; set; } = [];

    /// <summary>The account's permission-group catalogue (GET /accounts/{id}/iam/permission_groups).</summary>
    public List<PolicyPermissionGroup> PermissionGroups { get; set; } = [];

    /// <summary>Dashboard SSO connectors (GET /accounts/{id}/sso_connectors).</summary>
    public List<ScenarioSsoConnector> SsoConnectors { get; set; } = [];

    /// <summary>Account-level rulesets: phase entrypoints (kind "root") and custom rulesets (Enterprise WAF deployments).</summary>
    public List<ScenarioRuleset> Rulesets { get; set; } = [];

    /// <summary>Account Logpush jobs (GET /accounts/{id}/logpush/jobs), account-scoped datasets such as audit_logs.</summary>
    public List<ScenarioLogpushJob> LogpushJobs { get; set; } = [];

    /// <summary>
    /// Account-owned API tokens as GET /accounts/{id}/tokens lists them: metadata only (they authenticate nothing here;
    /// credentials are the scenario's <see cref="Scenario.Tokens"/>).
    /// </summary>
    public List<ScenarioAccountToken> AccountTokens { get; set; } = [];
}

/// <summary>An account-owned API token's metadata (Cloudflare's shared Token model).</summary>
public sealed class ScenarioAccountToken
{
    public required string Id { get; set; }
    public required string Name { get; set; }

    /// <summary>active, disabled or expired.</summary>
    public string Status { get; set; } = "active";
    public DateTimeOffset IssuedOn { get; set; } = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
    public DateTimeOffset? ModifiedOn { get; set; }
    public DateTimeOffset? NotBefore { get; set; }
    public DateTimeOffset? ExpiresOn { get; set; }
    public DateTimeOffset? LastUsedOn { get; set; }

    /// <summary>Days before the simulator's start it was last used; overrides <see cref="LastUsedOn"/> so a demo stays "recent" whenever it runs.</summary>
    public int? LastUsedDaysAgo { get; set; }

    /// <summary>condition.request_ip.in (CIDR); empty: no allow-list.</summary>
    public List<string> IpIn { get; set; } = [];

    /// <summary>condition.request_ip.not_in (CIDR).</summary>
    public List<string> IpNotIn { get; set; } = [];

    /// <summary>creator_email_at_creation; null: Cloudflare recorded none.</summary>
    public string? CreatorEmail { get; set; }
    public List<ScenarioTokenPolicy> Policies { get; set; } = [];
}

public sealed class ScenarioTokenPolicy
{
    public required string Id { get; set; }

    /// <summary>allow or deny.</summary>
    public string Effect { get; set; } = "allow";
    public List<PolicyPermissionGroup> PermissionGroups { get; set; } = [];

    /// <summary>Resource key to "*", e.g. "com.cloudflare.api.account.{account_id}".</summary>
    public Dictionary<string, string> Resources { get; set; } = [];
}

public sealed class ScenarioUserGroup
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public List<MemberPolicy> Policies { get; set; } = [];

    /// <summary>Account member ids (not user ids).</summary>
    public List<string> MemberIds { get; set; } = [];
}

public sealed class ScenarioSsoConnector
{
    public required string Id { get; set; }
    public required string EmailDomain { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>awaiting, pending, failed or verified.</summary>
    public string VerificationStatus { get; set; } = "verified";
}

public sealed class AccountSettings
{
    public bool EnforceTwofactor { get; set; }
    public string? AbuseContactEmail { get; set; }
}

public sealed class ScenarioRole
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";

    /// <summary>Permission keys in the 2024 schema's form, e.g. "#zones:read".</summary>
    public List<string> Permissions { get; set; } = [];
}

public sealed class ScenarioMember
{
    public required string Id { get; set; }

    /// <summary>accepted, pending or rejected (a declined invitation).</summary>
    public string Status { get; set; } = "accepted";

    /// <summary>Top-level email, as newer responses carry; null leaves it out.</summary>
    public string? Email { get; set; }

    public required MemberUser User { get; set; }

    /// <summary>Ids of roles of the same account.</summary>
    public List<string> Roles { get; set; } = [];

    public List<MemberPolicy> Policies { get; set; } = [];
}

public sealed class MemberUser
{
    public string? Id { get; set; }

    /// <summary>Optional in Cloudflare's current types; null leaves it out.</summary>
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }

    /// <summary>Null leaves the flag out of responses, as Cloudflare sometimes does.</summary>
    public bool? TwoFactorAuthenticationEnabled { get; set; }
}

public sealed class MemberPolicy
{
    public required string Id { get; set; }
    public string Access { get; set; } = "allow";
    public List<PolicyPermissionGroup> PermissionGroups { get; set; } = [];
    public List<PolicyResourceGroup> ResourceGroups { get; set; } = [];
}

public sealed class PolicyPermissionGroup
{
    public required string Id { get; set; }
    public string? Name { get; set; }
}

public sealed class PolicyResourceGroup
{
    public required string Id { get; set; }
    public string? Name { get; set; }

    /// <summary>e.g. "com.cloudflare.api.account.{account_id}".</summary>
    public required string ScopeKey { get; set; }

    /// <summary>e.g. "com.cloudflare.api.account.zone.*" or one zone's key.</summary>
    public List<string> ScopeObjects { get; set; } = [];
}

public sealed class ScenarioZone
{
    public required string Id { get; set; }
    public required string Name { get; set; }

    /// <summary>active, pending, initializing or moved.</summary>
    public string Status { get; set; } = "active";
    public bool Paused { get; set; }
    public string Type { get; set; } = "full";
    public ZonePlan Plan { get; set; } = new();
    public DateTimeOffset CreatedOn { get; set; } = new(2022, 1, 10, 12, 0, 0, TimeSpan.Zero);
    /// <summary>Null on an active zone means half an hour after creation; never sent for zones that are not active.</summary>
    public DateTimeOffset? ActivatedOn { get; set; }
    public DateTimeOffset ModifiedOn { get; set; } = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    public List<string> NameServers { get; set; } = ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"];
    public ZoneSettings Settings { get; set; } = new();

    /// <summary>active, pending, disabled, pending-disabled or error.</summary>
    public string DnssecStatus { get; set; } = "disabled";

    public List<ScenarioRuleset> Rulesets { get; set; } = [];
    public List<LegacyFirewallRule> FirewallRules { get; set; } = [];

    /// <summary>Page Rules (GET /zones/{id}/pagerules).</summary>
    public List<ScenarioPageRule> PageRules { get; set; } = [];

    /// <summary>Per-hostname minimum TLS overrides (GET /zones/{id}/hostnames/settings/min_tls_version).</summary>
    public List<ScenarioHostnameSetting> HostnameMinTls { get; set; } = [];

    /// <summary>Bot protection (GET /zones/{id}/bot_management), answered in the shape of the zone's plan; defaults to everything off.</summary>
    public ScenarioBotManagement BotManagement { get; set; } = new();

    /// <summary>Zone Logpush jobs (GET /zones/{id}/logpush/jobs).</summary>
    public List<ScenarioLogpushJob> LogpushJobs { get; set; } = [];
    /// <summary>Universal SSL (GET /zones/{id}/ssl/universal/settings); Cloudflare enables it by default.</summary>
    public bool UniversalSsl { get; set; } = true;

    /// <summary>Zone-level Authenticated Origin Pulls (GET /zones/{id}/origin_tls_client_auth/settings); false by default, as on Cloudflare.</summary>
    public bool AuthenticatedOriginPulls { get; set; }

    /// <summary>DNS records (GET /zones/{id}/dns_records), in the order listed.</summary>
    public List<ScenarioDnsRecord> DnsRecords { get; set; } = [];

    /// <summary>
    /// Edge certificate packs (GET /zones/{id}/ssl/certificate_packs). Null: the simulator's default, one active Universal
    /// SSL pack from Let's Encrypt for the apex and wildcard while <see cref="UniversalSsl"/> is on (none when it is off).
    /// </summary>
    public List<ScenarioCertificatePack>? CertificatePacks { get; set; }

    /// <summary>The packs the zone has: <see cref="CertificatePacks"/>, or the default described there.</summary>
    public IReadOnlyList<ScenarioCertificatePack> CertificatePacksOrDefault() => CertificatePacks
        ?? (UniversalSsl ? [new ScenarioCertificatePack { Id = UniversalPackId(Id), Type = "universal", CertificateAuthority = "lets_encrypt" }] : []);

    /// <summary>A stable UUID-shaped pack id derived from the zone id (Cloudflare's pack ids are UUIDs).</summary>
    private static string UniversalPackId(string zoneId)
    {
        var hex = (zoneId + "00000000000000000000000000000000")[..32];
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}

/// <summary>One edge certificate pack (SDK type CertificatePackListResponse).</summary>
public sealed class ScenarioCertificatePack
{
    public required string Id { get; set; }

    /// <summary>"universal", "advanced", "total_tls", "sni_custom", ...</summary>
    public string Type { get; set; } = "universal";

    /// <summary>"active", "pending_validation", "deleted", ...; only active packs are listed unless the request asks for status=all.</summary>
    public string Status { get; set; } = "active";

    /// <summary>"lets_encrypt", "google", "ssl_com" (SDK enum); "digicert" or "sectigo" as older answers carry; null for a custom upload.</summary>
    public string? CertificateAuthority { get; set; }

    /// <summary>Hostnames covered; empty: the zone apex and its wildcard.</summary>
    public List<string> Hosts { get; set; } = [];
}

/// <summary>
/// A zone's bot configuration. The answer's shape follows the plan (the SDK's union): Free gets Bot Fight Mode fields,
/// Pro Super Bot Fight Mode without likely_automated, Business and Enterprise with it, and an Enterprise zone with
/// <see cref="BotManagementSubscription"/> the Bot Management for Enterprise fields.
/// </summary>
public sealed class ScenarioBotManagement
{
    public bool FightMode { get; set; }
    public bool EnableJs { get; set; }
    /// <summary>"allow", "block" or "managed_challenge".</summary>
    public string SbfmDefinitelyAutomated { get; set; } = "allow";
    public string SbfmLikelyAutomated { get; set; } = "allow";
    /// <summary>"allow" or "block".</summary>
    public string SbfmVerifiedBots { get; set; } = "allow";
    public bool BotManagementSubscription { get; set; }
    public bool AutoUpdateModel { get; set; } = true;
}

/// <summary>One Logpush job (SDK type LogpushJob).</summary>
public sealed class ScenarioLogpushJob
{
    public required long Id { get; set; }
    public string? Name { get; set; }
    /// <summary>"http_requests", "firewall_events", "dns_logs", ... (zone) or "audit_logs", "gateway_dns", ... (account).</summary>
    public required string Dataset { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>"" (Logpush) or "edge".</summary>
    public string Kind { get; set; } = "";
    public string DestinationConf { get; set; } = "s3://acme-logs/cloudflare?region=eu-west-1";
    public DateTimeOffset? LastComplete { get; set; } = new(2026, 11, 29, 23, 55, 0, TimeSpan.Zero);
    public DateTimeOffset? LastError { get; set; }
    public string? ErrorMessage { get; set; }
}

/// <summary>One DNS record. Names are relative to the zone ("@" is the apex, "www" is www.ZONE) or fully qualified.</summary>
public sealed class ScenarioDnsRecord
{
    public required string Id { get; set; }

    /// <summary>A, AAAA, CNAME, MX, TXT, CAA, NS, SRV, ...</summary>
    public required string Type { get; set; }
    public required string Name { get; set; }

    /// <summary>As Cloudflare shows it; for CAA, "FLAGS TAG \"VALUE\"" (the simulator derives the data object from it).</summary>
    public required string Content { get; set; }
    public bool Proxied { get; set; }
    public int Ttl { get; set; } = 1;
    public int? Priority { get; set; }

    /// <summary>The record's fully qualified name in the zone.</summary>
    public string FullName(string zoneName) =>
        Name == "@" ? zoneName : Name.EndsWith("." + zoneName, StringComparison.OrdinalIgnoreCase) || Name.Equals(zoneName, StringComparison.OrdinalIgnoreCase) ? Name : $"{Name}.{zoneName}";
}

public sealed class ScenarioPageRule
{
    public required string Id { get; set; }

    /// <summary>The URL pattern of its one target, e.g. "*example.com/legacy/*".</summary>
    public required string Target { get; set; }

    /// <summary>active or disabled.</summary>
    public string Status { get; set; } = "active";
    public int Priority { get; set; } = 1;

    /// <summary>The SSL mode its "ssl" action sets; null for a rule without one.</summary>
    public string? Ssl { get; set; }

    /// <summary>Adds an "always_use_https" action (no value), to show actions without a value.</summary>
    public bool AlwaysUseHttps { get; set; }
}

public sealed class ScenarioHostnameSetting
{
    public required string Hostname { get; set; }

    /// <summary>"1.0" to "1.3".</summary>
    public required string Value { get; set; }
    public string Status { get; set; } = "active";
}

public sealed class ZonePlan
{
    public string Id { get; set; } = "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    public string Name { get; set; } = "Free Website";
    public string LegacyId { get; set; } = "free";
}

public sealed class ZoneSettings
{
    public string Ssl { get; set; } = "full";
    public string MinTlsVersion { get; set; } = "1.0";
    public string AlwaysUseHttps { get; set; } = "off";
    public string AutomaticHttpsRewrites { get; set; } = "on";
    /// <summary>tls_1_3: "on", "off" or "zrt". Named explicitly: the snake-case policy would read the key "tls13", and a
    /// scenario's "tls_1_3" was silently ignored.</summary>
    [JsonPropertyName("tls_1_3")]
    public string Tls13 { get; set; } = "on";
    public string SecurityLevel { get; set; } = "medium";
    public string BrowserCheck { get; set; } = "on";
    public string Waf { get; set; } = "off";
    public string OpportunisticEncryption { get; set; } = "on";
    public StrictTransportSecurity Hsts { get; set; } = new();

    /// <summary>development_mode: "on" or "off".</summary>
    public string DevelopmentMode { get; set; } = "off";

    /// <summary>email_obfuscation: "on" or "off" (Cloudflare turns it on for new zones).</summary>
    public string EmailObfuscation { get; set; } = "on";
}

public sealed class StrictTransportSecurity
{
    public bool Enabled { get; set; }

    /// <summary>Seconds. A decimal keeps the form it is written in: 31536000.0 is served as 31536000.0, as Cloudflare sometimes sends it.</summary>
    public decimal MaxAge { get; set; }
    public bool IncludeSubdomains { get; set; }
    public bool Preload { get; set; }
    public bool Nosniff { get; set; }
}

public sealed class ScenarioRuleset
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";

    /// <summary>managed (available to deploy), zone (a zone's phase entrypoint), root (an account's phase entrypoint) or custom.</summary>
    public string Kind { get; set; } = "zone";
    public required string Phase { get; set; }
    public string Version { get; set; } = "1";
    public DateTimeOffset LastUpdated { get; set; } = new(2026, 5, 2, 10, 0, 0, TimeSpan.Zero);
    public List<ScenarioRule> Rules { get; set; } = [];
}

public sealed class ScenarioRule
{
    public required string Id { get; set; }

    /// <summary>execute, block, skip, managed_challenge, log...</summary>
    public required string Action { get; set; }
    public string Expression { get; set; } = "true";
    public string Description { get; set; } = "";
    public bool Enabled { get; set; } = true;

    /// <summary>For execute rules: the id of the deployed managed ruleset.</summary>
    public string? ExecuteRulesetId { get; set; }

    /// <summary>For execute rules: false when an override turns the whole managed ruleset off.</summary>
    public bool? OverridesEnabled { get; set; }

    /// <summary>
    /// action_parameters exactly as Cloudflare sends them, e.g. skip rules' {"ruleset": "current"} or {"phases": [...], "products": [...]},
    /// execute rules' {"overrides": {"action": "log", "categories": [...], "rules": [...]}}; ExecuteRulesetId and OverridesEnabled are merged in.
    /// </summary>
    public JsonObject? ActionParameters { get; set; }

    /// <summary>Rules of managed rulesets: their category tags.</summary>
    public List<string> Categories { get; set; } = [];
    /// <summary>For set_config rules (Configuration Rules, phase http_config_settings): the SSL mode they set.</summary>
    public string? SetConfigSsl { get; set; }
}

public sealed class LegacyFirewallRule
{
    public required string Id { get; set; }
    public string Action { get; set; } = "block";
    public string Description { get; set; } = "";
    public bool Paused { get; set; }
    public string FilterId { get; set; } = "";
    public string Expression { get; set; } = "";
}

public sealed class ScenarioUser
{
    public required string Id { get; set; }
    public required string Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public bool TwoFactorAuthenticationEnabled { get; set; } = true;

    /// <summary>The legacy Global API Key (X-Auth-Key with X-Auth-Email); null when the user has none.</summary>
    public string? GlobalApiKey { get; set; }

    /// <summary>Accounts this user can reach; empty means every account in the scenario.</summary>
    public List<string> AccountIds { get; set; } = [];
}

public enum TokenKind
{
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("account")] Account,
}

public sealed class ScenarioToken
{
    public required string Id { get; set; }
    public required string Value { get; set; }
    public string Name { get; set; } = "";
    public TokenKind Kind { get; set; } = TokenKind.User;

    /// <summary>Owning account of an account token.</summary>
    public string? AccountId { get; set; }

    /// <summary>Owning user of a user token (answers GET /user); null means the scenario's first user.</summary>
    public string? UserEmail { get; set; }

    /// <summary>active, disabled or expired.</summary>
    public string Status { get; set; } = "active";
    public DateTimeOffset? NotBefore { get; set; }
    public DateTimeOffset? ExpiresOn { get; set; }
    public List<TokenPermission> Permissions { get; set; } = [];

    /// <summary>Client addresses allowed to use the token; empty allows every address.</summary>
    public List<string> IpAllowList { get; set; } = [];
}

public sealed class TokenPermission
{
    /// <summary>A Cloudflare permission-group name such as "Zone Read"; "X Write" also grants "X Read".</summary>
    public required string Group { get; set; }

    /// <summary>Limits the grant to these accounts (and their zones); empty with empty ZoneIds means everything.</summary>
    public List<string> AccountIds { get; set; } = [];

    /// <summary>Limits the grant to these zones.</summary>
    public List<string> ZoneIds { get; set; } = [];
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(Scenario))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
