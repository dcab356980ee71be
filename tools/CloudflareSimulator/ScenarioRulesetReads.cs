namespace Vigil.Simulation;

/// <summary>
/// What a client that reads only the rulesets that exist must request for a scenario, for tests and the bench to
/// compare against Vigil's SyncCallPlan: zone entrypoints of the managed, custom, config-settings and rate limiting phases, account
/// entrypoints of the managed and custom phases (for accounts owning a monitored zone), and each managed ruleset
/// deployed with overrides that turn categories or rules off; with the zone protection checks also the bot management
/// of each monitored zone, the Logpush jobs of each monitored Enterprise zone and of each account owning one.
/// </summary>
public static class ScenarioRulesetReads
{
    private static readonly string[] ZonePhases = ["http_request_firewall_managed", "http_request_firewall_custom", "http_config_settings", "http_ratelimit"];
    private static readonly string[] AccountPhases = ["http_request_firewall_managed", "http_request_firewall_custom"];

    /// <param name="CertificatePackPages">With cloudflare.dns-caa: pages of GET /zones/{id}/ssl/certificate_packs (50 a page, at least 1) over the monitored zones whose DNS Cloudflare serves.</param>
    public sealed record Counts(int ZoneEntrypoints, int Accounts, int AccountEntrypoints, int ManagedRulesetsWeighed,
        int BotManagementZones = 0, int LogpushZones = 0, int LogpushAccounts = 0, int CertificatePackPages = 0);

    public static Counts Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var owners = scenario.Accounts.Where(a => a.Zones.Any(IsMonitored)).ToList();
        var zoneEntrypoints = owners.SelectMany(a => a.Zones.Where(IsMonitored))
            .SelectMany(z => z.Rulesets.Where(r => r.Kind == "zone" && ZonePhases.Contains(r.Phase))).ToList();
        var accountEntrypoints = owners.SelectMany(a => a.Rulesets.Where(r => r.Kind == "root" && AccountPhases.Contains(r.Phase))).ToList();
        var weighed = ManagedRulesetsWeighedBy(owners.SelectMany(a => a.Zones), owners);
        var monitored = owners.SelectMany(a => a.Zones.Where(IsMonitored)).ToList();
        return new Counts(zoneEntrypoints.Count, owners.Count, accountEntrypoints.Count, weighed,
            BotManagementZones: monitored.Count,
            LogpushZones: monitored.Count(z => z.Plan.LegacyId == "enterprise"),
            LogpushAccounts: owners.Count(a => a.Zones.Any(z => IsMonitored(z) && z.Plan.LegacyId == "enterprise")),
            CertificatePackPages: monitored.Where(z => z.Type is not ("partial" or "secondary")).Sum(CertificatePackPages));
    }

    /// <summary>
    /// Distinct managed rulesets with overrides that turn categories or rules off, deployed by the entrypoints of the given
    /// monitored zones and accounts: what a sync that re-reads only those reads to weigh overrides (once per ruleset).
    /// </summary>
    public static int ManagedRulesetsWeighedBy(IEnumerable<ScenarioZone> zones, IEnumerable<ScenarioAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(accounts);
        return zones.Where(IsMonitored).SelectMany(z => z.Rulesets.Where(r => r.Kind == "zone" && ZonePhases.Contains(r.Phase)))
            .Concat(accounts.SelectMany(a => a.Rulesets.Where(r => r.Kind == "root" && AccountPhases.Contains(r.Phase))))
            .Where(r => r.Phase == "http_request_firewall_managed")
            .SelectMany(r => r.Rules)
            .Where(rule => rule.Action == "execute" && rule.ExecuteRulesetId is not null && TurnsSomethingOff(rule))
            .Select(rule => rule.ExecuteRulesetId!)
            .Distinct(StringComparer.Ordinal)
            .Count();
    }

    private static bool IsMonitored(ScenarioZone zone) => zone.Status == "active" && !zone.Paused;

    /// <summary>Pages a client reading 50 packs a page makes for the zone's active packs (at least one).</summary>
    public static int CertificatePackPages(ScenarioZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return Math.Max(1, (zone.CertificatePacksOrDefault().Count(p => p.Status == "active") + 49) / 50);
    }

    private static bool TurnsSomethingOff(ScenarioRule rule)
    {
        if (rule.ActionParameters?["overrides"] is not System.Text.Json.Nodes.JsonObject overrides)
        {
            return false;
        }

        return new[] { "categories", "rules" }
            .SelectMany(key => overrides[key] is System.Text.Json.Nodes.JsonArray items ? items.OfType<System.Text.Json.Nodes.JsonObject>() : [])
            .Any(o => (o["enabled"] is { } enabled && enabled.GetValueKind() == System.Text.Json.JsonValueKind.False)
                || (o["action"] is { } action && action.GetValueKind() == System.Text.Json.JsonValueKind.String && action.GetValue<string>() == "log"));
    }
}
