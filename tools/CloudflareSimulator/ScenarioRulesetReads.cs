namespace Vigil.Simulation;

/// <summary>
/// What a client that reads only the rulesets that exist must request for a scenario, for tests and the bench to
/// compare against Vigil's SyncCallPlan: zone entrypoints of the managed, custom and config-settings phases, account
/// entrypoints of the managed and custom phases (for accounts owning a monitored zone), and each managed ruleset
/// deployed with overrides that turn categories or rules off.
/// </summary>
public static class ScenarioRulesetReads
{
    private static readonly string[] ZonePhases = ["http_request_firewall_managed", "http_request_firewall_custom", "http_config_settings"];
    private static readonly string[] AccountPhases = ["http_request_firewall_managed", "http_request_firewall_custom"];

    public sealed record Counts(int ZoneEntrypoints, int Accounts, int AccountEntrypoints, int ManagedRulesetsWeighed);

    public static Counts Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var owners = scenario.Accounts.Where(a => a.Zones.Any(IsMonitored)).ToList();
        var zoneEntrypoints = owners.SelectMany(a => a.Zones.Where(IsMonitored))
            .SelectMany(z => z.Rulesets.Where(r => r.Kind == "zone" && ZonePhases.Contains(r.Phase))).ToList();
        var accountEntrypoints = owners.SelectMany(a => a.Rulesets.Where(r => r.Kind == "root" && AccountPhases.Contains(r.Phase))).ToList();
        var weighed = zoneEntrypoints.Concat(accountEntrypoints)
            .Where(r => r.Phase == "http_request_firewall_managed")
            .SelectMany(r => r.Rules)
            .Where(rule => rule.Action == "execute" && rule.ExecuteRulesetId is not null && TurnsSomethingOff(rule))
            .Select(rule => rule.ExecuteRulesetId!)
            .Distinct(StringComparer.Ordinal)
            .Count();
        return new Counts(zoneEntrypoints.Count, owners.Count, accountEntrypoints.Count, weighed);
    }

    private static bool IsMonitored(ScenarioZone zone) => zone.Status == "active" && !zone.Paused;

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
