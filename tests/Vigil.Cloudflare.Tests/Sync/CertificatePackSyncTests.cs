using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>Certificate packs (the CA cloudflare.dns-caa judges): every page read, only for that check and zones whose DNS Cloudflare serves, 403 a gap.</summary>
public sealed class CertificatePackSyncTests
{
    private const string PacksRoute = "GET /zones/{zone_id}/ssl/certificate_packs";
    private const string NoSsl = "cfut_test_no_ssl_certificates_read_000000";
    private static readonly string[] DnsCaa = ["cloudflare.dns-caa"];

    /// <summary>One account, 6 zones (0 pending, 1 paused): zone 2 has 120 active packs and a deleted one, zone 3 is partial, zone 4 has a DigiCert pack.</summary>
    private static Scenario Build()
    {
        var scenario = TestScenario.Build((1, 1, 6));
        var zones = scenario.Accounts[0].Zones;
        zones[2].CertificatePacks =
        [
            .. Enumerable.Range(0, 120).Select(i => new ScenarioCertificatePack
            {
                Id = $"{i:x8}-0000-4000-8000-000000000002", Type = i == 0 ? "universal" : "advanced", CertificateAuthority = i % 2 == 0 ? "google" : "lets_encrypt",
            }),
            new ScenarioCertificatePack { Id = "ffffffff-0000-4000-8000-000000000002", Type = "advanced", Status = "deleted", CertificateAuthority = "ssl_com" },
        ];
        zones[3].Type = "partial";
        zones[4].CertificatePacks = [new ScenarioCertificatePack { Id = "00000001-0000-4000-8000-000000000004", Type = "universal", CertificateAuthority = "digicert" }];
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = TestScenario.Id('8', 0, 97),
            Value = NoSsl,
            UserEmail = TestScenario.GlobalKeyEmail,
            Permissions = [.. PermissionGroups.AllRead.Where(g => g != PermissionGroups.SslAndCertificatesRead).Select(g => new TokenPermission { Group = g })],
        });
        return scenario;
    }

    private static async Task<(CloudflareSimulator Sim, TestHost Host, Connection Connection, SyncRun Run)> SyncAsync(
        Scenario scenario, IReadOnlyCollection<string>? checks, string token = TestScenario.ReadAll)
    {
        var sim = await TestScenario.StartAsync(scenario);
        var host = new TestHost(sim.BaseUrl);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(token), CancellationToken.None);
        var run = await host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Infra, "test",
            Checks: checks is null ? null : [.. CheckCatalog.All.Where(c => checks.Contains(c.Definition.Id, StringComparer.OrdinalIgnoreCase))]), null, null, CancellationToken.None);
        return (sim, host, connection, run);
    }

    [Fact]
    public async Task Reads_every_page_of_active_packs_for_zones_whose_dns_cloudflare_serves()
    {
        var scenario = Build();
        var (sim, host, connection, run) = await SyncAsync(scenario, DnsCaa);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        // Zones 2 (120 packs: 3 pages of 50), 4 and 5 (1 page each); none for the partial zone 3.
        Assert.Equal(5, sim.Stats.CountFor(PacksRoute));
        Assert.Equal(ScenarioRulesetReads.Of(scenario).CertificatePackPages, sim.Stats.CountFor(PacksRoute));
        var zones = host.Store.Infra[connection.Id].Data.Zones.ToDictionary(z => z.Id);
        var many = zones[scenario.Accounts[0].Zones[2].Id].Security!.Features!.CertificatePacks!;
        Assert.Equal(120, many.Count);
        Assert.DoesNotContain(many, p => p.Status != "active");
        Assert.Equal(["google", "lets_encrypt"], many.Select(p => p.CertificateAuthority).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal("universal", many[0].Type);
        Assert.Contains(scenario.Accounts[0].Zones[2].Name, many[0].Hosts);
        Assert.Equal("digicert", Assert.Single(zones[scenario.Accounts[0].Zones[4].Id].Security!.Features!.CertificatePacks!).CertificateAuthority);
        Assert.Equal("lets_encrypt", Assert.Single(zones[scenario.Accounts[0].Zones[5].Id].Security!.Features!.CertificatePacks!).CertificateAuthority);
        Assert.Null(zones[scenario.Accounts[0].Zones[3].Id].Security!.Features?.CertificatePacks);

        var plan = SelectedSyncPlan.For(SelectedSyncPlanTests.PlanOf(scenario), [.. CheckCatalog.All.Where(c => DnsCaa.Contains(c.Definition.Id))], batchSettingsAvailable: true);
        Assert.Equal(plan.Infra, run.Counts.ApiCalls);
    }

    [Fact]
    public async Task Checks_that_do_not_need_packs_cost_no_pack_calls()
    {
        var scenario = Build();
        var others = CheckCatalog.All.Select(c => c.Definition.Id).Where(id => id != "cloudflare.dns-caa").ToList();
        var (sim, host, connection, run) = await SyncAsync(scenario, others);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(0, sim.Stats.CountFor(PacksRoute));
        Assert.All(host.Store.Infra[connection.Id].Data.Zones.Where(z => z.IsMonitored), z => Assert.Null(z.Security!.Features?.CertificatePacks));
    }

    [Fact]
    public async Task A_refused_read_is_a_gap_naming_the_permission_and_dns_caa_says_so()
    {
        var scenario = Build();
        var (sim, host, connection, run) = await SyncAsync(scenario, DnsCaa, NoSsl);
        await using var _ = sim;
        using var __ = host;

        Assert.Equal(SyncStatus.Partial, run.Status);
        Assert.Equal(3, run.Skipped.Count);
        Assert.All(run.Skipped, gap => Assert.Equal(("certificate_packs", "SSL and Certificates Read"), (gap.ResourceType, gap.MissingPermission)));
        Assert.NotNull(run.Stages.Single().CommittedAt);
        var data = host.Store.Infra[connection.Id].Data;
        var zone = data.Zones.Single(z => z.Id == scenario.Accounts[0].Zones[2].Id);
        Assert.Null(zone.Security!.Features?.CertificatePacks);
        Assert.NotNull(zone.Security.Features?.DnsRecordCount);
    }

    [Fact]
    public void The_call_plan_counts_one_page_per_50_packs_and_none_for_zones_whose_dns_is_served_elsewhere()
    {
        var needs = CheckCatalog.Find("cloudflare.dns-caa")!.Definition.Needs;
        Assert.True(needs.HasFlag(DataNeeds.CertificatePacks));
        Assert.Equal(2, SyncCallPlan.PerZoneFor(needs)); // one page of DNS records, one of certificate packs
        Assert.Equal(0, SyncCallPlan.PerZoneFor(needs, dnsServedElsewhere: true));
        Assert.Equal(1, SyncCallPlan.PerZoneFor(DataNeeds.Zones | DataNeeds.CertificatePacks));
        Assert.Equal(1, SyncCallPlan.CertificatePackPages(0));
        Assert.Equal(1, SyncCallPlan.CertificatePackPages(50));
        Assert.Equal(3, SyncCallPlan.CertificatePackPages(120));
        Assert.Equal(SyncCallPlan.PerZone(true) + 3, SyncCallPlan.PerZone(true, certificatePackPages: 3));
        Assert.Equal(SyncCallPlan.PerZone(true, dnsServedElsewhere: true), SyncCallPlan.PerZone(true, dnsServedElsewhere: true, certificatePackPages: 3));
        var zone = new PlannedZone("a", "free", "full", [], DnsRecords: 10, CertificatePacks: 120);
        Assert.Equal(1 + 3, SelectedSyncPlan.ZoneCalls(zone, needs, [], 0, batchSettingsAvailable: true));
        Assert.Equal(0, SelectedSyncPlan.ZoneCalls(zone with { Type = "secondary" }, needs, [], 0, batchSettingsAvailable: true));
    }
}
