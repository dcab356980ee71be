using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

public sealed class SyncServiceTests
{
    // Three accounts: roles/members/zones. Zone 0 of an account with 3+ zones is pending and zone 1 paused.
    private static readonly (int Roles, int Members, int Zones)[] Estate = [(7, 120, 60), (55, 3, 4), (0, 51, 0)];
    private const int AllZones = 64;
    private const int MonitoredZones = 58 + 2;
    private const int AllMembers = 174;

    /// <summary>
    /// access = ceil(3 accounts/50)=1 + account 0 [ceil(7/50)=1 + ceil(120/50)=3] + account 1 [ceil(55/50)=2 + ceil(3/50)=1]
    ///          + account 2 [ceil(0/50)=1 + ceil(51/50)=2] + per account 1 user-group list (none here) + 1 SSO connectors
    ///          + 1 account-owned tokens list (none here; read because the catalogue's token check needs it)
    ///          = 11 + 9 = 20 (the list carries settings: no detail calls; no verify call);
    /// infra = ceil(64 zones/50)=2 + 2 accounts with zones × 1 rulesets list (no account entrypoints)
    ///         + 60 active unpaused Free zones × (1 batch settings + 1 DNSSEC + 1 rulesets list + 1 page rules + 1 bot management
    ///         + 1 certificate packs page) + 21 managed entrypoints that exist = 385 (265 before bot management and certificate packs;
    ///         Free zones cost no Logpush read)
    ///         (before the rulesets list: 60 × 3 entrypoint calls whether they existed or not, and no page rules: 302).
    /// </summary>
    private static int MinimumCalls(bool batchAvailable = true, bool discoversBatchEnded = false) =>
        SyncCallPlan.Access([(7, 120), (55, 3), (0, 51)])
        + TestScenario.InfraCalls(TestScenario.Build(Estate), batchAvailable, discoversBatchEnded);

