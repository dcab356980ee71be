using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>
/// The zone reads behind the zone-settings findings: the batch settings call's possible end-of-life answers, page
/// rules, per-hostname TLS settings, Configuration Rules, non-integer HSTS max_age and partial zones.
/// </summary>
public sealed class ZoneSecurityReadTests
{
    private const string NoZoneSettingsRead = "cfut_test_no_zone_settings_0000000000000";
    private const string NoSslRead = "cfut_test_no_ssl_certificates_000000000000";

    private static async Task<(CloudflareSimulator Sim, TestHost Host, Connection Connection)> StartAsync(Scenario scenario, string token = TestScenario.ReadAll)
    {
        var sim = await TestScenario.StartAsync(scenario);
        var host = new TestHost(sim.BaseUrl);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(token), CancellationToken.None);
        return (sim, host, connection);
    }

    private static void AddTokenWithout(Scenario scenario, string value, string group) =>
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = TestScenario.Id('8', 1, scenario.Tokens.Count + 1),
            Value = value,
            UserEmail = TestScenario.GlobalKeyEmail,
            Permissions = [.. PermissionGroups.AllRead.Where(g => g != group).Select(g => new TokenPermission { Group = g })],
        });

    [Theory]
    [InlineData("404")] // 404 with 7003 "could not route", not 7000
    [InlineData("400")]
    [InlineData("403")]
    [InlineData("405")]
    [InlineData("410")]
    [InlineData("200")] // HTTP 200 with success: false
    public async Task Any_batch_answer_that_may_mean_ended_falls_back_to_per_setting_reads_and_is_remembered(string answer)
    {
        // One account, 20 zones of which 18 are active and unpaused (Free plan: no per-hostname TLS reads).
        var scenario = TestScenario.Build((2, 10, 20));
        scenario.Quirks.BatchSettingsAnswer = answer;
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        var run = await host.Sync.RunAsync();

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(1, sim.Stats.CountFor("GET /zones/{zone_id}/settings"));
        Assert.Equal((SyncCallPlan.PerSettingCalls + SyncCallPlan.FeatureSettingCalls) * 18, sim.Stats.CountFor("GET /zones/{zone_id}/settings/{setting_id}"));
        Assert.Equal(SyncCallPlan.Access([(2, 10)]) + TestScenario.InfraCalls(scenario, batchSettingsAvailable: false, discoversBatchEnded: true), run.Counts.ApiCalls);
        Assert.Equal([(connection.Id, ZoneSettingsReader.BatchEndpoint)], host.Connections.Remembered);
        Assert.All(host.Store.Infra[connection.Id].Data.Zones.Where(z => z.IsMonitored),
            z => Assert.Equal(("strict", "on"), (z.Security!.Ssl, z.Security.AlwaysUseHttps)));
    }

    [Fact]
    public async Task A_batch_403_without_zone_settings_read_is_reported_as_the_missing_permission_after_one_per_setting_try()
    {
        var scenario = TestScenario.Build((2, 10, 5));
        AddTokenWithout(scenario, NoZoneSettingsRead, PermissionGroups.ZoneSettingsRead);
        var (sim, host, connection) = await StartAsync(scenario, NoZoneSettingsRead);
        await using var _ = sim;
        using var __ = host;

        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        Assert.Equal(SyncStatus.Partial, run.Status);
        Assert.Contains("\"Zone Settings Read\"", run.Reason);
        Assert.Empty(host.Connections.Remembered);
        // 3 monitored zones: each tries the batch call and one per-setting read, then stops.
        Assert.Equal(3, sim.Stats.CountFor("GET /zones/{zone_id}/settings"));
        Assert.Equal(3, sim.Stats.CountFor("GET /zones/{zone_id}/settings/{setting_id}"));
        var gaps = run.Skipped.Where(g => g.ResourceType == "zone_setting").ToList();
        Assert.Equal(3, gaps.Count);
        Assert.All(gaps, g => Assert.Equal("Zone Settings Read", g.MissingPermission));
        Assert.All(host.Store.Infra[connection.Id].Data.Zones.Where(z => z.IsMonitored), z => Assert.Null(z.Security!.Ssl));
    }

    [Fact]
    public async Task A_5xx_on_the_batch_call_is_not_taken_for_its_end()
    {
        var scenario = TestScenario.Build((2, 10, 5));
        var (sim, host, _) = await StartAsync(scenario);
        await using var __ = sim;
        using var ___ = host;
        sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, PathPattern = "^/zones/[0-9a-f]+/settings$", StatusCode = 500 });

        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        Assert.Equal(SyncStatus.Failed, run.Status);
        Assert.Empty(host.Connections.Remembered);
        Assert.Equal(0, sim.Stats.CountFor("GET /zones/{zone_id}/settings/{setting_id}"));
    }

    [Fact]
    public async Task Reads_page_rules_hostname_tls_configuration_rules_and_skips_dnssec_of_partial_zones()
    {
        var scenario = TestScenario.Build((2, 10, 5));
        var zones = scenario.Accounts[0].Zones;
        var paid = zones[2];
        paid.Plan = new ZonePlan { Id = "94f3b7b768b0458b56d2cac4fe5ec0f9", Name = "Enterprise Website", LegacyId = "enterprise" };
        paid.Settings.Ssl = "origin_pull";
        paid.Settings.Hsts.MaxAge = 31536000.0m;
        paid.PageRules.Add(new ScenarioPageRule { Id = TestScenario.Id('f', 0, 1), Target = "*zone2.a0.example/old/*", Ssl = "flexible", AlwaysUseHttps = true });
        paid.PageRules.Add(new ScenarioPageRule { Id = TestScenario.Id('f', 0, 2), Target = "*zone2.a0.example/cache/*" });
        paid.HostnameMinTls.Add(new ScenarioHostnameSetting { Hostname = "legacy.zone2.a0.example", Value = "1.0" });
        paid.Rulesets.Add(new ScenarioRuleset
        {
            Id = TestScenario.Id('e', 0, 9000),
            Name = "default",
            Phase = RulesetPhases.ConfigSettings,
            Rules = [new ScenarioRule { Id = TestScenario.Id('e', 0, 9001), Action = "set_config", Expression = "(http.host eq \"api.zone2.a0.example\")", SetConfigSsl = "full" }],
        });
        var partial = zones[3];
        partial.Type = "partial";
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(TestScenario.InfraCalls(scenario), run.Counts.ApiCalls);
        Assert.Equal(2, sim.Stats.CountFor("GET /zones/{zone_id}/dnssec"));
        Assert.Equal(3, sim.Stats.CountFor("GET /zones/{zone_id}/pagerules"));
        Assert.Equal(1, sim.Stats.CountFor("GET /zones/{zone_id}/hostnames/settings/{setting_id}"));

        var read = host.Store.Infra[connection.Id].Data.Zones.ToDictionary(z => z.Id);
        var security = read[paid.Id].Security!;
        Assert.Equal("origin_pull", security.Ssl);
        Assert.Equal(31536000, security.Hsts!.MaxAgeSeconds);
        Assert.Equal([new PageRuleSsl(paid.PageRules[0].Id, "*zone2.a0.example/old/*", "flexible", "active")], security.SslPageRules);
        Assert.Equal([new HostnameSetting("legacy.zone2.a0.example", "1.0", "active")], security.HostnameMinTls);
        var config = security.Entrypoints[RulesetPhases.ConfigSettings]!;
        Assert.Equal(("set_config", "full", "(http.host eq \"api.zone2.a0.example\")"), (config.Rules[0].Action, config.Rules[0].SetsSsl, config.Rules[0].Expression));

        var partialZone = read[partial.Id];
        Assert.Equal("partial", partialZone.Type);
        Assert.Null(partialZone.Security!.DnssecStatus);
        Assert.Null(partialZone.Security.HostnameMinTls); // Free plan: not read
        Assert.Empty(partialZone.Security.SslPageRules!);
        Assert.Null(partialZone.Security.Entrypoints[RulesetPhases.ConfigSettings]);
        Assert.Empty(run.Skipped);
    }

    [Fact]
    public async Task Hostname_tls_settings_refused_become_a_gap_naming_the_permission()
    {
        var scenario = TestScenario.Build((2, 10, 3));
        scenario.Accounts[0].Zones[2].Plan = new ZonePlan { Id = "b3a2d6f5c2e1a6b7c8d9e0f1a2b3c4d5", Name = "Business Website", LegacyId = "business" };
        AddTokenWithout(scenario, NoSslRead, PermissionGroups.SslAndCertificatesRead);
        var (sim, host, connection) = await StartAsync(scenario, NoSslRead);
        await using var _ = sim;
        using var __ = host;

        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        Assert.Equal(SyncStatus.Partial, run.Status);
        // The Universal SSL, origin pull and certificate pack reads of the zone need the same permission and are refused alike.
        Assert.Equal(["certificate_packs", "hostname_tls", "origin_pulls", "universal_ssl"], run.Skipped.Select(g => g.ResourceType).Order());
        Assert.All(run.Skipped, gap => Assert.Equal("SSL and Certificates Read", gap.MissingPermission));
        Assert.Null(host.Store.Infra[connection.Id].Data.Zones.Single(z => z.IsMonitored).Security!.HostnameMinTls);
    }
}
