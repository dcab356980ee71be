using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Cloudflare challenges visitors with a poor IP reputation instead of letting everyone through.</summary>
internal sealed class ZoneSecurityLevel : ICheck
{
    private static readonly ZoneRead Read = ZoneRead.Setting("security_level");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-security-level",
        Title: "Zone challenges visitors with a poor reputation",
        Severity: Severity.Low,
        Asserts: "Each active zone's security level (setting security_level) is neither off nor essentially_off, so Cloudflare challenges requests from IPs with a poor threat score.",
        Remediation: "Set the zone's security level to medium or higher through the API (PATCH /zones/{zone_id}/settings/security_level); the dashboard no longer offers the setting.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_1, Iso27001.A8_20, Iso27001.A8_21, Iso27001.A8_9],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.EvaluateSetting(context, Read, s => s.SecurityLevel, (zone, level) => level.ToLowerInvariant() is "off" or "essentially_off"
            ? zone.Fail($"zone {zone.Name} has security level {level}; no visitor is challenged for a poor reputation",
                $"Set the security level of {zone.Name} to medium or higher: PATCH /zones/{zone.Id}/settings/security_level with {{\"value\":\"medium\"}} (the Cloudflare dashboard no longer offers this setting).")
            : zone.Pass($"zone {zone.Name} has security level {level}"));
}
