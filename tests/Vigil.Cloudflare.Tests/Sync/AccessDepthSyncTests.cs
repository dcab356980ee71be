using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>
/// The access stage reads account-owned API tokens only when a selected check needs them, records a refusal as a gap,
/// and dates memberships from the first sync that saw them (Cloudflare gives no invitation date).
/// </summary>
public sealed class AccessDepthSyncTests
{
    private const string TokensRoute = "GET /accounts/{account_id}/tokens";

    private static Scenario WithTokens(int tokens)
    {
        var scenario = TestScenario.Build((2, 6, 0), (2, 6, 0));
        var account = scenario.Accounts[0];
        for (var i = 0; i < tokens; i++)
        {
            account.AccountTokens.Add(new ScenarioAccountToken
            {
                Id = TestScenario.Id('7', 0, i),
                Name = $"token-{i}",
                IssuedOn = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero),
                ExpiresOn = i == 0 ? null : new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero),
                LastUsedOn = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero),
                IpIn = i == 0 ? [] : ["203.0.113.0/24"],
                IpNotIn = i == 0 ? ["198.51.100.0/24"] : [],
                CreatorEmail = i == 0 ? null : "ada@example.test",
                Policies = [new ScenarioTokenPolicy
                {
                    Id = TestScenario.Id('6', 0, i),
                    PermissionGroups = [new PolicyPermissionGroup { Id = "c8fed203ed3043cba015a93ad1616f1f", Name = "Zone Read" }],
                    Resources = new() { [$"com.cloudflare.api.account.{account.Id}"] = "*" },
                }],
            });
        }
        return scenario;
    }

    private static async Task<(CloudflareSimulator Sim, TestHost Host)> StartAsync(Scenario scenario, string token, TimeProvider? time = null)
    {
        var sim = await TestScenario.StartAsync(scenario);
        var host = new TestHost(sim.BaseUrl, time: time);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(token), CancellationToken.None);
        return (sim, host);
    }

    private static Task<SyncRun> SyncAsync(TestHost host, DataNeeds? needs = null) =>
        host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Access, "test") { Needs = needs ?? CheckCatalog.NeedsOf(CheckCatalog.All) }, null, null, CancellationToken.None);

    [Fact]
    public async Task Reads_every_page_of_account_tokens_in_cloudflare_shape_at_the_planned_cost()
    {
        var scenario = WithTokens(55);
        var (sim, host) = await StartAsync(scenario, TestScenario.ReadAll);
        await using var _ = sim;
        using var __ = host;

        var run = await SyncAsync(host);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        var tokens = host.Store.Access["conn-main"].Data.AccountTokens!;
        Assert.Equal(55, tokens.Count);
        var open = tokens.Single(t => t.Id == TestScenario.Id('7', 0, 0));
        Assert.Equal((scenario.Accounts[0].Id, "token-0", "active"), (open.AccountId, open.Name, open.Status));
        Assert.Null(open.ExpiresOn);
        Assert.Null(open.CreatorEmail);
        Assert.Empty(open.AllowedIps);
        Assert.Equal(["198.51.100.0/24"], open.DeniedIps);
        var bounded = tokens.Single(t => t.Id == TestScenario.Id('7', 0, 1));
        Assert.Equal(["203.0.113.0/24"], bounded.AllowedIps);
        Assert.Equal("ada@example.test", bounded.CreatorEmail);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), bounded.LastUsedOn);
        Assert.Equal(["Zone Read"], Assert.Single(bounded.Policies).PermissionGroups);

        // 55 tokens in the first account: 2 pages; the second account's empty list still costs one call.
        Assert.Equal(3, sim.Stats.CountFor(TokensRoute));
        Assert.Equal(SyncCallPlan.Access([new AccessAccountPlan(2, 6, Tokens: 55), new AccessAccountPlan(2, 6, Tokens: 0)]), run.Counts.ApiCalls);
        Assert.Equal(run.Counts.ApiCalls, sim.Stats.TotalRequests);
    }

    [Fact]
    public async Task Tokens_are_not_read_when_no_selected_check_needs_them()
    {
        var (sim, host) = await StartAsync(WithTokens(3), TestScenario.ReadAll);
        await using var _ = sim;
        using var __ = host;

        var run = await SyncAsync(host, CheckCatalog.NeedsOf(CheckCatalog.All.Where(c => c.Definition.Id != "cloudflare.account-tokens-hygiene")));

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(0, sim.Stats.CountFor(TokensRoute));
        Assert.Null(host.Store.Access["conn-main"].Data.AccountTokens);
        Assert.Equal(SyncCallPlan.Access([new AccessAccountPlan(2, 6, Tokens: null), new AccessAccountPlan(2, 6, Tokens: null)]), run.Counts.ApiCalls);
    }

    [Fact]
    public async Task A_refused_token_read_is_a_gap_naming_the_permission_and_the_check_says_unknown()
    {
        var (sim, host) = await StartAsync(WithTokens(3), TestScenario.NoAccountTokensRead);
        await using var _ = sim;
        using var __ = host;

        var run = await SyncAsync(host);

        Assert.True(run.Status == SyncStatus.Partial, run.Reason);
        Assert.All(run.Skipped, g => Assert.Equal((AccountToken.GapType, CloudflarePermissions.AccountApiTokensRead), (g.ResourceType, g.MissingPermission)));
        Assert.Equal(2, run.Skipped.Count);
        Assert.Contains("Account API Tokens Read", run.Reason, StringComparison.Ordinal);

        var snapshot = (await host.Store.LoadCurrentSnapshotAsync(CancellationToken.None))!;
        var result = CheckRunner.Evaluate(EvaluationContext.Create(snapshot, [], [], null, TimeProvider.System.GetUtcNow()), [CheckCatalog.Find("cloudflare.account-tokens-hygiene")!]);
        var findings = Assert.Single(result.Results).Findings;
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(FindingStatus.Unknown, f.Status));
        Assert.All(findings, f => Assert.Contains("'Account API Tokens Read'", f.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pending_invitation_keeps_the_date_it_was_first_seen_so_it_fails_fifteen_days_later()
    {
        var clock = new ShiftedClock();
        var scenario = WithTokens(0);
        var pendingId = TestScenario.Id('c', 0, 3);
        Assert.Equal("pending", scenario.Accounts[0].Members.Single(m => m.Id == pendingId).Status);
        var (sim, host) = await StartAsync(scenario, TestScenario.ReadAll, clock);
        await using var _ = sim;
        using var __ = host;

        var first = await SyncAsync(host);
        var seenAt = host.Store.Access["conn-main"].At;
        Assert.Equal(seenAt, host.Store.Access["conn-main"].Data.Members.Single(m => m.Id == pendingId).FirstSeenAt);
        var invites = CheckCatalog.Find("cloudflare.invites-not-stale")!;
        var young = CheckRunner.Evaluate(EvaluationContext.Create((await host.Store.LoadCurrentSnapshotAsync(CancellationToken.None))!, [], [], null, clock.GetUtcNow()), [invites]);
        Assert.Equal(CheckStatus.Pass, Assert.Single(young.Results).Status);

        clock.Shift = TimeSpan.FromDays(15);
        var second = await SyncAsync(host);
        Assert.NotEqual(first.Id, second.Id);
        var snapshot = (await host.Store.LoadCurrentSnapshotAsync(CancellationToken.None))!;
        var members = host.Store.Access["conn-main"].Data.Members;
        Assert.Equal(seenAt, members.Single(m => m.Id == pendingId).FirstSeenAt);
        Assert.All(members, m => Assert.Equal(seenAt, m.FirstSeenAt));

        var result = Assert.Single(CheckRunner.Evaluate(EvaluationContext.Create(snapshot, [], [], null, clock.GetUtcNow()), [invites]).Results);
        Assert.Equal(CheckStatus.Fail, result.Status);
        var stale = Assert.Single(result.Findings, f => f.Status == FindingStatus.Fail && f.AccountId == scenario.Accounts[0].Id);
        Assert.Equal(pendingId, stale.ResourceId);
        Assert.Contains("(15 days ago; Cloudflare gives no invitation date, so this is when Vigil first saw the invitation)", stale.Reason, StringComparison.Ordinal);
    }

    /// <summary>System time moved forward by <see cref="Shift"/>: a second sync "15 days later" without waiting, while delays stay real.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
    }
}
