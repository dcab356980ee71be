using Microsoft.Extensions.Time.Testing;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Storage.Postgres;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Postgres;

/// <summary>HoldSnapshotAsync and PruneSnapshotsAsync on PostgreSQL, per their doc comments in IVigilStore.</summary>
public sealed class PostgresRetentionTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly PostgresTestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Sample.Start);
    private readonly MasterKey _key = MasterKey.Generate();

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Pruning_deletes_old_snapshots_but_not_current_data_run_records_or_shared_evidence()
    {
        await using var store = await OpenAsync();
        var old = await SyncAsync(store, Sample.Start, "old@example.com", "old.example", "old body");
        var recent = await SyncAsync(store, Sample.Start.AddDays(10), "new@example.com", "new.example", "new body");
        var currentBefore = await store.LoadCurrentSnapshotAsync(Ct);

        var result = await store.PruneSnapshotsAsync(Sample.Start.AddDays(5), Ct);

        Assert.Equal(new RetentionResult(1, 2, 1), result); // the old run's two commits; "old body" only it used
        Assert.Null(await store.LoadSnapshotAsync(old, Ct));
        Assert.NotNull(await store.GetRunAsync(old, Ct));
        Sample.AssertDeepEqual(currentBefore, await store.LoadCurrentSnapshotAsync(Ct));
        Assert.Equal(["new@example.com"], (await store.LoadSnapshotAsync(recent, Ct))?.Members.Select(m => m.Email));
        var evidence = await ToListAsync(store.ReadEvidenceAsync(recent, Ct));
        Assert.Contains(evidence, e => e.Payload.Body == "shared body");
        Assert.Empty(await ToListAsync(store.ReadEvidenceAsync(old, Ct)));
        Assert.Equal(new RetentionResult(0, 0, 0), await store.PruneSnapshotsAsync(Sample.Start.AddDays(5), Ct));
    }

    [Fact]
    public async Task A_held_snapshot_is_never_pruned()
    {
        await using var store = await OpenAsync();
        var held = await SyncAsync(store, Sample.Start, "old@example.com", "old.example", "old body");
        await SyncAsync(store, Sample.Start.AddDays(10), "new@example.com", "new.example", "new body");
        await store.HoldSnapshotAsync(held, "campaign 1", Ct);
        await store.HoldSnapshotAsync(held, "campaign 1", Ct);
        var before = await store.LoadSnapshotAsync(held, Ct);

        Assert.Equal(new RetentionResult(0, 0, 0), await store.PruneSnapshotsAsync(Sample.Start.AddDays(5), Ct));

        Sample.AssertDeepEqual(before, await store.LoadSnapshotAsync(held, Ct));
        Assert.Contains(await ToListAsync(store.ReadEvidenceAsync(held, Ct)), e => e.Payload.Body == "old body");
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.HoldSnapshotAsync("no-such-run", "campaign 2", Ct));
    }

    [Fact]
    public async Task A_kept_snapshot_keeps_the_older_stage_it_is_made_of_and_current_data_stays()
    {
        await using var store = await OpenAsync();
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run1 = await store.StartRunAsync("cli", Sample.Start, Ct);
        await store.CommitAccessStageAsync(run1.Id, "c-1", Sample.Access("c-1", "acc-1", "one@example.com"), Sample.Start, Ct);
        await store.CommitInfraStageAsync(run1.Id, "c-1", Sample.Infra("acc-1", "one.example"), Sample.Start, Ct);
        await Sample.FinishAsync(store, run1);
        // Run 2 (kept: after the cut-off) commits access only, so its snapshot takes run 1's infrastructure.
        var run2 = await store.StartRunAsync("cli", Sample.Start.AddDays(10), Ct);
        await store.CommitAccessStageAsync(run2.Id, "c-1", Sample.Access("c-1", "acc-1", "two@example.com"), Sample.Start.AddDays(10), Ct);
        await Sample.FinishAsync(store, run2);
        var run3 = await store.StartRunAsync("cli", Sample.Start.AddDays(11), Ct);
        await store.CommitInfraStageAsync(run3.Id, "c-1", Sample.Infra("acc-1", "three.example"), Sample.Start.AddDays(11), Ct);
        // Run 3 is still running: never pruned.
        var run2Before = await store.LoadSnapshotAsync(run2.Id, Ct);

        var result = await store.PruneSnapshotsAsync(Sample.Start.AddDays(5), Ct);

        Assert.Equal(1, result.Commits); // run 1's access commit, replaced by run 2's
        Sample.AssertDeepEqual(run2Before, await store.LoadSnapshotAsync(run2.Id, Ct));
        Assert.Equal(["one.example"], run2Before?.Zones.Select(z => z.Name));
        var current = await store.LoadCurrentSnapshotAsync(Ct);
        Assert.Equal(["two@example.com"], current?.Members.Select(m => m.Email));
        Assert.Equal(["three.example"], current?.Zones.Select(z => z.Name));

        // Everything before the far future: run 3 is running and holds the current data, so nothing more goes.
        var rest = await store.PruneSnapshotsAsync(Sample.Start.AddYears(1), Ct);
        Assert.Equal(1, rest.Commits); // run 1's infrastructure, no longer needed by a kept snapshot once run 2 may go
        Sample.AssertDeepEqual(current, await store.LoadCurrentSnapshotAsync(Ct));
    }

    private async Task<string> SyncAsync(IVigilStore store, DateTimeOffset at, string email, string zone, string body)
    {
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run = await store.StartRunAsync("cli", at, Ct);
        await store.CommitAccessStageAsync(run.Id, "c-1", Sample.Access("c-1", "acc-1", email) with
        {
            Evidence = [new RawPayload("GET /a", at, body), new RawPayload("GET /b", at, "shared body")],
        }, at, Ct);
        await store.CommitInfraStageAsync(run.Id, "c-1", Sample.Infra("acc-1", zone) with { Evidence = [new RawPayload("GET /zones", at, "shared body")] }, at, Ct);
        await Sample.FinishAsync(store, run);
        return run.Id;
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private async Task<PostgresStore> OpenAsync() => await PostgresStore.OpenAsync(await _database.UrlAsync(), _key, _time, Ct);
}
