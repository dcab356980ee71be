using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>What the ruleset-phase zone checks share: the reason for an entrypoint the sync did not read.</summary>
internal static class RulesetReads
{
    /// <summary>Unknown, naming the failed read of this phase's entrypoint, or of the zone's rulesets list, with the missing permission.</summary>
    public static Finding Unreadable(EvaluationContext context, Zone zone, ZoneRead read, string phase)
    {
        var gap = ZoneScope.GapOf(context, zone, read.GapResourceType, whatContains: $"/phases/{phase}/")
            ?? ZoneScope.GapOf(context, zone, read.GapResourceType, whatContains: "/rulesets");
        return gap is null
            ? zone.Unknown($"{read.What} of zone {zone.Name} was not read (no check selected for the sync needed it, or the Cloudflare API did not report it)",
                $"Check that the API token has the '{read.Permission}' permission for {zone.Name}, then run `vigil sync` with this check enabled.")
            : zone.Unknown($"{read.What} of zone {zone.Name} could not be read: {Findings.Describe(gap)}", Findings.Remediation(gap));
    }
}
