using Vigil.Core.Inventory;

namespace Vigil.Core.Checks;

/// <summary>
/// Which Cloudflare plans include each feature a check judges: the one table of plan applicability. A check whose feature
/// the zone's plan lacks is Skipped with "not available on the PLAN plan", never failed. Plans are Cloudflare's legacy
/// plan ids as the zone list reports them (<see cref="Zone.PlanLegacyId"/>): "free", "pro", "business", "enterprise".
/// </summary>
/// <remarks>
/// Add a row per feature, with the Cloudflare documentation page that states its availability in a comment. A zone whose
/// plan is not reported, or is not one of the four (e.g. a partner plan), is treated as having the feature: Vigil skips
/// only what the documentation says the plan lacks.
/// </remarks>
public static class PlanFeatures
{
    public const string Free = "free";
    public const string Pro = "pro";
    public const string Business = "business";
    public const string Enterprise = "enterprise";

    private static readonly string[] AllPlans = [Free, Pro, Business, Enterprise];

    /// <summary>Custom rules of the WAF (phase http_request_firewall_custom): every plan (Free 5 rules, Pro 20, Business 100, Enterprise 1,000).
    /// Source: developers.cloudflare.com/waf/custom-rules/ (Availability).</summary>
    public const string CustomRules = "custom_rules";

    /// <summary>Rate limiting rules (phase http_ratelimit): every plan (Free 1 rule, Pro 2, Business 5, Enterprise more).
    /// Source: developers.cloudflare.com/waf/rate-limiting-rules/ (Availability).</summary>
    public const string RateLimitingRules = "rate_limiting_rules";

    /// <summary>Bot Fight Mode (fight_mode in GET /zones/{id}/bot_management). Source: developers.cloudflare.com/bots/plans/.</summary>
    public const string BotFightMode = "bot_fight_mode";

    /// <summary>Super Bot Fight Mode: Pro, Business and Enterprise; not on Free. Source: developers.cloudflare.com/bots/plans/.</summary>
    public const string SuperBotFightMode = "super_bot_fight_mode";

    /// <summary>Bot Management for Enterprise (bot scores): an Enterprise add-on. Source: developers.cloudflare.com/bots/plans/bm-subscription/.</summary>
    public const string BotManagement = "bot_management";

    /// <summary>Logpush of the zone datasets http_requests and firewall_events: Enterprise only (Cloudflare's OpenAPI
    /// x-cfPlanAvailability of the zone Logpush operations). Source: developers.cloudflare.com/logs/logpush/ (Availability).</summary>
    public const string Logpush = "logpush";

    /// <summary>Per-hostname TLS settings (GET /zones/{id}/hostnames/settings/min_tls_version): they need Advanced Certificate
    /// Manager or Cloudflare for SaaS, paid features Vigil counts as possible on Pro, Business and Enterprise; a zone
    /// without them gets error 1450 (Advanced Certificate Manager required) on that API. Sources:
    /// developers.cloudflare.com/ssl/edge-certificates/additional-options/minimum-tls/ (per-hostname setting) and
    /// developers.cloudflare.com/ssl/edge-certificates/advanced-certificate-manager/.</summary>
    public const string HostnameTls = "hostname_tls";

