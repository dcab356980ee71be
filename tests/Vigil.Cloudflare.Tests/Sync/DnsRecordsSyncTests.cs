using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>GET /zones/{id}/dns_records: every page read, mapped into Core records, only when a DNS check needs them.</summary>
public sealed class DnsRecordsSyncTests
{
    private static async Task<(CloudflareSimulator Sim, TestHost Host, Connection Connection)> StartAsync(Scenario scenario, string token = TestScenario.ReadAll)
    {
        var sim = await TestScenario.StartAsync(scenario);
        var host = new TestHost(sim.BaseUrl);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(token), CancellationToken.None);
        return (sim, host, connection);
    }

    /// <summary>One account of 5 zones (zone 0 pending, zone 1 paused); zone 2 holds <paramref name="records"/> records.</summary>
    private static Scenario WithRecords(int records)
    {
        var scenario = TestScenario.Build((1, 3, 5));
        var zone = scenario.Accounts[0].Zones[2];
        for (var i = 0; i < records; i++)
        {
            zone.DnsRecords.Add(new ScenarioDnsRecord { Id = TestScenario.Id('7', 2, i), Type = "A", Name = $"host{i}", Content = $"203.0.{i / 256 % 256}.{i % 256}", Proxied = i % 2 == 0 });
        }
        zone.DnsRecords.Add(new ScenarioDnsRecord { Id = TestScenario.Id('7', 3, 0), Type = "CAA", Name = "@", Content = "128 issue \"pki.goog\"" });
        zone.DnsRecords.Add(new ScenarioDnsRecord { Id = TestScenario.Id('7', 3, 1), Type = "MX", Name = "@", Content = "mx.mail.example", Priority = 20, Ttl = 3600 });
        return scenario;
    }

    [Fact]
    public async Task Reads_every_page_at_5000_a_page_and_maps_caa_and_mx()
    {
        var scenario = WithRecords(10_001);
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        // 10,003 records: 3 pages for zone 2, 1 each for the two other monitored zones (empty lists still cost a call).
        Assert.Equal(3 + 1 + 1, sim.Stats.CountFor("GET /zones/{zone_id}/dns_records"));
        Assert.Equal(TestScenario.InfraCalls(scenario), run.Counts.ApiCalls);
        var data = host.Store.Infra[connection.Id].Data;
        var zone = data.Zones.Single(z => z.Id == scenario.Accounts[0].Zones[2].Id);
        Assert.Equal(10_003, zone.Security!.Features!.DnsRecordCount);
        Assert.Equal(10_003, data.DnsRecords!.Count(r => r.ZoneId == zone.Id));
        var caa = data.DnsRecords!.Single(r => r.Type == "CAA");
        Assert.Equal((zone.Name, 128, "issue", "pki.goog"), (caa.Name, caa.Caa!.Flags, caa.Caa.Tag, caa.Caa.Value));
        var mx = data.DnsRecords!.Single(r => r.Type == "MX");
        Assert.Equal((20, 3600, (bool?)false), (mx.Priority, mx.Ttl, mx.Proxiable));
        Assert.Equal($"host1.{zone.Name}", data.DnsRecords![1].Name);
        Assert.False(data.DnsRecords![1].Proxied);
        var coverage = Assert.Single(run.Coverage!, c => c.List == $"GET /zones/{zone.Id}/dns_records");
        Assert.True(coverage.Complete);
        Assert.Equal((3, 10_003), (coverage.Pages, coverage.Items));
        // Zones that are not monitored are not read.
        Assert.All(data.Zones.Where(z => !z.IsMonitored), z => Assert.Null(z.Security?.Features?.DnsRecordCount));
    }

    [Fact]
    public async Task Are_not_read_when_no_selected_check_needs_them()
    {
        var scenario = WithRecords(3);
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;
        var needs = CheckCatalog.NeedsOf(CheckCatalog.All.Where(c => !c.Definition.Id.StartsWith("cloudflare.dns-", StringComparison.Ordinal)));

        var run = await host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Infra, "test", needs), null, null, CancellationToken.None);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(0, sim.Stats.CountFor("GET /zones/{zone_id}/dns_records"));
        Assert.Equal(TestScenario.InfraCalls(scenario, readsDnsRecords: false), run.Counts.ApiCalls);
        var data = host.Store.Infra[connection.Id].Data;
        Assert.Null(data.DnsRecords);
        Assert.All(data.Zones, z => Assert.Null(z.Security?.Features?.DnsRecordCount));
    }

    [Fact]
    public async Task Skips_zones_whose_dns_is_served_elsewhere()
    {
        var scenario = WithRecords(2);
        scenario.Accounts[0].Zones[2].Type = "partial";
        var (sim, host, _) = await StartAsync(scenario);
        await using var __ = sim;
        using var ___ = host;

        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(2, sim.Stats.CountFor("GET /zones/{zone_id}/dns_records"));
        Assert.Equal(TestScenario.InfraCalls(scenario), run.Counts.ApiCalls);
    }

    [Fact]
    public void Call_plan_counts_pages_of_5000_with_at_least_one()
    {
        Assert.Equal([1, 1, 1, 2, 3], new[] { 0, 1, 5000, 5001, 10_003 }.Select(SyncCallPlan.DnsRecordPages));
        Assert.Equal(SyncCallPlan.PerZone(true) + 1, SyncCallPlan.PerZone(true, dnsRecordPages: 1));
        Assert.Equal(SyncCallPlan.PerZone(true, dnsServedElsewhere: true), SyncCallPlan.PerZone(true, dnsServedElsewhere: true, dnsRecordPages: 1));
    }
}
