namespace Vigil.Core.Checks;

/// <summary>
/// Which Cloudflare plans include each feature a check judges, by the plan's legacy id ("free", "pro", "business",
/// "enterprise"). A check whose feature the zone's plan lacks is skipped with "not available on the PLAN plan", never
/// failed. The one place plan applicability lives; each row names its source.
/// </summary>
internal static class PlanFeatures
{
    /// <summary>Custom rules of the WAF (phase http_request_firewall_custom): every plan (Free 5 rules, Pro 20, Business 100, Enterprise 1,000).
    /// Source: developers.cloudflare.com/waf/custom-rules/ (Availability).</summary>
    public const string CustomRules = "custom_rules";

    /// <summary>Rate limiting rules (phase http_ratelimit): every plan (Free 1 rule, Pro 2, Business 5, Enterprise more; fields and periods vary).
    /// Source: developers.cloudflare.com/waf/rate-limiting-rules/ (Availability) and the learning path's features table.</summary>
    public const string RateLimitingRules = "rate_limiting_rules";

    /// <summary>Bot Fight Mode: the Free plan's bot protection (fight_mode in GET /zones/{id}/bot_management).
    /// Source: developers.cloudflare.com/bots/plans/ and /bots/get-started/bot-fight-mode/.</summary>
    public const string BotFightMode = "bot_fight_mode";

    /// <summary>Super Bot Fight Mode: Pro, Business and Enterprise (without the Bot Management add-on); not on Free.
    /// Source: developers.cloudflare.com/bots/plans/ and /bots/get-started/super-bot-fight-mode/.</summary>
    public const string SuperBotFightMode = "super_bot_fight_mode";

    /// <summary>Bot Management for Enterprise (bot scores): an Enterprise add-on.
    /// Source: developers.cloudflare.com/bots/plans/bm-subscription/.</summary>
    public const string BotManagement = "bot_management";

    /// <summary>Logpush of the zone datasets http_requests and firewall_events: Enterprise only (Cloudflare's OpenAPI
    /// x-cfPlanAvailability of the zone Logpush operations lists enterprise alone).
    /// Source: developers.cloudflare.com/logs/logpush/ (Availability), api.cloudflare.com zone Logpush jobs operations.</summary>
    public const string Logpush = "logpush";

    private static readonly string[] AllPlans = ["free", "pro", "business", "enterprise"];

    private static readonly Dictionary<string, HashSet<string>> Plans = new(StringComparer.Ordinal)
    {
        [CustomRules] = [.. AllPlans],
        [RateLimitingRules] = [.. AllPlans],
        [BotFightMode] = [.. AllPlans],
        [SuperBotFightMode] = ["pro", "business", "enterprise"],
        [BotManagement] = ["enterprise"],
        [Logpush] = ["enterprise"],
    };

    /// <summary>
    /// True when a zone on the plan can have the feature. An unreported plan (null) or a plan id Vigil does not know
    /// counts as including it, so the check judges what was read rather than skip a zone that may have it.
    /// </summary>
    /// <exception cref="ArgumentException">The feature is not in the table.</exception>
    public static bool Includes(string feature, string? planLegacyId)
    {
        if (!Plans.TryGetValue(feature, out var plans))
        {
            throw new ArgumentException($"'{feature}' is not a feature in the plan table.", nameof(feature));
        }
        if (planLegacyId is null || !AllPlans.Contains(planLegacyId.ToLowerInvariant()))
        {
            return true;
        }
        return plans.Contains(planLegacyId.ToLowerInvariant());
    }

    /// <summary>"not available on the Free plan": the reason a check gives for a zone whose plan lacks the feature.</summary>
    public static string NotAvailable(string? planLegacyId) => $"not available on the {Describe(planLegacyId)} plan";

    /// <summary>"Free", "Pro", "Business", "Enterprise", or the id as reported.</summary>
    public static string Describe(string? planLegacyId) => planLegacyId?.ToLowerInvariant() switch
    {
        "free" => "Free",
        "pro" => "Pro",
        "business" => "Business",
        "enterprise" => "Enterprise",
        null => "unreported",
        _ => planLegacyId,
    };
}
