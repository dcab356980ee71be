using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>
/// The zone's bot protection is on, as far as its plan allows: Bot Fight Mode on Free, Super Bot Fight Mode acting on
/// definitely automated traffic on Pro and Business (and Enterprise without the add-on), or Bot Management for Enterprise.
/// </summary>
internal sealed class ZoneBotProtection : ICheck
{
    private static readonly ZoneRead Read = new("bot_management", "the bot management configuration", "Bot Management Read");

    /// <summary>Super Bot Fight Mode actions that stop automated traffic ("allow" lets it through).</summary>
    private static readonly string[] Acting = ["block", "managed_challenge", "challenge", "js_challenge"];

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-bot-protection",
        Title: "Zone has bot protection on, as its plan allows",
        Severity: Severity.Medium,
        Asserts: "Each active zone has bot protection on (GET /zones/{zone_id}/bot_management): Bot Fight Mode (fight_mode) on the Free plan; " +
                 "Super Bot Fight Mode blocking or challenging definitely automated traffic (sbfm_definitely_automated) on Pro, Business and Enterprise; " +
                 "or the Bot Management for Enterprise subscription. Super Bot Fight Mode is not asked of Free zones, which cannot have it.",
        Remediation: "Turn on Bot Fight Mode (Free) or set Super Bot Fight Mode's 'Definitely automated' to Block or Managed Challenge (Pro and above) " +
                     "in the Cloudflare dashboard under Security > Bots (or PUT /zones/{zone_id}/bot_management).",
        Frameworks: [Soc2.CC6_6, Soc2.CC6_8, Iso27001.A8_20, Iso27001.A8_26, PciDss.R6_4_1, PciDss.R6_4_2],
        Needs: DataNeeds.Zones | DataNeeds.BotManagement);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => security.Features?.BotManagement is { } config
            ? Judge(zone, config)
            : ZoneScope.Unreadable(context, zone, Read));

    private static Finding Judge(Zone zone, BotManagementConfig config)
    {
        var plan = PlanFeatures.Describe(zone.PlanLegacyId);
        if (config.IsEnterpriseBotManagement && PlanFeatures.Includes(PlanFeatures.BotManagement, zone.PlanLegacyId))
        {
            var model = config.AutoUpdateModel == false ? "; its detection model does not update itself (auto_update_model off)" : "";
            return zone.Pass($"zone {zone.Name} has Bot Management for Enterprise: every request gets a bot score{model}");
        }

        var definitely = config.SbfmDefinitelyAutomated;
        if (PlanFeatures.Includes(PlanFeatures.SuperBotFightMode, zone.PlanLegacyId) && IsActing(definitely))
        {
            var likely = config.SbfmLikelyAutomated is { } l ? $", likely automated: {l}" : "";
            return zone.Pass($"zone {zone.Name} ({plan} plan) has Super Bot Fight Mode on: definitely automated traffic: {definitely}{likely}");
        }

        if (config.FightMode == true)
        {
            return zone.Pass($"zone {zone.Name} ({plan} plan) has Bot Fight Mode on");
        }

        // A plan with Super Bot Fight Mode is judged on it when Cloudflare answered in its shape, or answered neither shape.
        var answeredSbfm = definitely is not null || config.FightMode is null;
        if (PlanFeatures.Includes(PlanFeatures.SuperBotFightMode, zone.PlanLegacyId) && answeredSbfm)
        {
            return zone.Fail($"zone {zone.Name} ({plan} plan) has Super Bot Fight Mode letting definitely automated traffic through (sbfm_definitely_automated: {definitely ?? "not set"})",
                $"Cloudflare dashboard > {zone.Name} > Security > Bots > Configure Super Bot Fight Mode: set 'Definitely automated' to Block or Managed Challenge " +
                $"(API: PUT /zones/{zone.Id}/bot_management with {{\"sbfm_definitely_automated\":\"managed_challenge\"}}).");
        }

        return zone.Fail($"zone {zone.Name} ({plan} plan) has Bot Fight Mode off (fight_mode: {(config.FightMode is null ? "not reported" : "false")})",
            $"Cloudflare dashboard > {zone.Name} > Security > Bots: turn Bot Fight Mode on (API: PUT /zones/{zone.Id}/bot_management with {{\"fight_mode\":true}}).");
    }

    private static bool IsActing(string? action) => action is not null && Acting.Contains(action, StringComparer.OrdinalIgnoreCase);
}
