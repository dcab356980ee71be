using Vigil.Storage.Postgres;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Postgres;

/// <summary>Runs the whole store contract against PostgreSQL, one fresh database per test.</summary>
public sealed class PostgresStoreContractTests : StoreContractTests, IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly MasterKey _key = MasterKey.Generate();

    protected override async Task<StoreUnderTest> OpenAsync()
    {
        var store = await PostgresStore.OpenAsync(await _database.UrlAsync(), _key, Time, CancellationToken.None);
        return new StoreUnderTest(store, store, store, store, store, store, store);
    }

    // A process killed mid-sync: its session ends (the server terminates it here), taking its sync lock with it.
    protected override async Task<StoreUnderTest> OpenAsCrashingProcessAsync()
    {
        var store = await PostgresStore.OpenAsync(await _database.UrlAsync(), _key, Time, CancellationToken.None);
        return new StoreUnderTest(store, store, store, store, new Crash(_database, store), store, store);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => _database.DisposeAsync().AsTask();

    private sealed class Crash(PostgresTestDatabase database, PostgresStore store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await database.KillSyncSessionsAsync();
            await store.DisposeAsync();
        }
    }
}