    /// <summary>Feature id → the plans that include it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Table { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        // TLS 1.3 at the edge, all plans: developers.cloudflare.com/ssl/edge-certificates/additional-options/tls-13/
        ["tls_1_3"] = AllPlans,
        // Automatic HTTPS Rewrites, all plans: developers.cloudflare.com/ssl/edge-certificates/additional-options/automatic-https-rewrites/
        ["automatic_https_rewrites"] = AllPlans,
        // Browser Integrity Check, all plans: developers.cloudflare.com/waf/tools/browser-integrity-check/
        ["browser_check"] = AllPlans,
        // Development Mode, all plans: developers.cloudflare.com/cache/reference/development-mode/
        ["development_mode"] = AllPlans,
        // Email Address Obfuscation, all plans: developers.cloudflare.com/waf/tools/scrape-shield/email-address-obfuscation/
        ["email_obfuscation"] = AllPlans,
        // Security level / I'm Under Attack mode, all plans: developers.cloudflare.com/waf/tools/security-level/,
        // developers.cloudflare.com/fundamentals/reference/under-attack-mode/
        ["security_level"] = AllPlans,
        // Universal SSL, all plans: developers.cloudflare.com/ssl/edge-certificates/universal-ssl/ and the API reference
        // (GET /zones/{zone_id}/ssl/universal/settings, "Available in: Free, Pro, Business, Enterprise").
        ["universal_ssl"] = AllPlans,
        // Authenticated Origin Pulls (global and zone-level, zone setting origin_tls_client_auth), all plans:
        // developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull/ ; it does not apply while the
        // zone's SSL/TLS encryption mode is Off or Flexible (same page), which the check treats as not applicable.
        ["authenticated_origin_pulls"] = AllPlans,
        [CustomRules] = AllPlans,
        [RateLimitingRules] = AllPlans,
        [BotFightMode] = AllPlans,
        [SuperBotFightMode] = [Pro, Business, Enterprise],
        [BotManagement] = [Enterprise],
        [Logpush] = [Enterprise],
        [HostnameTls] = [Pro, Business, Enterprise],
    };

    /// <summary>
    /// Null when the zone's plan includes the feature (or the plan or feature is not in the table); otherwise the reason a
    /// check gives for skipping the zone, e.g. "zone shop.example: Super Bot Fight Mode is not available on the free plan".
    /// </summary>
    /// <param name="featureName">The feature as a reader names it, e.g. "Super Bot Fight Mode".</param>
    public static string? NotAvailable(Zone zone, string feature, string featureName) => NotAvailable(zone, feature, featureName, Table);

    /// <summary>"not available on the Free plan": the reason a check gives for a zone whose plan lacks the feature.</summary>
    public static string NotAvailable(string? planLegacyId) => $"not available on the {Describe(planLegacyId)} plan";

    /// <summary>"Free", "Pro", "Business", "Enterprise", or the id as reported.</summary>
    public static string Describe(string? planLegacyId) => planLegacyId?.ToLowerInvariant() switch
    {
        Free => "Free",
        Pro => "Pro",
        Business => "Business",
        Enterprise => "Enterprise",
        null => "unreported",
        _ => planLegacyId,
    };

    /// <summary>
    /// True only when the plan is one of the four and the table says it includes the feature: for a read that costs a
    /// request and that an unknown plan may refuse, unlike <see cref="Includes(string, string?)"/>, which gives an unknown
    /// plan the benefit of the doubt.
    /// </summary>
    public static bool KnownToInclude(string feature, string? planLegacyId) =>
        planLegacyId is not null && AllPlans.Contains(planLegacyId.ToLowerInvariant(), StringComparer.Ordinal) && Includes(feature, planLegacyId);

    /// <summary>True unless the table says the plan lacks the feature.</summary>
    public static bool Includes(string feature, string? planLegacyId) => Includes(feature, planLegacyId, Table);

    internal static string? NotAvailable(Zone zone, string feature, string featureName, IReadOnlyDictionary<string, IReadOnlyList<string>> table)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Includes(feature, zone.PlanLegacyId, table)
            ? null
            : $"zone {zone.Name}: {featureName} is not available on the {zone.PlanLegacyId!.ToLowerInvariant()} plan";
    }

    internal static bool Includes(string feature, string? planLegacyId, IReadOnlyDictionary<string, IReadOnlyList<string>> table)
    {
        if (planLegacyId is null || !table.TryGetValue(feature, out var plans))
        {
            return true;
        }
        var plan = planLegacyId.ToLowerInvariant();
        return !AllPlans.Contains(plan, StringComparer.Ordinal) || plans.Contains(plan, StringComparer.Ordinal);
    }
}