    private static async Task<(CloudflareSimulator Sim, TestHost Host, Connection Connection)> StartAsync(
        Scenario? scenario = null, string token = TestScenario.ReadAll, Action<CloudflareOptions>? configure = null)
    {
        var sim = await TestScenario.StartAsync(scenario ?? TestScenario.Build(Estate));
        var host = new TestHost(sim.BaseUrl, configure);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(token), CancellationToken.None);
        return (sim, host, connection);
    }

    private static void AssertStatus(SyncStatus expected, SyncRun run) =>
        Assert.True(run.Status == expected, $"expected {expected}, was {run.Status}: {run.Reason}");

    [Fact]
    public async Task Multi_account_estate_syncs_completely_with_the_minimum_calls()
    {
        var (sim, host, connection) = await StartAsync();
        await using var _ = sim;
        using var __ = host;
        var committed = new List<SyncStageKind>();
        var progress = new ProgressSpy();

        var run = await host.Sync.RunAsync(progress: progress, committed: committed);

        AssertStatus(SyncStatus.Complete, run);
        Assert.Null(run.Reason);
        // 265 infra calls before DNS records (+60, a page per zone), bot management (+60), certificate packs (+60, a page per zone) and the zone
        // configuration checks; they add 2 per monitored zone (Universal SSL, origin pulls).
        Assert.Equal(20 + 445 + SyncCallPlan.FeatureReadCalls * MonitoredZones, MinimumCalls());
        Assert.Equal(MinimumCalls(), run.Counts.ApiCalls);
        Assert.Equal(MinimumCalls(), sim.Stats.TotalRequests);
        Assert.Equal(new SyncCounts(3, AllMembers, AllZones, MinimumCalls(), 0), run.Counts);
        Assert.Equal([SyncStageKind.Access, SyncStageKind.Infra], committed);
        Assert.Equal([20, 445 + SyncCallPlan.FeatureReadCalls * MonitoredZones], run.Stages.Select(s => s.ApiCalls));
        Assert.Empty(run.Skipped);

        var access = host.Store.Access[connection.Id].Data;
        Assert.Equal(AllMembers, access.Members.Select(m => m.Id).Distinct().Count());
        Assert.Equal(62, access.Roles.Count);
        Assert.Equal([true, false, true], access.Accounts.OrderBy(a => a.Id).Select(a => a.EnforceTwoFactor));
        Assert.Contains(access.Members, m => m.TwoFactorEnabled is null);
        Assert.Contains(access.Members, m => m.Status == MembershipStatus.Pending);
        Assert.All(access.Members.Where(m => m.AccountId == TestScenario.Id('a', 2, 0)), m => Assert.NotEmpty(m.Policies));
        Assert.Equal(20, access.Evidence.Count); // every page read, user-group lists, SSO connectors and token lists included

        var zones = host.Store.Infra[connection.Id].Data.Zones;
        Assert.Equal(AllZones, zones.Count);
        Assert.All(zones.Where(z => !z.IsMonitored), z => Assert.Null(z.Security));
        Assert.All(zones.Where(z => z.IsMonitored), z =>
        {
            Assert.Equal("strict", z.Security!.Ssl);
            Assert.NotNull(z.Security.Hsts);
            Assert.NotNull(z.Security.DnssecStatus);
            Assert.Equal(Vigil.Core.Checks.CheckCatalog.ZonePhasesOf(Vigil.Core.Checks.CheckCatalog.All).Order(), z.Security.Entrypoints.Keys.Order());
        });
        var withWaf = zones.Single(z => z.Id == TestScenario.Id('b', 0, 2));
        Assert.Equal("efb7b8c949ac4650a09736fc376e9aee", withWaf.Security!.Entrypoints[RulesetPhases.ManagedWaf]!.Rules[0].ExecutesRulesetId);
        Assert.Null(withWaf.Security.Entrypoints[RulesetPhases.ConfigSettings]);

        var last = progress.Reports[^1];
        Assert.Equal((MonitoredZones, MonitoredZones), (last.ZonesDone, last.ZonesTotal));
        Assert.Contains(progress.Reports, p => p.Stage == SyncStageKind.Access && p.AccountsDone == 3 && p.Members == AllMembers);
    }

    [Fact]
    public async Task Ended_batch_settings_call_is_probed_once_then_settings_are_read_one_by_one_and_remembered()
    {
        // One account, 20 zones of which 18 are active and unpaused; per-setting reads cost 5 calls a zone instead of 1.
        var scenario = TestScenario.Build((2, 10, 20));
        scenario.Quirks.BatchSettingsEnded = true;
        var (sim, host, connection) = await StartAsync(scenario);
        await using var _ = sim;
        using var __ = host;

        var first = await host.Sync.RunAsync();

        AssertStatus(SyncStatus.Complete, first);
        Assert.Equal(1, sim.Stats.CountFor("GET /zones/{zone_id}/settings"));
        // The five core settings and the six the zone configuration checks read.
        Assert.Equal((5 + 6) * 18, sim.Stats.CountFor("GET /zones/{zone_id}/settings/{setting_id}"));
        Assert.Equal(SyncCallPlan.Access([(2, 10)]) + TestScenario.InfraCalls(scenario, batchSettingsAvailable: false, discoversBatchEnded: true), first.Counts.ApiCalls);
        Assert.Equal([(connection.Id, ZoneSettingsReader.BatchEndpoint)], host.Connections.Remembered);
        var zone = host.Store.Infra[connection.Id].Data.Zones.First(z => z.IsMonitored);
        Assert.Equal(("strict", "on", "off"), (zone.Security!.Ssl, zone.Security.AlwaysUseHttps, zone.Security.LegacyWaf));
        Assert.NotNull(zone.Security.MinTlsVersion);
        Assert.True(zone.Security.Hsts!.Enabled);
        // Read one by one again for cloudflare.zone-under-attack-not-permanent, which reads it from the features.
        Assert.Equal("medium", zone.Security.Features!.Settings!["security_level"]);
        Assert.Equal("medium", zone.Security.SecurityLevel);
        Assert.Equal(("on", "off", "on"), (zone.Security.Features.Settings["tls_1_3"], zone.Security.Features.Settings["development_mode"], zone.Security.Features.Settings["email_obfuscation"]));

        sim.Stats.Reset();
        var second = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        Assert.Equal(0, sim.Stats.CountFor("GET /zones/{zone_id}/settings"));
        Assert.Equal(TestScenario.InfraCalls(scenario, batchSettingsAvailable: false), second.Counts.ApiCalls);
    }

    [Fact]
    public async Task Account_token_connection_reads_its_account_without_the_accounts_list()
    {
        var (sim, host, _) = await StartAsync(token: TestScenario.AccountToken);
        await using var __ = sim;
        using var ___ = host;
        var accountId = TestScenario.Id('a', 0, 0);
        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl, CredentialKind.AccountToken, accountId: accountId);
        await host.Connections.SaveAsync(connection, new Secret(TestScenario.AccountToken), CancellationToken.None);

        var run = await host.Sync.RunAsync();

        AssertStatus(SyncStatus.Complete, run);
        Assert.Equal(0, sim.Stats.CountFor("GET /accounts"));
        Assert.Equal(accountId, Assert.Single(host.Store.Access[connection.Id].Data.Accounts).Id);
        Assert.All(host.Store.Infra[connection.Id].Data.Zones, z => Assert.Equal(accountId, z.AccountId));
        Assert.Equal(SyncCallPlan.Access([(7, 120)], accountNamed: true) + TestScenario.InfraCalls(TestScenario.Build((7, 120, 60))), run.Counts.ApiCalls);
    }

    [Fact]
    public async Task Accounts_list_with_an_account_token_ends_despite_the_page_quirk()
    {
        // 60 accounts would be two pages, but for an account token every page answers page 1.
        var scenario = TestScenario.Build([.. Enumerable.Repeat((1, 1, 0), 60)]);
        await using var sim = await TestScenario.StartAsync(scenario);
        using var host = new TestHost(sim.BaseUrl);
        var session = new ApiSession(sim.BaseUrl, CloudflareCredential.AccountToken(new Secret(TestScenario.AccountToken)));

        var pages = new List<ApiPage<AccountDto>>();
        await foreach (var page in host.Client.ListAccountsAsync(session, CancellationToken.None))
        {
            pages.Add(page);
        }

        Assert.Single(pages);
        Assert.InRange(sim.Stats.CountFor("GET /accounts"), 1, 2);
    }

    [Fact]
    public async Task Infra_failure_after_access_committed_keeps_the_previous_zone_data_and_the_run_is_partial()
    {
        var (sim, host, connection) = await StartAsync();
        await using var _ = sim;
        using var __ = host;
        var first = await host.Sync.RunAsync();
        sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, PathPattern = "^/zones$", StatusCode = 503 });

        var second = await host.Sync.RunAsync();

        AssertStatus(SyncStatus.Partial, second);
        Assert.Contains("infra stage of connection 'main' failed and kept the previous data", second.Reason);
        Assert.Contains("503", second.Reason);
        Assert.Equal(second.Id, host.Store.Access[connection.Id].RunId);
        Assert.Equal(first.Id, host.Store.Infra[connection.Id].RunId);
        Assert.Equal(AllZones, host.Store.Infra[connection.Id].Data.Zones.Count);
        var infra = second.Stages.Single(s => s.Stage == SyncStageKind.Infra);
        Assert.Equal((SyncStatus.Failed, (DateTimeOffset?)null), (infra.Status, infra.CommittedAt));
        Assert.Equal(4, infra.ApiCalls); // MaxAttempts tries of GET /zones, then the stage gives up
    }

    [Fact]
    public async Task Token_revoked_mid_sync_fails_the_stage_and_keeps_the_previous_snapshot()
    {
        var (sim, host, connection) = await StartAsync(token: TestScenario.Revocable);
        await using var _ = sim;
        using var __ = host;
        var first = await host.Sync.RunAsync();
        var revoked = 0;
        var progress = new ProgressSpy(p =>
        {
            if (p.Stage == SyncStageKind.Infra && p.ZonesDone >= 3 && Interlocked.Exchange(ref revoked, 1) == 0)
            {
                sim.RevokeToken(TestScenario.Revocable);
            }
        });

        var second = await host.Sync.RunAsync(progress: progress);

        AssertStatus(SyncStatus.Partial, second);
        Assert.Contains(ConnectionProblems.InvalidToken.Message, second.Reason);
        Assert.Equal(first.Id, host.Store.Infra[connection.Id].RunId);
        Assert.Equal(second.Id, host.Store.Access[connection.Id].RunId);

        var third = await host.Sync.RunAsync();
        AssertStatus(SyncStatus.Failed, third);
        Assert.Equal(first.Id, host.Store.Infra[connection.Id].RunId);
        Assert.Equal(second.Id, host.Store.Access[connection.Id].RunId);
        Assert.All(third.Stages, s => Assert.Equal(1, s.ApiCalls)); // a refused credential is never retried
    }

    [Fact]
    public async Task Rate_limit_storm_is_waited_out_and_counted()
    {
        var (sim, host, _) = await StartAsync();
        await using var __ = sim;
        using var ___ = host;
        sim.Faults.Add(new FaultRule { Kind = FaultKind.RateLimited, PathPattern = "/members$", Times = 2, RetryAfter = TimeSpan.FromSeconds(1) });

        var run = await host.Sync.RunAsync(ConnectionPurpose.Access);

        AssertStatus(SyncStatus.Complete, run);
        Assert.Equal(2, run.Counts.RateLimited);
        Assert.Equal(SyncCallPlan.Access([(7, 120), (55, 3), (0, 51)]) + 2, run.Counts.ApiCalls);
        Assert.Equal(AllMembers, run.Counts.Members);
    }

    [Theory]
    [InlineData(FaultKind.ServerError, "/dnssec$", 3)]
    [InlineData(FaultKind.DropConnection, "/members$", 2)]
    [InlineData(FaultKind.MalformedJson, "^/zones$", 1)]
    [InlineData(FaultKind.Slow, "/roles$", 0)]
    public async Task Transient_faults_are_retried_into_a_complete_snapshot(FaultKind kind, string path, int extraCalls)
    {
        var (sim, host, connection) = await StartAsync(configure: o => o.RequestTimeout = TimeSpan.FromMilliseconds(kind == FaultKind.Slow ? 5000 : 2000));
        await using var _ = sim;
        using var __ = host;
        sim.Faults.Add(new FaultRule { Kind = kind, PathPattern = path, Times = Math.Max(extraCalls, 1), StatusCode = 502, Delay = TimeSpan.FromMilliseconds(50) });

        var run = await host.Sync.RunAsync();

        AssertStatus(SyncStatus.Complete, run);
        Assert.Equal(MinimumCalls() + extraCalls, run.Counts.ApiCalls);
        Assert.Equal(AllMembers, host.Store.Access[connection.Id].Data.Members.Count);
        Assert.Equal(AllZones, host.Store.Infra[connection.Id].Data.Zones.Count);
    }

    [Fact]
    public async Task Persistent_malformed_json_fails_the_run_clearly_and_keeps_the_previous_snapshot()
    {
        var (sim, host, connection) = await StartAsync();
        await using var _ = sim;
        using var __ = host;
        var first = await host.Sync.RunAsync(ConnectionPurpose.Access);
        sim.Faults.Add(new FaultRule { Kind = FaultKind.MalformedJson, PathPattern = "/roles$" });

        var second = await host.Sync.RunAsync(ConnectionPurpose.Access);

        AssertStatus(SyncStatus.Failed, second);
        Assert.Contains("not valid JSON", second.Reason);
        Assert.Equal(first.Id, host.Store.Access[connection.Id].RunId);
    }

    [Fact]
    public async Task Missing_dns_permission_becomes_gaps_naming_the_permission_not_a_failure()
    {
        var (sim, host, connection) = await StartAsync(token: TestScenario.NoDnsRead);
        await using var _ = sim;
        using var __ = host;

        var run = await host.Sync.RunAsync(ConnectionPurpose.Infra);

        AssertStatus(SyncStatus.Partial, run);
        Assert.Contains("\"DNS Read\"", run.Reason);
        // Two DNS Read gaps per monitored zone: its DNSSEC status and its DNS records.
        Assert.Equal(2 * MonitoredZones, run.Skipped.Count);
        Assert.All(run.Skipped, g => Assert.Equal(("infra", "DNS Read"), (g.Stage, g.MissingPermission)));
        Assert.Equal(MonitoredZones, run.Skipped.Count(g => g.ResourceType == "dnssec"));
        Assert.Equal(MonitoredZones, run.Skipped.Count(g => g.ResourceType == "dns_records" && g.What == $"GET /zones/{g.ResourceId}/dns_records"));
        var data = host.Store.Infra[connection.Id].Data;
        Assert.Equal(2 * MonitoredZones, data.Gaps.Count);
        Assert.All(data.Zones.Where(z => z.IsMonitored), z => Assert.Equal((null, "strict", null), (z.Security!.DnssecStatus, z.Security.Ssl, z.Security.Features?.DnsRecordCount)));
        Assert.Empty(data.DnsRecords!);
    }

    [Fact]
    public async Task Missing_zone_read_fails_only_the_infra_stage_and_names_the_permission()
    {
        var (sim, host, connection) = await StartAsync(token: TestScenario.NoZoneRead);
        await using var _ = sim;
        using var __ = host;

        var run = await host.Sync.RunAsync();

        AssertStatus(SyncStatus.Partial, run);
        Assert.Contains("\"Zone Read\"", run.Reason);
        Assert.True(host.Store.Access.ContainsKey(connection.Id));
        Assert.False(host.Store.Infra.ContainsKey(connection.Id));
    }

    [Fact]
    public async Task Missing_account_settings_read_records_member_and_role_gaps()
    {
        var (sim, host, connection) = await StartAsync(token: TestScenario.NoAccountSettings);
        await using var _ = sim;
        using var __ = host;

        var run = await host.Sync.RunAsync(ConnectionPurpose.Access);

        AssertStatus(SyncStatus.Partial, run);
        Assert.Contains(run.Skipped, g => g.ResourceType == "member" && g.MissingPermission == CloudflarePermissions.AccountSettingsRead);
        Assert.Contains(run.Skipped, g => g.ResourceType == "role" && g.MissingPermission == CloudflarePermissions.AccountSettingsRead);
        Assert.Empty(host.Store.Access[connection.Id].Data.Members);
    }

    [Fact]
    public async Task Without_connections_the_run_fails_with_a_plain_reason()
    {
        using var host = new TestHost("http://127.0.0.1:9/client/v4");

        var run = await host.Sync.RunAsync();

        AssertStatus(SyncStatus.Failed, run);
        Assert.Equal("No Cloudflare connection is configured.", run.Reason);
        Assert.Equal(run, await host.Store.GetRunAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Each_connection_takes_part_only_in_the_stages_of_its_purpose()
    {
        await using var sim = await TestScenario.StartAsync(TestScenario.Build((3, 12, 5), (2, 4, 3)));
        using var host = new TestHost(sim.BaseUrl);
        var people = InMemoryConnectionStore.NewConnection("people", sim.BaseUrl, purpose: ConnectionPurpose.Access);
        var edge = InMemoryConnectionStore.NewConnection("edge", sim.BaseUrl, purpose: ConnectionPurpose.Infra);
        await host.Connections.SaveAsync(people, new Secret(TestScenario.ReadAll), CancellationToken.None);
        await host.Connections.SaveAsync(edge, new Secret(TestScenario.NoAccountSettings), CancellationToken.None);

        var run = await host.Sync.RunAsync();

        AssertStatus(SyncStatus.Complete, run);
        Assert.Equal([(people.Id, SyncStageKind.Access), (edge.Id, SyncStageKind.Infra)], run.Stages.Select(s => (s.ConnectionId, s.Stage)));
        Assert.Equal(SyncCallPlan.Access([(3, 12), (2, 4)]) + TestScenario.InfraCalls(TestScenario.Build((3, 12, 5), (2, 4, 3))), run.Counts.ApiCalls);
        Assert.Equal([people.Id], host.Store.Access.Keys);
        Assert.Equal([edge.Id], host.Store.Infra.Keys);
    }

    [Fact]
    public async Task A_failing_callback_still_finishes_the_run()
    {
        var (sim, host, _) = await StartAsync(TestScenario.Build((1, 2, 0)));
        await using var __ = sim;
        using var ___ = host;

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Both, "test"), null,
            (_, _) => throw new InvalidOperationException("evaluation broke"), CancellationToken.None));

        var run = Assert.Single(await host.Store.ListRunsAsync(5, CancellationToken.None));
        AssertStatus(SyncStatus.Partial, run);
        Assert.Contains("evaluation broke", run.Reason);
    }
}
