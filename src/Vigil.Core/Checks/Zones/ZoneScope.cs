using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Core.Checks.Zones;

/// <summary>One read a zone check depends on: the gap type the sync records when it fails, and the permission that allows it.</summary>
/// <param name="GapResourceType">The <see cref="Sync.ReadGap.ResourceType"/> of a failed read: "zone_setting", "dnssec" or "ruleset".</param>
/// <param name="What">What was read, for reasons: "the ssl setting".</param>
/// <param name="Permission">The API token permission that allows the read.</param>
internal sealed record ZoneRead(string GapResourceType, string What, string Permission)
{
    public static ZoneRead Setting(string settingId) => new("zone_setting", $"the {settingId} setting", "Zone Settings Read");
}

/// <summary>
/// The shared frame of the zone checks, written once: missing infrastructure data, zones that could not be listed,
/// zones that are not active (Skipped), zones whose configuration was not read (Unknown). A check supplies only the
/// judgement of one readable zone.
/// </summary>
internal static class ZoneScope
{
    private const string Stage = "infra";

    public static IEnumerable<Finding> Evaluate(EvaluationContext context, ZoneRead read, Func<Zone, ZoneSecurity, Finding> judge) =>
        EvaluateZones(context, zone =>
            !zone.IsMonitored ? zone.Skip(NotMonitoredReason(zone))
            : zone.Security is null ? Unreadable(context, zone, read, $"the security configuration of zone {zone.Name}", anyGapOfZone: true)
            : judge(zone, zone.Security));

    /// <summary>
    /// The frame without the per-zone rules: missing infrastructure data, zones that could not be listed, no zones at
    /// all; <paramref name="judge"/> sees every listed zone, whatever its status.
    /// </summary>
    public static IEnumerable<Finding> EvaluateZones(EvaluationContext context, Func<Zone, Finding> judge)
    {
        // One finding per zone: yielded as judged, without a collection per zone (every zone check walks every zone).
        foreach (var finding in Frame(context))
        {
            yield return finding;
        }
        if (context.Snapshot.InfraSyncedAt is not null)
        {
            foreach (var zone in context.Snapshot.Zones)
            {
                yield return judge(zone);
            }
        }
    }

    /// <summary>The same frame for checks that judge many resources of one zone (e.g. its DNS records): any number of findings per zone.</summary>
    public static IEnumerable<Finding> EvaluateZones(EvaluationContext context, Func<Zone, IEnumerable<Finding>> judge)
    {
        foreach (var finding in Frame(context))
        {
            yield return finding;
        }
        if (context.Snapshot.InfraSyncedAt is not null)
        {
            foreach (var zone in context.Snapshot.Zones)
            {
                foreach (var finding in judge(zone))
                {
                    yield return finding;
                }
            }
        }
    }

    /// <summary>The findings of the frame itself, before any zone: no infrastructure data, zones that could not be listed, no zones.</summary>
    private static IEnumerable<Finding> Frame(EvaluationContext context)
    {
        var snapshot = context.Snapshot;
        if (snapshot.InfraSyncedAt is null)
        {
            yield return Findings.NotSynced(snapshot, "infrastructure");
            yield break;
        }

        var listingGaps = snapshot.Gaps.Any(g => g.Stage == Stage && g.ResourceType == "zone") ? ListingGaps(snapshot) : [];
        foreach (var gap in listingGaps)
        {
            yield return gap.ResourceId is { } accountId
                ? Findings.UnknownAccount(context, accountId, $"zones of {context.DescribeAccount(accountId)} could not be listed: {Findings.Describe(gap)}", Findings.Remediation(gap))
                : new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                    $"zones could not be listed: {Findings.Describe(gap)}", Findings.Remediation(gap));
        }

        if (snapshot.Zones.Count == 0 && listingGaps.Count == 0)
        {
            // An account may hold no zones (e.g. one used only for Workers): nothing is exposed, so the check passes vacuously.
            yield return new Finding(FindingStatus.Skipped, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                "no zones in the synced accounts; nothing to check", null);
        }
    }

    /// <summary>The gaps of zone listings: the whole listing, or zones of an account, rather than one zone that was listed.</summary>
    private static List<ReadGap> ListingGaps(Snapshot snapshot)
    {
        var zoneIds = snapshot.Zones.Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        return [.. snapshot.Gaps.Where(g => g.Stage == Stage && g.ResourceType == "zone" && (g.ResourceId is null || !zoneIds.Contains(g.ResourceId)))];
    }

    /// <summary>The recorded failure of a read of this zone (or of every zone) of the given gap type; null when none was recorded.</summary>
    /// <param name="whatContains">When set, only gaps whose request contains it (e.g. one phase of the "ruleset" reads).</param>
    public static ReadGap? GapOf(EvaluationContext context, Zone zone, string gapResourceType, string? whatContains = null)
    {
        var gaps = context.Snapshot.Gaps
            .Where(g => g.Stage == Stage && g.ResourceType == gapResourceType
                && (whatContains is null || g.What.Contains(whatContains, StringComparison.Ordinal)))
            .ToList();
        return gaps.FirstOrDefault(g => g.ResourceId == zone.Id) ?? gaps.FirstOrDefault(g => g.ResourceId is null);
    }

    /// <summary>For checks on one setting: a null value is Unknown (naming the gap); otherwise <paramref name="judge"/> decides.</summary>
    public static IEnumerable<Finding> EvaluateSetting(
        EvaluationContext context, ZoneRead read, Func<ZoneSecurity, string?> setting, Func<Zone, string, Finding> judge) =>
        Evaluate(context, read, (zone, security) => setting(security) is { Length: > 0 } value ? judge(zone, value) : Unreadable(context, zone, read));

    /// <summary>An Unknown finding for a value the sync did not read, naming the failed read and the missing permission when recorded.</summary>
    public static Finding Unreadable(EvaluationContext context, Zone zone, ZoneRead read) =>
        Unreadable(context, zone, read, $"{read.What} of zone {zone.Name}", anyGapOfZone: false);

    private static Finding Unreadable(EvaluationContext context, Zone zone, ZoneRead read, string what, bool anyGapOfZone)
    {
        var gaps = context.Snapshot.Gaps.Where(g => g.Stage == Stage).ToList();
        var gap = gaps.FirstOrDefault(g => g.ResourceId == zone.Id && g.ResourceType == read.GapResourceType)
            ?? gaps.FirstOrDefault(g => g.ResourceId is null && g.ResourceType == read.GapResourceType)
            ?? (anyGapOfZone ? gaps.FirstOrDefault(g => g.ResourceId == zone.Id) : null);
        return gap is null
            ? zone.Unknown($"{what} was not reported by the Cloudflare API",
                $"Check that the API token has the '{read.Permission}' permission for {zone.Name}, then run `vigil sync`.")
            : zone.Unknown($"{what} could not be read: {Findings.Describe(gap)}", Findings.Remediation(gap));
    }

    internal static string NotMonitoredReason(Zone zone) => zone.Paused
        ? $"zone {zone.Name} is paused: its traffic bypasses Cloudflare, so its Cloudflare settings do not apply"
        : $"zone {zone.Name} is {zone.Status}, not active: it does not serve traffic through Cloudflare yet";
}
