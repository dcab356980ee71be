using Vigil.Core.Checks;
using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>Bot management, Logpush jobs and rate limiting entrypoints: read only for the checks that need them, 403 a gap.</summary>
public sealed class SyncZoneProtectionTests
{
    private const string BotRoute = "GET /zones/{zone_id}/bot_management";
    private const string ZoneLogpushRoute = "GET /zones/{zone_id}/logpush/jobs";
    private const string AccountLogpushRoute = "GET /accounts/{account_id}/logpush/jobs";
    private const string NoBots = "cfut_test_no_bot_management_00000000000000";

    /// <summary>One account, 6 zones (2 not monitored); zone 2 Enterprise with a Logpush job and a rate limiting entrypoint.</summary>
    private static (Scenario Scenario, ScenarioZone Enterprise) Build()
    {
        var scenario = TestScenario.Build((1, 1, 6));
        var enterprise = scenario.Accounts[0].Zones[2];
        enterprise.Plan = new ZonePlan { Id = TestScenario.Id('p', 0, 1), Name = "Enterprise Website", LegacyId = "enterprise" };
        enterprise.LogpushJobs.Add(new ScenarioLogpushJob { Id = 77, Name = "requests", Dataset = "http_requests" });
        enterprise.BotManagement = new ScenarioBotManagement { BotManagementSubscription = true };
        enterprise.Rulesets.Add(new ScenarioRuleset
        {
            Id = TestScenario.Id('r', 0, 1), Name = "default", Kind = "zone", Phase = RulesetPhases.RateLimit,
            Rules = [new ScenarioRule { Id = TestScenario.Id('r', 0, 2), Action = "block", Expression = "http.request.uri.path eq \"/login\"" }],
        });
        scenario.Accounts[0].LogpushJobs.Add(new ScenarioLogpushJob { Id = 5, Dataset = "audit_logs" });
        return (scenario, enterprise);
    }

    private static async Task<(CloudflareSimulator Sim, TestHost Host, Connection Connection, SyncRun Run)> SyncAsync(
        Scenario scenario, IReadOnlyCollection<string>? checks = null, string token = TestScenario.ReadAll)
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
    public async Task Every_check_selected_reads_bots_per_zone_and_logpush_only_for_enterprise()
    {
        var (scenario, enterprise) = Build();
        var (sim, host, connection, run) = await SyncAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(4, sim.Stats.CountFor(BotRoute));
        Assert.Equal(1, sim.Stats.CountFor(ZoneLogpushRoute));
        Assert.Equal(1, sim.Stats.CountFor(AccountLogpushRoute));
        Assert.Equal(TestScenario.InfraCalls(scenario), run.Counts.ApiCalls);

        var data = host.Store.Infra[connection.Id].Data;
        var zone = data.Zones.Single(z => z.Id == enterprise.Id);
        Assert.Equal(77.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(zone.Security!.Features!.LogpushJobs!).Id);
        Assert.Equal("s3", zone.Security.Features.LogpushJobs![0].DestinationType);
        Assert.True(zone.Security.Features.BotManagement!.IsEnterpriseBotManagement);
        Assert.NotNull(zone.Security.Entrypoints[RulesetPhases.RateLimit]);
        var free = data.Zones.Single(z => z.Id == scenario.Accounts[0].Zones[3].Id);
        Assert.Null(free.Security!.Features!.LogpushJobs);
        Assert.False(free.Security.Features.BotManagement!.FightMode);
        Assert.Equal("audit_logs", Assert.Single(Assert.Single(data.AccountLogpush!).Jobs).Dataset);
    }

    [Fact]
    public async Task Checks_not_selected_cost_no_calls()
    {
        var (scenario, _) = Build();
        var others = Vigil.Core.Checks.CheckCatalog.All.Select(c => c.Definition.Id)
            .Where(id => id is not ("cloudflare.zone-bot-protection" or "cloudflare.zone-logs-exported" or "cloudflare.zone-rate-limiting")).ToList();
        var (sim, host, connection, run) = await SyncAsync(scenario, others);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(0, sim.Stats.CountFor(BotRoute));
        Assert.Equal(0, sim.Stats.CountFor(ZoneLogpushRoute));
        Assert.Equal(0, sim.Stats.CountFor(AccountLogpushRoute));
        var reads = ScenarioRulesetReads.Of(scenario);
        // The rate limiting entrypoint the zone has is not read either: one entrypoint call less.
        Assert.Equal(TestScenario.InfraCalls(scenario) - reads.BotManagementZones - reads.LogpushZones - reads.LogpushAccounts - 1, run.Counts.ApiCalls);
        var zones = host.Store.Infra[connection.Id].Data.Zones.Where(z => z.IsMonitored).ToList();
        Assert.All(zones, z => Assert.DoesNotContain(RulesetPhases.RateLimit, z.Security!.Entrypoints.Keys));
        Assert.All(zones, z => Assert.Null(z.Security!.Features?.BotManagement));
        Assert.All(zones, z => Assert.Null(z.Security!.Features?.LogpushJobs));
    }

    [Fact]
    public async Task A_refused_bot_management_read_is_a_gap_naming_the_permission()
    {
        var (scenario, _) = Build();
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = TestScenario.Id('8', 0, 98),
            Value = NoBots,
            UserEmail = TestScenario.GlobalKeyEmail,
            Permissions = [.. PermissionGroups.AllRead.Where(g => g != PermissionGroups.BotManagementRead).Select(g => new TokenPermission { Group = g })],
        });
        var (sim, host, connection, run) = await SyncAsync(scenario, token: NoBots);
        await using var _ = sim;
        using var __ = host;

        Assert.Equal(SyncStatus.Partial, run.Status);
        Assert.Equal(4, run.Skipped.Count);
        Assert.All(run.Skipped, gap => Assert.Equal(("bot_management", "Bot Management Read"), (gap.ResourceType, gap.MissingPermission)));
        Assert.NotNull(run.Stages.Single().CommittedAt);
        var zone = host.Store.Infra[connection.Id].Data.Zones.Single(z => z.Id == scenario.Accounts[0].Zones[3].Id);
        Assert.Null(zone.Security!.Features?.BotManagement);
    }
}
