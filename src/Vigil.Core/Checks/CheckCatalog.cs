using Vigil.Core.Checks.Access;
using Vigil.Core.Checks.Zones;

namespace Vigil.Core.Checks;

/// <summary>Every check Vigil runs, in report order: access review first, then zone configuration.</summary>
public static class CheckCatalog
{
    public static IReadOnlyList<ICheck> All { get; } =
    [
        new UserIdentified(),
        new OffboardedAccessRemoved(),
        new AccessControlConfigured(),
        new UserAccessValid(),
        new Member2faEnabled(),
        new Account2faEnforced(),
        new ZoneSslStrict(),
        new ZoneMinTls12(),
        new ZoneAlwaysHttps(),
        new ZoneHsts(),
        new ZoneDnssec(),
        new ZoneWafManaged(),
        new ZoneNotPaused(),
        new ReviewRevocationsApplied(),
        new AccessReviewed(),
    ];

    /// <summary>
    /// Ids of checks Vigil no longer runs. Evaluations stored before a check was retired keep its results under its id;
    /// reports show them with the id as title.
    /// </summary>
    /// <remarks>cloudflare.zone-security-level: since 2025 Cloudflare sets the threat score to 0 and security_level only switches "I'm Under Attack" mode.</remarks>
    public static IReadOnlyList<string> Retired { get; } = ["cloudflare.zone-security-level"];

    /// <summary>The check with this id (case-insensitive); null when none.</summary>
    public static ICheck? Find(string id) => All.FirstOrDefault(c => c.Definition.Id.Equals(id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The union of what the given checks need: what a sync must fetch for them.</summary>
    public static DataNeeds NeedsOf(IEnumerable<ICheck> checks) => checks.Aggregate(DataNeeds.None, (needs, c) => needs | c.Definition.Needs);
}
