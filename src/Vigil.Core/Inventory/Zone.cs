namespace Vigil.Core.Inventory;

/// <summary>A zone as synced. Security is null when the zone got no per-zone reads (pending, paused, or unreadable).</summary>
/// <param name="Status">Cloudflare's status: "active", "pending", "initializing", "moved".</param>
/// <param name="Paused">Cloudflare marks a paused zone by this flag, not by its status.</param>
/// <param name="Type">Cloudflare's zone type: "full" (Cloudflare is authoritative for DNS), "partial" (CNAME setup) or "secondary"; null when not reported.</param>
/// <param name="PlanLegacyId">The plan's legacy id: "free", "pro", "business" or "enterprise"; null when not reported.</param>
/// <param name="ObservedAt">When the zone's configuration was last read in full from Cloudflare (an incremental sync carries it over); null for rows stored before it was recorded.</param>
public sealed record Zone(string Id, string Name, string AccountId, string Status, bool Paused, string? PlanName, ZoneSecurity? Security,
    string? Type = null, string? PlanLegacyId = null, DateTimeOffset? ObservedAt = null)
{
    /// <summary>Zone checks apply only to zones that serve traffic through Cloudflare.</summary>
    public bool IsMonitored => Status == "active" && !Paused;

    /// <summary>
    /// Whether a zone on this plan can hold per-hostname TLS settings (<see cref="Checks.PlanFeatures.HostnameTls"/>):
    /// Pro, Business and Enterprise; not Free, an unreported plan or one Vigil does not know. The sync reads the
    /// overrides only where this is true, to spare the request budget.
    /// </summary>
    public static bool PlanMayOverrideTlsPerHostname(string? planLegacyId) => Checks.PlanFeatures.KnownToInclude(Checks.PlanFeatures.HostnameTls, planLegacyId);

    /// <summary>
    /// Whether a zone on this plan can push HTTP requests or firewall events with Logpush (Enterprise; an unreported
    /// plan counts as able). The sync reads the zone's Logpush jobs only where this is true.
    /// </summary>
    public static bool PlanMayHaveLogpush(string? planLegacyId) => Checks.PlanFeatures.Includes(Checks.PlanFeatures.Logpush, planLegacyId);

    /// <summary>Partial (CNAME setup) and secondary zones: another provider is authoritative for the zone's DNS.</summary>
    public static bool ServesDnsElsewhere(string? type) =>
        string.Equals(type, "partial", StringComparison.OrdinalIgnoreCase) || string.Equals(type, "secondary", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The security configuration of one zone. Each value is null when it could not be read;
/// <see cref="Sync.Snapshot.Gaps"/> then says why.
/// </summary>
/// <param name="Ssl">"off", "flexible", "full", "strict" or "origin_pull" (Strict (SSL-Only Origin Pull), Enterprise).</param>
/// <param name="MinTlsVersion">"1.0" to "1.3".</param>
/// <param name="AlwaysUseHttps">"on" or "off".</param>
/// <param name="Hsts">The strict_transport_security part of the security_header setting.</param>
/// <param name="SecurityLevel">"off", "essentially_off", "low", "medium", "high", "under_attack"; from the batch settings call, or read one by one when cloudflare.zone-under-attack-not-permanent is selected (which reads it from <see cref="ZoneFeatures.Settings"/>); null otherwise.</param>
/// <param name="LegacyWaf">The legacy "waf" setting, "on" or "off".</param>
/// <param name="DnssecStatus">"active", "pending", "disabled", "pending-disabled" or "error".</param>
/// <param name="Entrypoints">Phase entrypoints read, by phase. A phase present with a null value has no entrypoint (404); an absent phase was not read.</param>
/// <param name="SslPageRules">The zone's Page Rules that set the SSL mode (action "ssl"), any status; empty when none does; null when page rules were not read.</param>
/// <param name="HostnameMinTls">Per-hostname minimum TLS overrides (GET /zones/{id}/hostnames/settings/min_tls_version); empty when the zone has none; null when not read (the plan cannot have them, or the read failed: see the gaps).</param>
/// <param name="Features">The configuration beyond these, read only for the checks that need it; null when none was read.</param>
public sealed record ZoneSecurity(
    string? Ssl,
    string? MinTlsVersion,
    string? AlwaysUseHttps,
    HstsPolicy? Hsts,
    string? SecurityLevel,
    string? LegacyWaf,
    string? DnssecStatus,
    IReadOnlyDictionary<string, PhaseEntrypoint?> Entrypoints,
    IReadOnlyList<PageRuleSsl>? SslPageRules = null,
    IReadOnlyList<HostnameSetting>? HostnameMinTls = null,
    ZoneFeatures? Features = null);

/// <summary>
/// A zone's configuration beyond <see cref="ZoneSecurity"/>'s core settings, each part read only when a check in the
/// catalogue needs it. A null property was not read (not needed, or the read failed: the snapshot's gaps say why).
/// Stored as one JSON document per zone, so adding a part needs no schema change.
/// </summary>
public sealed record ZoneFeatures
{
    /// <summary>Zone settings read one by one (GET /zones/{id}/settings/{setting}): setting id to its value as text, e.g. "tls_1_3" to "on".</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>
    /// How many DNS records the sync read for the zone (GET /zones/{id}/dns_records, every page); the records are in
    /// <see cref="Sync.Snapshot.DnsRecords"/>. Null when they were not read: 0 means the zone has none.
    /// </summary>
    public int? DnsRecordCount { get; init; }
    /// <summary>Universal SSL (GET /zones/{id}/ssl/universal/settings, <c>enabled</c>); null when not read or not reported.</summary>
    public bool? UniversalSslEnabled { get; init; }

    /// <summary>
    /// Zone-level Authenticated Origin Pulls (GET /zones/{id}/origin_tls_client_auth/settings, <c>enabled</c>; Cloudflare
    /// documents false as the default, so an answer without the field reads as false); null when not read.
    /// </summary>
    public bool? AuthenticatedOriginPullsEnabled { get; init; }

    /// <summary>
    /// Since when the zone's security_level has been "under_attack", as far as Vigil's snapshots show: the sync carries
    /// the date forward from the previous snapshot while the level stays under_attack (and while it cannot be read), and
    /// sets it to the time of the read when a snapshot first sees it; null when the level is anything else or was not read.
    /// </summary>
    public DateTimeOffset? UnderAttackSince { get; init; }
    /// <summary>The zone's bot protection configuration (GET /zones/{id}/bot_management); null when not read.</summary>
    public BotManagementConfig? BotManagement { get; init; }

    /// <summary>The zone's Logpush jobs (GET /zones/{id}/logpush/jobs), every state; empty when it has none; null when not read (the plan has no Logpush, or the read failed).</summary>
    public IReadOnlyList<LogpushJob>? LogpushJobs { get; init; }

    /// <summary>
    /// The zone's active edge certificate packs (GET /zones/{id}/ssl/certificate_packs, every page: Cloudflare lists active
    /// packs by default); empty when it has none; null when not read (no selected check needs them, the zone's DNS is served
    /// elsewhere, or the read failed: see the gaps).
    /// </summary>
    public IReadOnlyList<CertificatePack>? CertificatePacks { get; init; }
}

/// <summary>One edge certificate pack of a zone, as GET /zones/{id}/ssl/certificate_packs lists it.</summary>
/// <param name="Type">"universal", "advanced", "total_tls", "sni_custom", "keyless", "legacy_custom", "mh_custom", "managed_hostname", ...; kept as sent.</param>
/// <param name="Status">"active", "pending_validation", "backup_issued", ...; kept as sent, null when not reported.</param>
/// <param name="CertificateAuthority">The CA Cloudflare orders the pack from: "lets_encrypt", "google", "ssl_com", and in older or other answers "digicert" or "sectigo"; kept as sent, null when the pack does not say (custom uploads).</param>
/// <param name="Hosts">The hostnames the pack covers.</param>
public sealed record CertificatePack(string Id, string Type, string? Status, string? CertificateAuthority, IReadOnlyList<string> Hosts)
{
    /// <summary>
    /// The pack is in use or being issued, so its CA must be allowed: every status but "deleted", "pending_deletion",
    /// "expired", "inactive" and "deactivating" (Cloudflare lists active packs by default; a pack pending issuance or
    /// validation needs its CA allowed all the more).
    /// </summary>
    public bool IsInUse => Status is null || !NotInUse.Contains(Status);

    private static readonly HashSet<string> NotInUse = new(["deleted", "pending_deletion", "expired", "inactive", "deactivating"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Which CA each kind of pack in use comes from, "universal: google", sorted and without repeats: the value
    /// cloudflare.dns-caa judges, as `vigil diff`, the API and the Zones page show it.
    /// </summary>
    public static IReadOnlyList<string> AuthoritiesInUse(IEnumerable<CertificatePack> packs) =>
        [.. packs.Where(p => p.IsInUse && p.CertificateAuthority is not null).Select(p => $"{p.Type}: {p.CertificateAuthority}")
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>
/// A zone's bot protection as GET /zones/{id}/bot_management reports it. Cloudflare answers one of several shapes,
/// by plan: Bot Fight Mode (Free: fight_mode), Super Bot Fight Mode (Pro and Business: sbfm_* fields) or Bot
/// Management for Enterprise (auto_update_model, suppress_session_score, bm_cookie_enabled). A null field was not in the answer.
/// </summary>
/// <param name="FightMode">Bot Fight Mode on (Free plan).</param>
/// <param name="SbfmDefinitelyAutomated">Super Bot Fight Mode action for definitely automated traffic: "allow", "block" or "managed_challenge".</param>
/// <param name="SbfmLikelyAutomated">Super Bot Fight Mode action for likely automated traffic (Business and Enterprise): "allow", "block" or "managed_challenge".</param>
/// <param name="SbfmVerifiedBots">Super Bot Fight Mode action for verified bots: "allow" or "block".</param>
/// <param name="AutoUpdateModel">Bot Management for Enterprise: the detection model updates itself.</param>
/// <param name="SuppressSessionScore">Bot Management for Enterprise: session scores are suppressed.</param>
/// <param name="BmCookieEnabled">Bot Management for Enterprise: the __cf_bm cookie is set.</param>
/// <param name="EnableJs">JavaScript detections are on.</param>
public sealed record BotManagementConfig(
    bool? FightMode = null,
    string? SbfmDefinitelyAutomated = null,
    string? SbfmLikelyAutomated = null,
    string? SbfmVerifiedBots = null,
    bool? AutoUpdateModel = null,
    bool? SuppressSessionScore = null,
    bool? BmCookieEnabled = null,
    bool? EnableJs = null)
{
    /// <summary>The answer is the Bot Management for Enterprise shape (a zone with the Bot Management subscription).</summary>
    public bool IsEnterpriseBotManagement => AutoUpdateModel is not null || SuppressSessionScore is not null || BmCookieEnabled is not null;
}

/// <summary>One Logpush job of a zone or account.</summary>
/// <param name="Dataset">The dataset it pushes, e.g. "http_requests", "firewall_events" (zone-scoped) or "audit_logs" (account-scoped).</param>
/// <param name="Kind">"" (a Logpush job), "edge" or "instant-logs" (Instant Logs: a live view, not an export); null when not reported.</param>
/// <param name="DestinationType">The destination's scheme from destination_conf (e.g. "s3", "r2", "https"), never the whole URL, which can hold credentials.</param>
/// <param name="LastComplete">When the job last pushed a batch; null when never.</param>
/// <param name="LastError">When the job last failed; null when never.</param>
/// <param name="ErrorMessage">Cloudflare's message for the last failure.</param>
public sealed record LogpushJob(
    string Id,
    string? Name,
    string? Dataset,
    bool Enabled,
    string? Kind,
    string? DestinationType,
    DateTimeOffset? LastComplete,
    DateTimeOffset? LastError,
    string? ErrorMessage)
{
    /// <summary>The datasets that record a zone's HTTP traffic and security events (SOC 2 CC7.2 monitoring).</summary>
    public static readonly IReadOnlyList<string> TrafficDatasets = ["http_requests", "firewall_events"];

    /// <summary>Pushes HTTP requests or firewall events.</summary>
    public bool CoversTraffic => Dataset is not null && TrafficDatasets.Contains(Dataset, StringComparer.OrdinalIgnoreCase);

    /// <summary>Instant Logs jobs stream to a live view and store nothing.</summary>
    public bool IsInstantLogs => string.Equals(Kind, "instant-logs", StringComparison.OrdinalIgnoreCase);

    /// <summary>The last attempt failed: an error newer than the last completed push (or an error and no push at all).</summary>
    public bool IsFailing => LastError is { } error && (LastComplete is not { } complete || error > complete);
}

/// <summary>The Logpush jobs of one account (GET /accounts/{id}/logpush/jobs), read once per account.</summary>
public sealed record AccountLogpush(string AccountId, IReadOnlyList<LogpushJob> Jobs);

/// <summary>A Page Rule that sets the SSL mode for the URLs it matches.</summary>
/// <param name="Target">The URL pattern it matches, e.g. "*shop.example/legacy/*".</param>
/// <param name="Ssl">The SSL mode it sets: "off", "flexible", "full", "strict" or "origin_pull".</param>
/// <param name="Status">"active" or "disabled"; only active rules apply.</param>
public sealed record PageRuleSsl(string Id, string Target, string Ssl, string Status)
{
    public bool IsActive => string.Equals(Status, "active", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One hostname's override of a zone TLS setting.</summary>
/// <param name="Value">The setting's value for that hostname, e.g. "1.0" for min_tls_version.</param>
/// <param name="Status">Cloudflare's deployment status of the override (e.g. "active", "pending"); null when not reported.</param>
public sealed record HostnameSetting(string Hostname, string Value, string? Status);

/// <summary>HSTS as configured in the zone's security_header setting.</summary>
/// <param name="MaxAgeSeconds">max-age in seconds (Cloudflare may send it as a non-integer JSON number; the fraction is dropped).</param>
public sealed record HstsPolicy(bool Enabled, long MaxAgeSeconds, bool IncludeSubdomains, bool Preload);

/// <summary>A zone's entrypoint ruleset for one phase, with the rules that matter to checks.</summary>
public sealed record PhaseEntrypoint(string Phase, string RulesetId, IReadOnlyList<RulesetRule> Rules);

/// <summary>One rule of an entrypoint ruleset.</summary>
/// <param name="Action">"execute", "block", "skip", "set_config", ...</param>
/// <param name="ExecutesRulesetId">For execute rules, the ruleset deployed (e.g. Cloudflare Managed Ruleset).</param>
/// <param name="OverridesDisableRuleset">True when the rule's overrides turn the executed ruleset off (overrides.enabled = false).</param>
/// <param name="Expression">The rule's filter expression ("true" matches all traffic); null when Cloudflare sent none.</param>
/// <param name="Overrides">For execute rules, the overrides applied to the deployed ruleset; null when none.</param>
/// <param name="Skip">For skip rules, what they switch off; null for other actions.</param>
/// <param name="SetsSsl">For set_config rules (Configuration Rules), the SSL mode they set ("off", "flexible", "full", "strict", "origin_pull"); null when they do not set it.</param>
/// <param name="Coverage">For execute rules whose overrides turn categories or rules off: how much of the deployed ruleset stays off,
/// weighed against the ruleset's own rules; null when there is nothing to weigh or the ruleset could not be read.</param>
public sealed record RulesetRule(
    string Id,
    string Action,
    bool Enabled,
    string? ExecutesRulesetId,
    bool OverridesDisableRuleset,
    string? Description,
    string? Expression = null,
    RuleOverrides? Overrides = null,
    SkipParameters? Skip = null,
    string? SetsSsl = null,
    OverrideCoverage? Coverage = null);

/// <summary>How much of a deployed managed ruleset its overrides turn off.</summary>
/// <param name="Rules">Rules of the ruleset that run by default (enabled in the managed ruleset itself).</param>
/// <param name="TurnedOff">Of those, the rules the overrides disable or set to log only (by category or by rule).</param>
public sealed record OverrideCoverage(int Rules, int TurnedOff)
{
    /// <summary>One rule of a managed ruleset as Cloudflare publishes it: its id, its category tags and whether it runs by default.</summary>
    public sealed record ManagedRule(string Id, IReadOnlyList<string> Categories, bool Enabled);

    /// <summary>Applies an execute rule's overrides to the managed ruleset's rules: rule overrides beat category overrides, which beat the ruleset override.</summary>
    public static OverrideCoverage Weigh(RuleOverrides overrides, IReadOnlyList<ManagedRule> rules)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(rules);
        var byDefault = rules.Where(r => r.Enabled).ToList();
        var off = byDefault.Count(rule =>
        {
            var ruleOverride = overrides.Rules.FirstOrDefault(o => o.Target == rule.Id);
            if (ruleOverride is not null && (ruleOverride.Enabled is not null || ruleOverride.Action is not null))
            {
                return IsOff(ruleOverride);
            }
            var categoryOverrides = overrides.Categories.Where(c => rule.Categories.Contains(c.Target, StringComparer.Ordinal)).ToList();
            if (categoryOverrides.Count > 0)
            {
                return categoryOverrides.Any(IsOff);
            }
            return overrides.Enabled == false || string.Equals(overrides.Action, "log", StringComparison.Ordinal);
        });
        return new OverrideCoverage(byDefault.Count, off);
    }

    /// <summary>True when an override disables a category or rule, or lets it only log.</summary>
    public static bool IsOff(OverrideTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Enabled == false || string.Equals(target.Action, "log", StringComparison.Ordinal);
    }
}

/// <summary>The account-level phase entrypoints of one account (Enterprise deployments that apply to the account's zones).</summary>
/// <param name="Entrypoints">By phase, as for <see cref="ZoneSecurity.Entrypoints"/>: a null value is "no entrypoint"; an absent phase was not read.</param>
public sealed record AccountRulesets(string AccountId, IReadOnlyDictionary<string, PhaseEntrypoint?> Entrypoints);

/// <summary>Cloudflare's WAF managed rulesets, by id (developers.cloudflare.com/waf/managed-rules/).</summary>
public static class ManagedRulesets
{
    public const string CloudflareManaged = "efb7b8c949ac4650a09736fc376e9aee";
    public const string OwaspCore = "4814384a9e5d4991b9815dcfc25d2f1f";
    public const string ExposedCredentialsCheck = "c2e184081120413c86c3ab7e14069605";
    public const string FreeManaged = "77454fe2d30c4220b5701f6fdfb893ba";

    /// <summary>The ruleset's published name, or "ruleset ID" for any other ruleset.</summary>
    public static string Describe(string? id) => id switch
    {
        CloudflareManaged => "the Cloudflare Managed Ruleset",
        OwaspCore => "the Cloudflare OWASP Core Ruleset",
        ExposedCredentialsCheck => "the Cloudflare Exposed Credentials Check",
        FreeManaged => "the Cloudflare Free Managed Ruleset",
        null => "an unnamed ruleset",
        _ => $"ruleset {id}",
    };

    /// <summary>Rulesets that protect against attacks: Cloudflare Managed and OWASP Core, and Free Managed on the Free plan.</summary>
    public static bool ProtectsAgainstAttacks(string? id, string? planLegacyId) =>
        id is CloudflareManaged or OwaspCore || (id == FreeManaged && string.Equals(planLegacyId, "free", StringComparison.OrdinalIgnoreCase));
}

/// <summary>The overrides of an execute rule: at ruleset level, per category and per rule.</summary>
/// <param name="Enabled">Ruleset-level enabled override; false turns every rule of the ruleset off.</param>
/// <param name="Action">Ruleset-level action override; "log" runs the whole ruleset in log-only mode.</param>
public sealed record RuleOverrides(bool? Enabled, string? Action, IReadOnlyList<OverrideTarget> Categories, IReadOnlyList<OverrideTarget> Rules);

/// <summary>One category (by tag) or rule (by id) override.</summary>
public sealed record OverrideTarget(string Target, bool? Enabled, string? Action);

/// <summary>What a skip rule's action_parameters switch off for the traffic its expression matches.</summary>
/// <param name="CurrentRuleset">ruleset: "current": the rest of the ruleset the skip rule is in.</param>
/// <param name="Rulesets">Ruleset ids skipped (rulesets: [...]).</param>
/// <param name="Phases">Phases skipped (phases: [...]), e.g. http_request_firewall_managed.</param>
/// <param name="Products">Products skipped (products: [...]), e.g. "waf".</param>
/// <param name="Rules">Rules skipped, by ruleset id (rules: {ruleset_id: [rule ids]}).</param>
public sealed record SkipParameters(
    bool CurrentRuleset,
    IReadOnlyList<string> Rulesets,
    IReadOnlyList<string> Phases,
    IReadOnlyList<string> Products,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Rules);

/// <summary>Well-known phase names.</summary>
public static class RulesetPhases
{
    public const string ManagedWaf = "http_request_firewall_managed";
    public const string CustomFirewall = "http_request_firewall_custom";
    public const string RateLimit = "http_ratelimit";
    /// <summary>Configuration Rules (set_config), which can lower SSL per hostname or path.</summary>
    public const string ConfigSettings = "http_config_settings";

    /// <summary>The zone phases the sync reads (only those a zone has an entrypoint for cost a call).</summary>
    public static readonly IReadOnlyList<string> Synced = [ManagedWaf, CustomFirewall, ConfigSettings];

    /// <summary>The account phases the sync reads once per account: where Enterprise deploys or skips the WAF for many zones.</summary>
    public static readonly IReadOnlyList<string> SyncedAtAccount = [ManagedWaf, CustomFirewall];
}
