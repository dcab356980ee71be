using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Sqlite;

public sealed class SqliteEvidenceTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly FakeTimeProvider _time = new(Sample.Start);

    [Fact]
    public async Task Evidence_is_kept_per_run_in_order_and_identical_bodies_are_stored_once()
    {
        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, MasterKey.Generate(), _time, CancellationToken.None);
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), CancellationToken.None);
        var access = Sample.EveryAccessShape("c-1");
        var run1 = await store.StartRunAsync("cli", Sample.Start, CancellationToken.None);
        await store.CommitAccessStageAsync(run1.Id, "c-1", access, Sample.Start, CancellationToken.None);
        await Sample.FinishAsync(store, run1);
        var run2 = await store.StartRunAsync("cli", Sample.Start.AddHours(1), CancellationToken.None);
        await store.CommitAccessStageAsync(run2.Id, "c-1", access, Sample.Start.AddHours(1), CancellationToken.None);

        var evidence = await store.ReadEvidenceAsync(run2.Id, CancellationToken.None).ToListAsync();

        Sample.AssertDeepEqual(access.Evidence, evidence.Select(e => e.Payload).ToList());
        Assert.All(evidence, e => Assert.Equal(("c-1", SyncStageKind.Access, run2.Id), (e.ConnectionId, e.Stage, e.RunId)));
        Assert.Equal(access.Evidence.Count, Count("evidence_bodies"));
        Assert.Equal(2 * access.Evidence.Count, Count("evidence_payloads"));
    }

    [Fact]
    public async Task A_large_stage_commits_and_loads_completely()
    {
        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, MasterKey.Generate(), _time, CancellationToken.None);
        var members = Enumerable.Range(0, 20_000).Select(i => Sample.Member($"m-{i}", $"acc-{i % 20}", $"user{i}@example.com")).ToList();
        var zones = Enumerable.Range(0, 5_000)
            .Select(i => new Zone($"z-{i}", $"zone{i}.example", $"acc-{i % 20}", "active", false, "Free Website", Sample.SecureZone()))
            .ToList();
        var evidence = Enumerable.Range(0, 3_000)
            .Select(i => new RawPayload($"GET /zones/z-{i}/settings", Sample.Start, $$"""{"result":[{"id":"ssl","value":"strict"}],"n":{{i}}}"""))
            .ToList();
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), CancellationToken.None);
        var run = await store.StartRunAsync("cli", Sample.Start, CancellationToken.None);

        await store.CommitAccessStageAsync(run.Id, "c-1", new AccessStageData([], [], members, [], evidence), Sample.Start, CancellationToken.None);
        await store.CommitInfraStageAsync(run.Id, "c-1", new InfraStageData(zones, [], evidence), Sample.Start, CancellationToken.None);
        var snapshot = await store.LoadCurrentSnapshotAsync(CancellationToken.None);

        Assert.NotNull(snapshot);
        Assert.Equal(members.Select(m => m.Id), snapshot.Members.Select(m => m.Id));
        Assert.Equal(zones.Select(z => z.Id), snapshot.Zones.Select(z => z.Id));
        Assert.Equal(6_000, await store.ReadEvidenceAsync(run.Id, CancellationToken.None).CountAsync());
    }

    [Fact]
    public async Task Stages_committed_at_the_same_time_from_two_stores_both_land()
    {
        await using var first = await SqliteStore.OpenAsync(_home.DatabasePath, MasterKey.Generate(), _time, CancellationToken.None);
        await using var second = await SqliteStore.OpenAsync(_home.DatabasePath, MasterKey.Generate(), _time, CancellationToken.None);
        await first.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t1"), CancellationToken.None);
        await first.SaveAsync(Sample.Connection("c-2", "lab"), new Secret("t2"), CancellationToken.None);
        var run = await first.StartRunAsync("cli", Sample.Start, CancellationToken.None);
        var members = Enumerable.Range(0, 2_000).Select(i => $"user{i}@example.com").ToArray();

        await Task.WhenAll(
            Task.Run(() => first.CommitAccessStageAsync(run.Id, "c-1", Sample.Access("c-1", "acc-1", members), Sample.Start, CancellationToken.None)),
            Task.Run(() => second.CommitAccessStageAsync(run.Id, "c-2", Sample.Access("c-2", "acc-2", members), Sample.Start, CancellationToken.None)));

        var snapshot = await first.LoadCurrentSnapshotAsync(CancellationToken.None);
        Assert.Equal(4_000, snapshot?.Members.Count);
    }

    public void Dispose() => _home.Dispose();

    private long Count(string table)
    {
        using var connection = new SqliteConnection($"Data Source={_home.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
    }
}
