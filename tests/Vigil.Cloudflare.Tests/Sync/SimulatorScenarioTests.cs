using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>The simulator's own demo and generated organisations, as the CLI demo and the bench use them.</summary>
public sealed class SimulatorScenarioTests
{
    private static int MinimumCalls(Scenario scenario) =>
        SyncCallPlan.Access([.. scenario.Accounts.Select(a => new AccessAccountPlan(a.Roles.Count, a.Members.Count,
            [.. a.UserGroups.Select(g => g.MemberIds.Count)],
            a.Members.SelectMany(m => m.Policies).Concat(a.UserGroups.SelectMany(g => g.Policies)).Any(p => p.PermissionGroups.Any(g => g.Name is null))
                ? a.PermissionGroups.Count
                : null, a.AccountTokens.Count))])
        + TestScenario.InfraCalls(scenario, batchSettingsAvailable: !scenario.Quirks.BatchSettingsEnded, discoversBatchEnded: scenario.Quirks.BatchSettingsEnded);

    private static async Task<(SyncRun Run, TestHost Host)> SyncAsync(CloudflareSimulator sim, string token)
    {
        var host = new TestHost(sim.BaseUrl);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(token), CancellationToken.None);
        return (await host.Sync.RunAsync(), host);
    }

    [Fact]
    public async Task Generated_organisation_syncs_completely_with_the_minimum_calls()
    {
        // Sized to stay within one window of the default request budget (600 per 5 minutes): 60 zones cost about 450 calls.
        var scenario = ScenarioGenerator.Generate(accounts: 3, members: 400, zones: 60);
        await using var sim = await TestScenario.StartAsync(scenario);

        var (run, host) = await SyncAsync(sim, ScenarioGenerator.AllReadToken);
        using var _ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(MinimumCalls(scenario), run.Counts.ApiCalls);
        Assert.Equal(sim.Stats.TotalRequests, run.Counts.ApiCalls);
        Assert.Equal((3, 400, 60), (run.Counts.Accounts, run.Counts.Members, run.Counts.Zones));
        var members = host.Store.Access["conn-main"].Data.Members;
        Assert.Contains(members, m => m.TwoFactorEnabled is null);
        Assert.Contains(members, m => m.Roles.Count == 0 && m.Policies.Count > 0);
    }

    [Fact]
    public async Task Demo_organisation_syncs_completely()
    {
        var scenario = Scenario.Demo();
        await using var sim = await TestScenario.StartAsync(scenario);

        var (run, host) = await SyncAsync(sim, DemoCredentials.ReadAllToken);
        using var _ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(MinimumCalls(scenario), run.Counts.ApiCalls);
        Assert.Equal(scenario.Accounts.Sum(a => a.Members.Count), run.Counts.Members);
    }

    [Theory]
    [InlineData(DemoCredentials.ReadAllToken, null, null)]
    [InlineData(DemoCredentials.AccountToken, null, "account_token_without_account_id")]
    [InlineData(DemoCredentials.AccountToken, DemoCredentials.AccountTokenAccountId, null)]
    [InlineData(DemoCredentials.NoZoneReadToken, null, "missing_permission")]
    [InlineData(DemoCredentials.NoAccountSettingsReadToken, null, "missing_permission")]
    [InlineData(DemoCredentials.ExpiredToken, null, "token_expired")]
    [InlineData(DemoCredentials.DisabledToken, null, "token_disabled")]
    [InlineData(DemoCredentials.NotYetValidToken, null, "token_not_yet_valid")]
    [InlineData(DemoCredentials.IpRestrictedToken, null, "token_ip_restricted")]
    public async Task Demo_credentials_get_the_expected_diagnosis(string token, string? accountId, string? problem)
    {
        await using var sim = await TestScenario.StartAsync(Scenario.Demo());
        using var host = new TestHost(sim.BaseUrl);

        var report = await host.Preflight.RunAsync(
            new PreflightRequest(CloudflareCredential.UserToken(new Secret(token)), sim.BaseUrl, ConnectionPurpose.Both, accountId), CancellationToken.None);

        Assert.Equal(problem, report.Problems.Select(p => p.Code).Distinct().SingleOrDefault());
        Assert.Equal(problem is null, report.IsReady(ConnectionPurpose.Both));
    }

    [Fact]
    public async Task Demo_global_key_is_accepted()
    {
        await using var sim = await TestScenario.StartAsync(Scenario.Demo());
        using var host = new TestHost(sim.BaseUrl);

        var report = await host.Preflight.RunAsync(new PreflightRequest(
            CloudflareCredential.GlobalKey(DemoCredentials.GlobalKeyEmail, new Secret(DemoCredentials.GlobalApiKey)), sim.BaseUrl, ConnectionPurpose.Both, null), CancellationToken.None);

        Assert.True(report.IsReady(ConnectionPurpose.Both), report.Summary);
        Assert.Equal(2, report.Accounts.Count);
    }
}
