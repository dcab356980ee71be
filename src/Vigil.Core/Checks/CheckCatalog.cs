using Vigil.Core.Checks.Access;
using Vigil.Core.Checks.Dns;
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
        new SuperAdminsBounded(),
        new InvitesNotStale(),
        new AccountTokensHygiene(),
        new DnsSpf(),
        new DnsDmarc(),
        new DnsCaa(),
        new DnsNoInternalTargets(),
        new DnsProxied(),
        new DnsNoWildcard(),
        new DnsDangling(),
        new ZoneTls13(),
        new ZoneAutomaticHttpsRewrites(),
        new ZoneUniversalSsl(),
        new ZoneBrowserIntegrityCheck(),
        new ZoneUnderAttackNotPermanent(),
        new ZoneDevelopmentModeOff(),
        new ZoneEmailObfuscation(),
        new ZoneAuthenticatedOriginPulls(),
        new ZoneCustomRulesPresent(),
        new ZoneRateLimiting(),
        new ZoneBotProtection(),
        new ZoneLogsExported(),
        new ReviewRevocationsApplied(),
        new AccessReviewed(),
        new AdminChangesReviewed(),
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

    /// <summary>The zone ruleset phases a sync reads for these checks: <see cref="Inventory.RulesetPhases.Synced"/> and every phase one of them declares.</summary>
    public static IReadOnlyList<string> ZonePhasesOf(IEnumerable<ICheck> checks) =>
        [.. Inventory.RulesetPhases.Synced.Concat(checks.SelectMany(c => c.Definition.Phases ?? [])).Distinct(StringComparer.Ordinal)];
}
