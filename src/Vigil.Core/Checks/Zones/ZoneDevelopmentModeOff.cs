using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>The zone serves through Cloudflare's cache, not in Development Mode.</summary>
internal sealed class ZoneDevelopmentModeOff : ICheck, INeedsZoneSettings
{
    private const string Setting = "development_mode";

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-development-mode-off",
        Title: "Zone is not in Development Mode",
        Severity: Severity.Low,
        Asserts: "Each active zone has Development Mode off (setting development_mode = off). Development Mode bypasses Cloudflare's cache and sends every request to the origin; it is meant for a few hours of work, and a production zone left in it runs outside its reviewed configuration.",
        Remediation: "Turn off Development Mode in the Cloudflare dashboard under Caching > Configuration, or PATCH /zones/{zone_id}/settings/development_mode with {\"value\": \"off\"}.",
        Frameworks: [Soc2.CC7_1, Soc2.CC8_1, Iso27001.A8_9, Iso27001.A8_32, PciDss.R2_2],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IReadOnlyList<string> ZoneSettings { get; } = [Setting];

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneFeatureScope.EvaluateSetting(context, Setting, "Development Mode", (zone, value) => value.Equals("off", StringComparison.OrdinalIgnoreCase)
            ? zone.Pass($"zone {zone.Name} has Development Mode off")
            : zone.Fail($"zone {zone.Name} has Development Mode {value}; every request bypasses Cloudflare's cache to the origin",
                $"Turn off Cloudflare dashboard > {zone.Name} > Caching > Configuration > Development Mode (or PATCH /zones/{zone.Id}/settings/development_mode with {{\"value\": \"off\"}})."));
}
