using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>
/// The reads behind the zone configuration checks (issue 20): extra settings, Universal SSL, Authenticated Origin Pulls,
/// made only for the checks selected, and the "under attack since" date carried from snapshot to snapshot.
/// </summary>
public sealed class ZoneFeatureReadTests
{
    private const string UniversalSslRoute = "GET /zones/{zone_id}/ssl/universal/settings";
    private const string OriginPullsRoute = "GET /zones/{zone_id}/origin_tls_client_auth/settings";
    private const string SettingRoute = "GET /zones/{zone_id}/settings/{setting_id}";

    private static async Task<(CloudflareSimulator Sim, TestHost Host, Connection Connection)> StartAsync(Scenario scenario)
    {
        var sim = await TestScenario.StartAsync(scenario);
        var host = new TestHost(sim.BaseUrl);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(TestScenario.ReadAll), CancellationToken.None);
        return (sim, host, connection);
    }

    private static Task<SyncRun> SyncAsync(TestHost host, IReadOnlyList<ICheck>? checks = null) =>
        host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Infra, "test", Checks: checks, Full: true), null, null, CancellationToken.None);

    private static Scenario FiveActiveZones(bool batchEnded)
    {
        // 7 zones: zone 0 pending, zone 1 paused, zones 2 to 6 active.
        var scenario = TestScenario.Build((1, 2, 7));
        scenario.Quirks.BatchSettingsEnded = batchEnded;
        var zones = scenario.Accounts[0].Zones;
        zones[2].UniversalSsl = false;
        zones[3].AuthenticatedOriginPulls = true;
        zones[4].Settings.Tls13 = "off";
        zones[4].Settings.DevelopmentMode = "on";
        zones[5].Settings.EmailObfuscation = "off";
        zones[6].Settings.SecurityLevel = "under_attack";
        return scenario;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_whole_catalogue_reads_the_extra_settings_universal_ssl_and_origin_pulls_of_each_active_zone(bool batchEnded)
    {
        var scenario = FiveActiveZones(batchEnded);
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        var run = await SyncAsync(host);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(5, sim.Stats.CountFor(UniversalSslRoute));
        Assert.Equal(5, sim.Stats.CountFor(OriginPullsRoute));
        // Once the batch call has ended, each of the six extra settings is one call per zone; before, the batch call carries them.
        Assert.Equal(batchEnded ? 5 * (SyncCallPlan.PerSettingCalls + SyncCallPlan.FeatureSettingCalls) : 0, sim.Stats.CountFor(SettingRoute));
        Assert.Equal(TestScenario.InfraCalls(scenario, batchSettingsAvailable: !batchEnded, discoversBatchEnded: batchEnded), run.Counts.ApiCalls);

        var zones = host.Store.Infra[connection.Id].Data.Zones.ToDictionary(z => z.Name);
        Assert.All(zones.Values.Where(z => !z.IsMonitored), z => Assert.Null(z.Security));
        var features = zones.Values.Where(z => z.IsMonitored).ToDictionary(z => z.Name, z => z.Security!.Features!);
        Assert.Equal([false, true, true, true, true], features.Values.Select(f => f.UniversalSslEnabled));
        Assert.Equal([false, true, false, false, false], features.Values.Select(f => f.AuthenticatedOriginPullsEnabled));
        Assert.Equal(["tls_1_3", "automatic_https_rewrites", "browser_check", "security_level", "development_mode", "email_obfuscation"],
            ZoneSettingNeeds.Of(CheckCatalog.All));
        Assert.All(features.Values, f => Assert.Equal(6, f.Settings!.Count));
        Assert.Equal(("off", "on"), (features["zone4.a0.example"].Settings!["tls_1_3"], features["zone4.a0.example"].Settings!["development_mode"]));
        Assert.Equal("off", features["zone5.a0.example"].Settings!["email_obfuscation"]);
        Assert.Equal("under_attack", features["zone6.a0.example"].Settings!["security_level"]);
        Assert.NotNull(features["zone6.a0.example"].UnderAttackSince);
        Assert.All(features.Where(f => f.Key != "zone6.a0.example"), f => Assert.Null(f.Value.UnderAttackSince));
    }

    [Fact]
    public async Task Checks_that_need_none_of_it_cost_no_extra_call()
    {
        var scenario = FiveActiveZones(batchEnded: true);
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        var run = await SyncAsync(host, [CheckCatalog.Find("cloudflare.zone-min-tls-1-2")!]);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(0, sim.Stats.CountFor(UniversalSslRoute));
        Assert.Equal(0, sim.Stats.CountFor(OriginPullsRoute));
        Assert.Equal(5 * SyncCallPlan.PerSettingCalls, sim.Stats.CountFor(SettingRoute));
        // Only the check's own data: the zone list, then its settings per zone (and the one call that finds the batch call ended).
        var zones = scenario.Accounts.Sum(a => a.Zones.Count);
        Assert.Equal(SyncCallPlan.Pages(zones) + 1 + sim.Stats.CountFor(SettingRoute) + sim.Stats.CountFor("GET /zones/{zone_id}/hostnames/settings/{setting_id}"),
            run.Counts.ApiCalls);
        Assert.All(host.Store.Infra[connection.Id].Data.Zones.Where(z => z.IsMonitored), z => Assert.Null(z.Security!.Features));
    }

    [Fact]
    public async Task One_check_reads_only_its_own_setting_or_endpoint()
    {
        var scenario = FiveActiveZones(batchEnded: true);
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        var run = await SyncAsync(host, [CheckCatalog.Find("cloudflare.zone-email-obfuscation")!, CheckCatalog.Find("cloudflare.zone-universal-ssl")!]);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(5, sim.Stats.CountFor(UniversalSslRoute));
        Assert.Equal(0, sim.Stats.CountFor(OriginPullsRoute));
        Assert.Equal(5 * (SyncCallPlan.PerSettingCalls + 1), sim.Stats.CountFor(SettingRoute));
        var features = host.Store.Infra[connection.Id].Data.Zones.Where(z => z.IsMonitored).Select(z => z.Security!.Features!).ToList();
        Assert.All(features, f => Assert.Equal(["email_obfuscation"], f.Settings!.Keys));
        Assert.All(features, f => Assert.Null(f.AuthenticatedOriginPullsEnabled));
        Assert.All(features, f => Assert.Null(f.UnderAttackSince));
    }

    [Fact]
    public async Task Under_attack_since_is_carried_forward_from_the_previous_snapshot_and_cleared_when_the_mode_is_off()
    {
        var scenario = FiveActiveZones(batchEnded: false);
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;
        var underAttack = scenario.Accounts[0].Zones[6];

        await SyncAsync(host);
        var first = host.Store.Infra[connection.Id];
        var firstSeen = Feature(first.Data, underAttack.Id).UnderAttackSince!.Value;
        Assert.InRange(firstSeen, first.At.AddMinutes(-1), first.At);

        // Pretend the first snapshot was taken ten days ago.
        var tenDaysAgo = firstSeen.AddDays(-10);
        host.Store.Infra[connection.Id] = (first.RunId, first.Data with
        {
            Zones = [.. first.Data.Zones.Select(z => z.Id != underAttack.Id ? z
                : z with { Security = z.Security! with { Features = z.Security.Features! with { UnderAttackSince = tenDaysAgo } } })],
        }, first.At.AddDays(-10));

        await SyncAsync(host);
        Assert.Equal(tenDaysAgo, Feature(host.Store.Infra[connection.Id].Data, underAttack.Id).UnderAttackSince);

        underAttack.Settings.SecurityLevel = "high";
        await SyncAsync(host);
        Assert.Null(Feature(host.Store.Infra[connection.Id].Data, underAttack.Id).UnderAttackSince);
    }

    private static ZoneFeatures Feature(InfraStageData data, string zoneId) => data.Zones.Single(z => z.Id == zoneId).Security!.Features!;

    [Fact]
    public void Since_dates_under_attack_from_the_first_snapshot_that_saw_it()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var earlier = now.AddDays(-9);
        Zone Previous(string? level, DateTimeOffset? since = null, bool inSettings = true) => new("z1", "shop.example", "a1", "active", false, "Free",
            new ZoneSecurity(null, null, null, null, inSettings ? null : level, null, null, new Dictionary<string, PhaseEntrypoint?>(),
                Features: new ZoneFeatures { Settings = inSettings && level is not null ? new Dictionary<string, string> { ["security_level"] = level } : null, UnderAttackSince = since }));

        Assert.Equal(now, UnderAttack.Since("under_attack", null, null, now));
        Assert.Equal(now, UnderAttack.Since("under_attack", Previous("medium"), earlier, now));
        Assert.Equal(earlier.AddDays(-3), UnderAttack.Since("under_attack", Previous("under_attack", earlier.AddDays(-3)), earlier, now));
        // A snapshot from before Vigil kept the date, or one from the batch call: dated from that snapshot's read.
        Assert.Equal(earlier, UnderAttack.Since("under_attack", Previous("under_attack"), earlier, now));
        Assert.Equal(earlier, UnderAttack.Since("under_attack", Previous("under_attack", inSettings: false), earlier, now));
        Assert.Null(UnderAttack.Since("medium", Previous("under_attack", earlier), earlier, now));
        // Unreadable now: no evidence the mode went off, so the date stays.
        Assert.Equal(earlier, UnderAttack.Since(null, Previous("under_attack", earlier), earlier, now));
        Assert.Null(UnderAttack.Since(null, Previous("medium"), earlier, now));
    }
}

