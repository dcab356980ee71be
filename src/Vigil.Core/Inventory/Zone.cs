namespace Vigil.Core.Inventory;

/// <summary>A zone as synced. Security is null when the zone got no per-zone reads (pending, paused, or unreadable).</summary>
/// <param name="Status">Cloudflare's status: "active", "pending", "initializing", "moved".</param>
/// <param name="Paused">Cloudflare marks a paused zone by this flag, not by its status.</param>
public sealed record Zone(string Id, string Name, string AccountId, string Status, bool Paused, string? PlanName, ZoneSecurity? Security)
{
    /// <summary>Zone checks apply only to zones that serve traffic through Cloudflare.</summary>
    public bool IsMonitored => Status == "active" && !Paused;
}

/// <summary>
/// The security configuration of one zone. Each value is null when it could not be read;
/// <see cref="Sync.Snapshot.Gaps"/> then says why.
/// </summary>
/// <param name="Ssl">"off", "flexible", "full" or "strict".</param>
/// <param name="MinTlsVersion">"1.0" to "1.3".</param>
/// <param name="AlwaysUseHttps">"on" or "off".</param>
/// <param name="Hsts">The strict_transport_security part of the security_header setting.</param>
/// <param name="SecurityLevel">"off", "essentially_off", "low", "medium", "high", "under_attack".</param>
/// <param name="LegacyWaf">The legacy "waf" setting, "on" or "off".</param>
/// <param name="DnssecStatus">"active", "pending", "disabled", "pending-disabled" or "error".</param>
/// <param name="Entrypoints">Phase entrypoints read, by phase. A phase present with a null value has no entrypoint (404); an absent phase was not read.</param>
public sealed record ZoneSecurity(
    string? Ssl,
    string? MinTlsVersion,
    string? AlwaysUseHttps,
    HstsPolicy? Hsts,
    string? SecurityLevel,
    string? LegacyWaf,
    string? DnssecStatus,
    IReadOnlyDictionary<string, PhaseEntrypoint?> Entrypoints);

/// <summary>HSTS as configured in the zone's security_header setting.</summary>
/// <param name="MaxAgeSeconds">max-age in seconds.</param>
public sealed record HstsPolicy(bool Enabled, long MaxAgeSeconds, bool IncludeSubdomains, bool Preload);

/// <summary>A zone's entrypoint ruleset for one phase, with the rules that matter to checks.</summary>
public sealed record PhaseEntrypoint(string Phase, string RulesetId, IReadOnlyList<RulesetRule> Rules);

/// <summary>One rule of an entrypoint ruleset.</summary>
/// <param name="Action">"execute", "block", "skip", ...</param>
/// <param name="ExecutesRulesetId">For execute rules, the ruleset deployed (e.g. Cloudflare Managed Ruleset).</param>
/// <param name="OverridesDisableRuleset">True when the rule's overrides turn the executed ruleset off.</param>
public sealed record RulesetRule(string Id, string Action, bool Enabled, string? ExecutesRulesetId, bool OverridesDisableRuleset, string? Description);

/// <summary>Well-known phase names.</summary>
public static class RulesetPhases
{
    public const string ManagedWaf = "http_request_firewall_managed";
    public const string CustomFirewall = "http_request_firewall_custom";
    public const string RateLimit = "http_ratelimit";

    public static readonly IReadOnlyList<string> Synced = [ManagedWaf, CustomFirewall, RateLimit];
}
