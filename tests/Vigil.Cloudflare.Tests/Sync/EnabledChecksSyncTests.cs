using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Configuration;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>The sync reads only what the enabled checks need: a family turned off costs no call.</summary>
public sealed class EnabledChecksSyncTests
{
    private static DataNeeds Needs(string checkId) => CheckCatalog.Find(checkId)!.Definition.Needs;

    private static async Task<(SyncRun Run, CloudflareSimulator Sim, TestHost Host)> SyncAsync(Scenario scenario, DataNeeds? needs)
    {
        var sim = await TestScenario.StartAsync(scenario);
        var host = new TestHost(sim.BaseUrl);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(DemoCredentials.ReadAllToken), CancellationToken.None);
        var run = await host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Both, "test", needs), null, null, CancellationToken.None);
        return (run, sim, host);
    }

    [Fact]
    public async Task The_demo_reads_one_certificate_pack_page_per_active_full_zone_only_with_dns_caa()
    {
        var scenario = Scenario.Demo();
        var fullZones = scenario.Accounts.SelectMany(a => a.Zones).Count(z => z.Status == "active" && !z.Paused && z.Type == "full");
        var (all, simAll, hostAll) = await SyncAsync(scenario, CheckCatalog.NeedsOf(CheckCatalog.All));
        await using var _ = simAll;
        using var __ = hostAll;
        var (without, simWithout, hostWithout) = await SyncAsync(Scenario.Demo(),
            CheckCatalog.NeedsOf([.. CheckCatalog.All.Where(c => c.Definition.Id != "cloudflare.dns-caa")]));
        await using var ___ = simWithout;
        using var ____ = hostWithout;

        Assert.True(all.Status == SyncStatus.Complete, all.Reason);
        Assert.Equal(fullZones, simAll.Stats.CountFor("GET /zones/{zone_id}/ssl/certificate_packs"));
        Assert.Equal(0, simWithout.Stats.CountFor("GET /zones/{zone_id}/ssl/certificate_packs"));
        Assert.Equal(all.Counts.ApiCalls - fullZones, without.Counts.ApiCalls);
        Assert.Equal(10, fullZones);

        // README, "Turning checks off": --checks cloudflare.dns-caa reads the zone list and, per active full zone, its DNS records and certificate packs.
        var (caa, simCaa, hostCaa) = await SyncAsync(Scenario.Demo(), Needs("cloudflare.dns-caa"));
        await using var _____ = simCaa;
        using var ______ = hostCaa;
        Assert.True(caa.Status == SyncStatus.Complete, caa.Reason);
        Assert.Equal(1 + 2 * fullZones, caa.Counts.ApiCalls);
    }

    /// <summary>README, "Turning checks off": the calls a full sync of the demo company makes per selection.</summary>
    [Theory]
    [InlineData("all", 137)]
    [InlineData("access", 13)]
    [InlineData("zones", 104)]
    [InlineData("dns", 21)]
    [InlineData("cloudflare.zone-waf-managed", 57)]
    [InlineData("cloudflare.zone-hsts", 21)]
    [InlineData("cloudflare.zone-dnssec", 11)]
    [InlineData("cloudflare.dns-caa", 21)]
    public async Task The_demo_costs_the_calls_the_readme_gives_per_selection(string selection, int calls)
    {
        var (run, sim, host) = await SyncAsync(Scenario.Demo(), CheckCatalog.NeedsOf(CheckSelection.Parse(selection)));
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(calls, run.Counts.ApiCalls);
    }

    [Fact]
    public async Task Access_checks_alone_read_no_zone_data()
    {
        var needs = CheckCatalog.NeedsOf(CheckSelection.Parse("access"));
        var (run, sim, host) = await SyncAsync(Scenario.Demo(), needs);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal([SyncStageKind.Access], run.Stages.Select(s => s.Stage));
        Assert.Equal(0, sim.Stats.CountFor("GET /zones"));
        Assert.Equal(run.Counts.ApiCalls, sim.Stats.TotalRequests);
        Assert.True(run.Counts.Members > 0);
    }

    [Fact]
    public async Task Dnssec_alone_reads_the_zone_list_and_dnssec_but_no_settings_rulesets_or_members()
    {
        var scenario = Scenario.Demo();
        var (run, sim, host) = await SyncAsync(scenario, Needs("cloudflare.zone-dnssec"));
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal([SyncStageKind.Infra], run.Stages.Select(s => s.Stage));
        var monitored = scenario.Accounts.SelectMany(a => a.Zones).Where(z => z.Status == "active" && !z.Paused).ToList();
        var dnssecReads = monitored.Count(z => !Core.Inventory.Zone.ServesDnsElsewhere(z.Type));
        Assert.Equal(dnssecReads, sim.Stats.CountFor("GET /zones/{zone_id}/dnssec"));
        Assert.Equal(0, sim.Stats.CountFor("GET /zones/{zone_id}/settings") + sim.Stats.CountFor("GET /zones/{zone_id}/settings/{setting_id}"));
        Assert.Equal(0, sim.Stats.CountFor("GET /zones/{zone_id}/rulesets") + sim.Stats.CountFor("GET /zones/{zone_id}/pagerules"));
        Assert.Equal(0, sim.Stats.CountFor("GET /accounts/{account_id}/members"));
        var zones = scenario.Accounts.Sum(a => a.Zones.Count);
        Assert.Equal(SyncCallPlan.Pages(zones) + monitored.Sum(z => SyncCallPlan.PerZoneFor(Needs("cloudflare.zone-dnssec"),
            dnsServedElsewhere: Core.Inventory.Zone.ServesDnsElsewhere(z.Type))), run.Counts.ApiCalls);
    }

    [Fact]
    public async Task Every_check_enabled_reads_what_a_sync_without_a_selection_reads()
    {
        var (all, simAll, hostAll) = await SyncAsync(Scenario.Demo(), CheckCatalog.NeedsOf(CheckCatalog.All));
        await using var _ = simAll;
        using var __ = hostAll;
        var (none, simNone, hostNone) = await SyncAsync(Scenario.Demo(), null);
        await using var ___ = simNone;
        using var ____ = hostNone;

        Assert.Equal(none.Counts.ApiCalls, all.Counts.ApiCalls);
    }

    [Fact]
    public async Task A_stage_no_enabled_check_needs_is_not_run_and_the_run_says_why()
    {
        var scenario = Scenario.Demo();
        await using var sim = await TestScenario.StartAsync(scenario);
        using var host = new TestHost(sim.BaseUrl);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(DemoCredentials.ReadAllToken), CancellationToken.None);

        var run = await host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Access, "test", Needs("cloudflare.zone-dnssec")), null, null, CancellationToken.None);

        Assert.Empty(run.Stages);
        Assert.Contains("The enabled checks need no data from the stages asked for", run.Reason);
        Assert.Equal(0, sim.Stats.TotalRequests);
    }

    [Theory]
    [InlineData(true, 1, false, false)]
    [InlineData(false, 1, false, false)]
    [InlineData(false, 3, true, false)]
    [InlineData(true, 0, true, true)]
    public void Per_zone_calls_with_every_need_are_the_per_zone_plan(bool batch, int entrypoints, bool hostnameTls, bool elsewhere)
    {
        Assert.Equal(SyncCallPlan.PerZone(batch, entrypoints, hostnameTls, elsewhere, dnsRecordPages: 1, readsBotManagement: true, certificatePackPages: 1),
            SyncCallPlan.PerZoneFor(SyncRequest.Everything, batch, entrypoints, hostnameTls, elsewhere, featureSettings: SyncCallPlan.FeatureSettingCalls));
    }

    [Fact]
    public void A_check_costs_the_calls_of_its_own_data()
    {
        Assert.Equal(1, SyncCallPlan.PerZoneFor(Needs("cloudflare.zone-dnssec")));
        Assert.Equal(SyncCallPlan.PerSettingCalls, SyncCallPlan.PerZoneFor(Needs("cloudflare.zone-hsts")));
        Assert.Equal(0, SyncCallPlan.PerZoneFor(Needs("cloudflare.zone-not-paused")));
        Assert.Equal(0, SyncCallPlan.PerZoneFor(DataNeeds.Members | DataNeeds.People));
        Assert.Equal(4, SyncCallPlan.PerAccountFor(DataNeeds.Members));
    }
}