/// <summary>What the zone configuration checks cost on the demo company (11 active zones, batch settings call answering).</summary>
public sealed class ZoneFeatureDemoCostTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task The_demo_company_costs_two_calls_more_per_active_zone_and_eight_once_the_batch_call_has_ended()
    {
        var scenario = Scenario.Demo();
        var monitored = scenario.Accounts.SelectMany(a => a.Zones).Count(z => z.Status == "active" && !z.Paused);
        await using var sim = await TestScenario.StartAsync(scenario);
        using var host = new TestHost(sim.BaseUrl);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(Vigil.Simulation.DemoCredentials.ReadAllToken), CancellationToken.None);

        var run = await host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Infra, "test"), null, null, CancellationToken.None);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        var before = TestScenario.InfraCalls(scenario, featureSettings: 0, featureReads: 0);
        var after = TestScenario.InfraCalls(scenario);
        Assert.Equal(after, run.Counts.ApiCalls);
        Assert.Equal(11, monitored);
        Assert.Equal(2 * monitored, after - before);
        var endedBefore = TestScenario.InfraCalls(scenario, batchSettingsAvailable: false, featureSettings: 0, featureReads: 0);
        var endedAfter = TestScenario.InfraCalls(scenario, batchSettingsAvailable: false);
        Assert.Equal(8 * monitored, endedAfter - endedBefore);
        output.WriteLine($"demo infra calls: batch {before} -> {after}; batch ended {endedBefore} -> {endedAfter}; active zones {monitored}");
    }
}
