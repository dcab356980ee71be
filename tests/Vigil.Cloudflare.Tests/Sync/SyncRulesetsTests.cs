using System.Text.Json.Nodes;
using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>Call economy of the rulesets reads: one list per zone and per account, then only the entrypoints that exist.</summary>
public sealed class SyncRulesetsTests
{
    private const string ZoneEntrypointRoute = "GET /zones/{zone_id}/rulesets/phases/{phase}/entrypoint";
    private const string AccountListRoute = "GET /accounts/{account_id}/rulesets";
    private const string AccountEntrypointRoute = "GET /accounts/{account_id}/rulesets/phases/{phase}/entrypoint";
    private const string NoAccountWaf = "cfut_test_no_account_waf_0000000000000000";

    private static ScenarioRuleset Entrypoint(string id, string kind, string phase, params ScenarioRule[] rules) =>
        new() { Id = id, Name = "entrypoint", Kind = kind, Phase = phase, Rules = [.. rules] };

    private static async Task<(CloudflareSimulator Sim, TestHost Host, Connection Connection, SyncRun Run)> SyncAsync(Scenario scenario, string token = TestScenario.ReadAll)
    {
        var sim = await TestScenario.StartAsync(scenario);
        var host = new TestHost(sim.BaseUrl);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(token), CancellationToken.None);
        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);
        return (sim, host, connection, run);
    }

    [Fact]
    public async Task Only_the_entrypoints_a_zone_has_are_fetched()
    {
        // Two accounts, 6 zones each: zone 0 pending, zone 1 paused, zones 2..5 active; zones 2 and 5 have a managed entrypoint.
        var scenario = TestScenario.Build((1, 1, 6), (1, 1, 6));
        var configZone = scenario.Accounts[0].Zones[3];
        configZone.Rulesets.Add(Entrypoint(TestScenario.Id('c', 0, 1), "zone", RulesetPhases.ConfigSettings,
            new ScenarioRule { Id = TestScenario.Id('c', 0, 2), Action = "set_config", Expression = "http.host eq \"legacy.example\"" }));
        var (sim, host, connection, run) = await SyncAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(8, sim.Stats.CountFor("GET /zones/{zone_id}/rulesets"));
        Assert.Equal(4 + 1, sim.Stats.CountFor(ZoneEntrypointRoute));
        Assert.Equal(TestScenario.InfraCalls(scenario), run.Counts.ApiCalls);

        var zones = host.Store.Infra[connection.Id].Data.Zones.Where(z => z.IsMonitored).ToDictionary(z => z.Id);
        var bare = zones[scenario.Accounts[1].Zones[4].Id].Security!.Entrypoints;
        // Every check selected: the rate limiting phase is read too (known absent from the list, so it costs no call).
        Assert.Equal(Vigil.Core.Checks.CheckCatalog.ZonePhasesOf(Vigil.Core.Checks.CheckCatalog.All).Order(), bare.Keys.Order());
        Assert.Contains(RulesetPhases.RateLimit, bare.Keys);
        Assert.All(bare.Values, Assert.Null);
        Assert.NotNull(zones[configZone.Id].Security!.Entrypoints[RulesetPhases.ConfigSettings]);
        Assert.NotNull(zones[scenario.Accounts[0].Zones[2].Id].Security!.Entrypoints[RulesetPhases.ManagedWaf]);
    }

    [Fact]
    public async Task Account_rulesets_are_read_once_per_account_and_judged_with_each_zone()
    {
        var scenario = TestScenario.Build((1, 1, 6), (1, 1, 6), (1, 1, 0));
        var account = scenario.Accounts[0];
        account.Rulesets.Add(Entrypoint(TestScenario.Id('c', 1, 1), "root", RulesetPhases.CustomFirewall,
            new ScenarioRule
            {
                Id = TestScenario.Id('c', 1, 2),
                Action = "skip",
                Expression = "true",
                ActionParameters = new JsonObject { ["phases"] = new JsonArray("http_request_firewall_managed") },
            }));
        var (sim, host, connection, run) = await SyncAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(2, sim.Stats.CountFor(AccountListRoute)); // the third account owns no zone
        Assert.Equal(1, sim.Stats.CountFor(AccountEntrypointRoute));
        Assert.Equal(TestScenario.InfraCalls(scenario), run.Counts.ApiCalls);
        var stored = host.Store.Infra[connection.Id].Data.AccountRulesets!;
        var read = Assert.Single(stored, a => a.AccountId == account.Id);
        var skip = Assert.Single(read.Entrypoints[RulesetPhases.CustomFirewall]!.Rules);
        Assert.Equal([RulesetPhases.ManagedWaf], skip.Skip!.Phases);
        Assert.Null(read.Entrypoints[RulesetPhases.ManagedWaf]);

        var snapshot = (await host.Store.LoadCurrentSnapshotAsync(CancellationToken.None))!;
        var waf = Vigil.Core.Checks.CheckRunner.Evaluate(
            Vigil.Core.Checks.EvaluationContext.Create(snapshot, [], [], null, snapshot.TakenAt), Vigil.Core.Checks.CheckCatalog.All)
            .Results.Single(r => r.CheckId == "cloudflare.zone-waf-managed");
        var protectedZone = account.Zones[2];
        Assert.Contains(waf.Findings, f => f.ResourceId == protectedZone.Id && f.Status == Vigil.Core.Checks.FindingStatus.Fail
            && f.Reason.Contains("account-level custom rule", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreadable_account_rulesets_are_a_gap_not_a_stage_failure()
    {
        var scenario = TestScenario.Build((1, 1, 4));
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = TestScenario.Id('8', 0, 99),
            Value = NoAccountWaf,
            UserEmail = TestScenario.GlobalKeyEmail,
            Permissions = [.. PermissionGroups.AllRead.Where(g => g != PermissionGroups.AccountWafRead).Select(g => new TokenPermission { Group = g })],
        });
        var (sim, host, connection, run) = await SyncAsync(scenario, NoAccountWaf);
        await using var _ = sim;
        using var __ = host;

        Assert.Equal(SyncStatus.Partial, run.Status);
        var gap = Assert.Single(run.Skipped);
        Assert.Equal(("account_ruleset", scenario.Accounts[0].Id, "Account WAF Read"), (gap.ResourceType, gap.ResourceId, gap.MissingPermission));
        Assert.NotNull(run.Stages.Single().CommittedAt);
        Assert.Empty(host.Store.Infra[connection.Id].Data.AccountRulesets!);
    }

    [Fact]
    public async Task A_managed_ruleset_is_read_once_to_weigh_category_overrides()
    {
        var scenario = TestScenario.Build((1, 1, 6));
        foreach (var zone in scenario.Accounts[0].Zones.Where(z => z.Rulesets.Count > 0))
        {
            var rule = zone.Rulesets[0].Rules[0];
            rule.OverridesEnabled = null;
            rule.ActionParameters = JsonNode.Parse("""{"overrides": {"categories": [{"category": "wordpress", "enabled": false}, {"category": "sqli", "enabled": false}, {"category": "xss", "action": "log"}, {"category": "drupal", "enabled": false}]}}""")!.AsObject();
        }
        var (sim, host, connection, run) = await SyncAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(1, sim.Stats.CountFor("GET /zones/{zone_id}/rulesets/{ruleset_id}"));
        Assert.Equal(TestScenario.InfraCalls(scenario), run.Counts.ApiCalls);
        var zones = host.Store.Infra[connection.Id].Data.Zones.Where(z => z.Security?.Entrypoints.GetValueOrDefault(RulesetPhases.ManagedWaf) is not null).ToList();
        Assert.Equal(2, zones.Count);
        // The simulator's Cloudflare Managed Ruleset: 10 rules, 2 wordpress + 2 sqli + 2 xss + 1 drupal.
        Assert.All(zones, z => Assert.Equal(new OverrideCoverage(10, 7), z.Security!.Entrypoints[RulesetPhases.ManagedWaf]!.Rules[0].Coverage));
    }

    [Fact]
    public async Task A_server_without_the_rulesets_list_gets_each_entrypoint_asked_for()
    {
        var scenario = TestScenario.Build((1, 1, 4));
        await using var sim = await TestScenario.StartAsync(scenario);
        sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, PathPattern = "/rulesets$", StatusCode = 404 });
        using var host = new TestHost(sim.BaseUrl);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(TestScenario.ReadAll), CancellationToken.None);

        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        var phases = Vigil.Core.Checks.CheckCatalog.ZonePhasesOf(Vigil.Core.Checks.CheckCatalog.All);
        Assert.Equal(2 * phases.Count, sim.Stats.CountFor(ZoneEntrypointRoute));
        Assert.Equal(RulesetPhases.SyncedAtAccount.Count, sim.Stats.CountFor(AccountEntrypointRoute));
        var zones = host.Store.Infra[connection.Id].Data.Zones.Where(z => z.IsMonitored).ToList();
        Assert.Single(zones, z => z.Security!.Entrypoints[RulesetPhases.ManagedWaf] is not null);
        Assert.All(zones, z => Assert.Equal(phases.Order(), z.Security!.Entrypoints.Keys.Order()));
    }

    [Fact]
    public void A_zone_with_only_a_managed_waf_deployment_costs_at_most_two_calls_more()
    {
        const int Before = 6 + 1 + 3; // per-setting reads, DNSSEC, three entrypoints whether they existed or not
        // Now: 5 per-setting reads (security_level retired), DNSSEC, the rulesets list, the one entrypoint it lists, page rules.
        // (The checks of the same catalogue: the zone configuration checks added since cost their own calls, below.)
        Assert.Equal(9, SyncCallPlan.PerZone(batchSettingsAvailable: false, entrypoints: 1, featureSettings: 0, featureReads: 0));
        Assert.True(SyncCallPlan.PerZone(batchSettingsAvailable: false, entrypoints: 1, featureSettings: 0, featureReads: 0) <= Before + 2);
        // A paid-plan zone also reads its per-hostname TLS settings: still within the bound.
        Assert.True(SyncCallPlan.PerZone(batchSettingsAvailable: false, entrypoints: 1, readsHostnameTls: true, featureSettings: 0, featureReads: 0) <= Before + 2);
        Assert.Equal(5, SyncCallPlan.PerZone(batchSettingsAvailable: true, entrypoints: 1, featureSettings: 0, featureReads: 0));
    }

    [Fact]
    public void The_zone_configuration_checks_add_six_setting_reads_once_the_batch_call_has_ended_and_two_reads_always()
    {
        // tls_1_3, automatic_https_rewrites, browser_check, security_level, development_mode, email_obfuscation; Universal SSL and origin pulls.
        Assert.Equal(9 + 6 + 2, SyncCallPlan.PerZone(batchSettingsAvailable: false, entrypoints: 1));
        Assert.Equal(5 + 2, SyncCallPlan.PerZone(batchSettingsAvailable: true, entrypoints: 1));
        Assert.Equal(SyncCallPlan.FeatureSettingCalls, ZoneReads.For(Core.Checks.CheckCatalog.All).ExtraSettings.Count);
    }
}
