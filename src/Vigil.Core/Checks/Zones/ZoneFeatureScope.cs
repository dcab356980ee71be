using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>
/// The frame of checks on a zone's configuration beyond the core settings (<see cref="ZoneFeatures"/>): the zone frame
/// of <see cref="ZoneScope"/>, then plan applicability (<see cref="PlanFeatures"/>), then Unknown when the value was not
/// read, naming the failed read of this very value when the sync recorded one.
/// </summary>
internal static class ZoneFeatureScope
{
    /// <summary>For a setting read one by one (GET /zones/{id}/settings/{setting}), kept in <see cref="ZoneFeatures.Settings"/>.</summary>
    /// <param name="featureName">The setting as the dashboard names it, for reasons: "TLS 1.3".</param>
    public static IEnumerable<Finding> EvaluateSetting(EvaluationContext context, string settingId, string featureName, Func<Zone, string, Finding> judge) =>
        Evaluate(context, ZoneRead.Setting(settingId), settingId, featureName, $"/settings/{settingId}",
            (zone, security) => security.Features?.Settings?.GetValueOrDefault(settingId) is { Length: > 0 } value ? judge(zone, value) : null);

    /// <summary>For an on/off value read by its own call: <paramref name="value"/> picks it from the zone's configuration (null: not read).</summary>
    /// <param name="feature">The <see cref="PlanFeatures"/> row.</param>
    /// <param name="whatContains">Part of the read's request that tells its gap from other reads of the same gap type.</param>
    public static IEnumerable<Finding> EvaluateFlag(EvaluationContext context, ZoneRead read, string feature, string featureName, string whatContains,
        Func<ZoneFeatures, bool?> value, Func<Zone, ZoneSecurity, bool, Finding> judge) =>
        Evaluate(context, read, feature, featureName, whatContains,
            (zone, security) => security.Features is { } features && value(features) is { } flag ? judge(zone, security, flag) : null);

    /// <param name="judgeIfRead">The finding for a zone whose value was read; null when it was not.</param>
    private static IEnumerable<Finding> Evaluate(EvaluationContext context, ZoneRead read, string feature, string featureName, string whatContains,
        Func<Zone, ZoneSecurity, Finding?> judgeIfRead) =>
        ZoneScope.Evaluate(context, read, (zone, security) =>
            PlanFeatures.NotAvailable(zone, feature, featureName) is { } notAvailable ? zone.Skip(notAvailable)
            : judgeIfRead(zone, security) ?? Unreadable(context, zone, read, whatContains));

    private static Finding Unreadable(EvaluationContext context, Zone zone, ZoneRead read, string whatContains)
    {
        // The gap of this very read first; then any gap of its kind for the zone (a refused settings read stops the
        // zone's other setting reads, which are refused the same way), then a connection-wide one.
        var gap = ZoneScope.GapOf(context, zone, read.GapResourceType, whatContains);
        return gap is null ? ZoneScope.Unreadable(context, zone, read) : zone.Unknown($"{read.What} of zone {zone.Name} could not be read: {Findings.Describe(gap)}", Findings.Remediation(gap));
    }
}
