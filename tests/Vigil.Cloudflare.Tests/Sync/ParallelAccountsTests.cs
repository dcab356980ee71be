using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>Accounts are read several at a time; the rows must still come out in a stable order.</summary>
public sealed class ParallelAccountsTests
{
    [Fact]
    public async Task Accounts_read_in_parallel_keep_account_and_page_order()
    {
        var scenario = ScenarioGenerator.Generate(accounts: 6, members: 330, zones: 0);
        await using var sim = await TestScenario.StartAsync(scenario);
        using var host = new TestHost(sim.BaseUrl);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(ScenarioGenerator.AllReadToken), CancellationToken.None);

        var run = await host.Sync.RunAsync(ConnectionPurpose.Access);

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        var data = host.Store.Access["conn-main"].Data;
        Assert.Equal(scenario.Accounts.SelectMany(a => a.Members.Select(m => m.Id)), data.Members.Select(m => m.Id));
        Assert.Equal(scenario.Accounts.SelectMany(a => a.Roles.Select(r => r.Id)), data.Roles.Select(r => r.Id));
    }
}
