using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>Pacing end to end, with windows of a second or two instead of five minutes.</summary>
public sealed class SyncPacingTests
{
    [Fact]
    public async Task Cloudflare_remaining_figure_paces_the_sync_before_any_429()
    {
        // Cloudflare (the simulator) allows 25 requests per 2 s; Vigil's own budget would allow 600. The sync needs 32.
        await using var sim = await TestScenario.StartAsync(TestScenario.Build((1, 10, 10)), rateLimit: 25, window: TimeSpan.FromSeconds(2));
        using var host = new TestHost(sim.BaseUrl);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(TestScenario.ReadAll), CancellationToken.None);

        var run = await host.Sync.RunAsync();

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(SyncCallPlan.Access([(1, 10)]) + TestScenario.InfraCalls(TestScenario.Build((1, 10, 10))), run.Counts.ApiCalls);
        Assert.Equal(0, sim.Stats.RateLimited);
        Assert.Equal(0, run.Counts.RateLimited);
    }

    [Fact]
    public async Task Own_budget_paces_and_progress_says_so_with_an_estimate()
    {
        await using var sim = await TestScenario.StartAsync(TestScenario.Build((1, 5, 12)));
        // A budget small enough that even a loaded machine outruns it, so the budget, not the machine, paces the sync.
        using var host = new TestHost(sim.BaseUrl, o =>
        {
            o.BudgetRequests = 8;
            o.BudgetWindow = TimeSpan.FromSeconds(1);
        });
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(TestScenario.ReadAll), CancellationToken.None);
        var progress = new ProgressSpy();

        var run = await host.Sync.RunAsync(progress: progress);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        Assert.Equal(SyncCallPlan.Access([(1, 5)]) + TestScenario.InfraCalls(TestScenario.Build((1, 5, 12))), run.Counts.ApiCalls); // access + infra: more than one window's worth
        Assert.Contains(progress.Reports, p => p.PacedByRateLimit && p.EstimatedTimeLeft > TimeSpan.Zero);
        Assert.All(progress.Reports.Where(p => !p.PacedByRateLimit), p => Assert.Null(p.EstimatedTimeLeft));
        Assert.True(progress.Reports[^1].WaitedOnBudget > TimeSpan.FromSeconds(1), $"waited {progress.Reports[^1].WaitedOnBudget}");
    }
}
