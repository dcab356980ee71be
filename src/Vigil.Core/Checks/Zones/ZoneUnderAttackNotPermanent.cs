using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>"I'm Under Attack" mode is an incident measure, not a standing configuration.</summary>
/// <remarks>
/// The check stays pure: it compares dates only. The sync records in <see cref="ZoneFeatures.UnderAttackSince"/> since
/// when Vigil's snapshots have seen the zone's security_level at under_attack (carried forward from the previous
/// snapshot, set at the read that first saw it). A zone fails once the snapshot being judged was read more than
/// <see cref="MaxDays"/> days after that date, i.e. when two snapshots more than 7 days apart both show it on.
/// </remarks>
internal sealed class ZoneUnderAttackNotPermanent : ICheck, INeedsZoneSettings
{
    private const string Setting = "security_level";
    private const string UnderAttack = "under_attack";

    /// <summary>The longest stretch of I'm Under Attack mode that passes, in days.</summary>
    public const int MaxDays = 7;

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-under-attack-not-permanent",
        Title: "Zone is not left in I'm Under Attack mode",
        Severity: Severity.Medium,
        Asserts: "No active zone has had its security level at I'm Under Attack (security_level = under_attack) in two snapshots more than 7 days apart. The mode challenges every visitor and breaks API clients; left on, it is an unreviewed standing change rather than an incident response.",
        Remediation: "Once the attack is over, set the security level back in the Cloudflare dashboard under Security > Settings (turn off I'm Under Attack mode), or PATCH /zones/{zone_id}/settings/security_level with {\"value\": \"medium\"}; use WAF custom or rate limiting rules for standing protection.",
        Frameworks: [Soc2.CC7_2, Soc2.CC7_4, Iso27001.A8_9, Iso27001.A8_16, PciDss.R2_2],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IReadOnlyList<string> ZoneSettings { get; } = [Setting];

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneFeatureScope.EvaluateSetting(context, Setting, "I'm Under Attack mode", (zone, level) => Judge(context, zone, level));

    private static Finding Judge(EvaluationContext context, Zone zone, string level)
    {
        if (!level.Equals(UnderAttack, StringComparison.OrdinalIgnoreCase))
        {
            return zone.Pass($"zone {zone.Name} has security level {level}; I'm Under Attack mode is off");
        }

        var seenAt = context.Snapshot.InfraSyncedAt ?? context.Snapshot.TakenAt;
        var since = zone.Security?.Features?.UnderAttackSince ?? seenAt;
        var on = seenAt - since;
        var days = (int)Math.Floor(on.TotalDays);
        var sinceText = since.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        if (on <= TimeSpan.FromDays(MaxDays))
        {
            // Under a day: the first snapshot that saw it (its date is the read, a little before the snapshot's commit).
            return zone.Pass(days == 0
                ? $"zone {zone.Name} is in I'm Under Attack mode, first seen on {sinceText}; it fails if a snapshot more than {MaxDays} days later still shows it"
                : $"zone {zone.Name} has been in I'm Under Attack mode since {sinceText} ({days} day{(days == 1 ? "" : "s")}), within the {MaxDays}-day limit");
        }

        return zone.Fail($"zone {zone.Name} has been in I'm Under Attack mode since {sinceText}: {days} days across snapshots, more than {MaxDays}",
            $"If the attack is over, turn off I'm Under Attack mode in Cloudflare dashboard > {zone.Name} > Security > Settings > Security level (or PATCH /zones/{zone.Id}/settings/security_level with {{\"value\": \"medium\"}}); protect the zone with WAF custom or rate limiting rules instead.");
    }
}
