using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Configuration;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>
/// The call plan the bench's bound is built on (issue 20, call economy): for the whole catalogue and for selections that
/// turn families off (`--checks`), with the batch settings call answering and ended, it counts exactly the calls a full
/// sync of a generated organisation makes (bot management, Logpush and certificate packs included), as the simulator counts them.
/// </summary>
public sealed class SelectedSyncPlanTests
{
    public static TheoryData<string, bool> Selections() => new()
    {
        { "all", false }, { "all", true },
        { "access", false },
        { "zones", false }, { "zones", true },
        { "dns", false },
        { "access,zones", true },
        { "zones,dns", false },
        { "cloudflare.zone-bot-protection,cloudflare.zone-logs-exported", false },
        { "cloudflare.zone-tls-1-3", true },
        { "cloudflare.dns-caa", false },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public async Task The_plan_counts_every_call_of_a_full_sync_for_the_selected_checks(string selection, bool batchEnded)
    {
        var scenario = ScenarioGenerator.Generate(3, 120, 60);
        scenario.Quirks.BatchSettingsEnded = batchEnded;
        var checks = CheckSelection.Parse(selection);
        var plan = SelectedSyncPlan.For(PlanOf(scenario), checks, batchSettingsAvailable: !batchEnded, discoversBatchEnded: batchEnded);
        await using var sim = await TestScenario.StartAsync(scenario);
        using var host = new TestHost(sim.BaseUrl);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("gen", sim.BaseUrl), new Secret(ScenarioGenerator.AllReadToken), CancellationToken.None);

        var run = await host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Both, "test", Checks: checks), null, null, CancellationToken.None);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(sim.Stats.TotalRequests, run.Counts.ApiCalls);
        Assert.Equal(plan.Total, run.Counts.ApiCalls);
        var routes = sim.Stats.CountFor("GET /zones/{zone_id}/bot_management") + sim.Stats.CountFor("GET /zones/{zone_id}/logpush/jobs");
        Assert.Equal(checks.Any(c => c.Definition.Id is "cloudflare.zone-bot-protection" or "cloudflare.zone-logs-exported"), routes > 0);
        var packPages = sim.Stats.CountFor("GET /zones/{zone_id}/ssl/certificate_packs");
        Assert.Equal(checks.Any(c => c.Definition.Id == "cloudflare.dns-caa") ? ScenarioRulesetReads.Of(scenario).CertificatePackPages : 0, packPages);
    }

    [Fact]
    public void The_whole_catalogue_costs_bot_management_on_every_zone_and_logpush_on_enterprise_zones_and_their_accounts()
    {
        var scenario = ScenarioGenerator.Generate(3, 120, 60);
        var organisation = PlanOf(scenario);
        var withProtection = SelectedSyncPlan.For(organisation, Core.Checks.CheckCatalog.All, batchSettingsAvailable: true);
        var without = SelectedSyncPlan.For(organisation, [.. Core.Checks.CheckCatalog.All.Where(c => c.Definition.Id is not ("cloudflare.zone-bot-protection" or "cloudflare.zone-logs-exported"))],
            batchSettingsAvailable: true);
        var reads = ScenarioRulesetReads.Of(scenario);

        Assert.True(reads.LogpushZones > 0);
        Assert.Equal(reads.BotManagementZones + reads.LogpushZones + reads.LogpushAccounts, withProtection.Total - without.Total);
        Assert.Equal(TestScenario.InfraCalls(scenario), withProtection.Infra);
    }

    /// <summary>The shape of a simulator scenario, as the plan needs it.</summary>
    internal static PlannedOrganisation PlanOf(Scenario scenario)
    {
        var accounts = scenario.Accounts.Select(a => new AccessAccountPlan(a.Roles.Count, a.Members.Count, [.. a.UserGroups.Select(g => g.MemberIds.Count)],
            Tokens: a.AccountTokens.Count)).ToList();
        var monitored = scenario.Accounts.SelectMany(a => a.Zones.Where(z => z.Status == "active" && !z.Paused).Select(z => new PlannedZone(a.Id, z.Plan.LegacyId, z.Type,
            [.. z.Rulesets.Where(r => r.Kind == "zone").Select(r => r.Phase).Distinct(StringComparer.Ordinal)], z.DnsRecords.Count,
            z.CertificatePacksOrDefault().Count(p => p.Status == "active")))).ToList();
        var accountEntrypoints = scenario.Accounts.ToDictionary(a => a.Id,
            a => a.Rulesets.Count(r => r.Kind == "root" && RulesetPhases.SyncedAtAccount.Contains(r.Phase)), StringComparer.Ordinal);
        return new PlannedOrganisation(accounts, scenario.Accounts.Sum(a => a.Zones.Count), monitored, accountEntrypoints, ScenarioRulesetReads.Of(scenario).ManagedRulesetsWeighed);
    }
}
