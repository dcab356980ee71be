using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks.Zones;

/// <summary>Requests with headers typical of abusive clients are challenged.</summary>
internal sealed class ZoneBrowserIntegrityCheck : ICheck, INeedsZoneSettings
{
    private const string Setting = "browser_check";

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-browser-integrity-check",
        Title: "Zone has Browser Integrity Check on",
        Severity: Severity.Low,
        Asserts: "Each active zone has Browser Integrity Check on (setting browser_check = on): requests whose HTTP headers are typical of spammers and bots (e.g. a missing or non-standard user agent) are challenged before they reach the origin.",
        Remediation: "Turn on Browser Integrity Check in the Cloudflare dashboard under Security > Settings, or PATCH /zones/{zone_id}/settings/browser_check with {\"value\": \"on\"}.",
        Frameworks: [Soc2.CC6_6, Soc2.CC6_8, Iso27001.A8_20, Iso27001.A8_26, PciDss.R6_4_2],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IReadOnlyList<string> ZoneSettings { get; } = [Setting];

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneFeatureScope.EvaluateSetting(context, Setting, "Browser Integrity Check", (zone, value) => value.Equals("on", StringComparison.OrdinalIgnoreCase)
            ? zone.Pass($"zone {zone.Name} has Browser Integrity Check on")
            : zone.Fail($"zone {zone.Name} has Browser Integrity Check {value}; requests with suspicious headers reach the origin unchallenged",
                $"Turn on Cloudflare dashboard > {zone.Name} > Security > Settings > Browser Integrity Check (or PATCH /zones/{zone.Id}/settings/browser_check with {{\"value\": \"on\"}})."));
}
