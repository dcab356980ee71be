using Microsoft.Extensions.DependencyInjection;
using Vigil.Cloudflare;
using Vigil.Cloudflare.Sync;
using Vigil.Core;
using Vigil.Core.Storage;
using Vigil.Core.Sync;
using Vigil.Simulation;
using Vigil.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Cli.Tests;

/// <summary>A real sync against the simulator and the real SQLite store, with 'connections remove' landing mid-stage.</summary>
public sealed class SyncRaceTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("vigil-race-test-").FullName;

    [Fact]
    public async Task A_connection_removed_while_its_stage_reads_keeps_none_of_that_data()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        await using var store = await SqliteStore.OpenAsync(VigilHome.DatabasePath(_home), MasterKey.Generate(), TimeProvider.System, CancellationToken.None);
        var lab = NewConnection("conn-lab", "lab", sim.BaseUrl, DemoCredentials.StagingAccountId);
        var prod = NewConnection("conn-prod", "prod", sim.BaseUrl, DemoCredentials.ProductionAccountId);
        await store.SaveAsync(lab, new Secret(DemoCredentials.ReadAllToken), CancellationToken.None);
        await store.SaveAsync(prod, new Secret(DemoCredentials.ReadAllToken), CancellationToken.None);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConnectionStore>(store);
        services.AddSingleton<ISyncStore>(store);
        services.AddVigilCloudflare(o => o.BaseUrl = sim.BaseUrl);
        await using var provider = services.BuildServiceProvider();

        // The operator removes 'lab' the moment its access stage has listed its account: its reads go on, its commit comes after.
        var removeLab = new RemoveOnFirstReport(store, "lab");
        var run = await provider.GetRequiredService<SyncService>().RunAsync(new SyncRequest(ConnectionPurpose.Both, "cli"), removeLab, null, CancellationToken.None);

        Assert.True(removeLab.Removed);
        var current = await store.LoadCurrentSnapshotAsync(CancellationToken.None);
        Assert.NotNull(current);
        Assert.NotEmpty(current.Members);
        Assert.All(current.Members, m => Assert.Equal(DemoCredentials.ProductionAccountId, m.AccountId));
        Assert.All(current.Accounts, a => Assert.Equal("conn-prod", a.ConnectionId));
        Assert.All(current.Zones, z => Assert.Equal(DemoCredentials.ProductionAccountId, z.AccountId));
        Assert.Equal(SyncStatus.Partial, run.Status);
        var labStages = run.Stages.Where(s => s.ConnectionId == "conn-lab").ToList();
        Assert.NotEmpty(labStages);
        Assert.All(labStages, s => Assert.Equal((SyncStatus.Failed, (DateTimeOffset?)null), (s.Status, s.CommittedAt)));
        Assert.Contains("connection 'lab' was removed during the sync; its data was not kept",
            labStages.Single(s => s.Stage == SyncStageKind.Access).Reason);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }

    private static Connection NewConnection(string id, string name, string apiUrl, string accountId) =>
        new(id, name, ConnectionPurpose.Both, apiUrl, accountId, CredentialKind.UserToken, null, DateTimeOffset.UnixEpoch, null, null,
            new HashSet<string>(StringComparer.Ordinal));

    private sealed class RemoveOnFirstReport(SqliteStore store, string name) : IProgress<SyncProgress>
    {
        public bool Removed { get; private set; }

        public void Report(SyncProgress value)
        {
            if (!Removed && value.ConnectionName == name)
            {
                Removed = store.RemoveAsync(name, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }
}
