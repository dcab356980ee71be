using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Sqlite;

/// <summary>Runs the review store contract against SQLite, one temporary database file per test.</summary>
public sealed class SqliteReviewStoreContractTests : ReviewStoreContractTests, IDisposable
{
    private readonly TempHome _home = new();
    private readonly MasterKey _key = MasterKey.Generate();

    protected override async Task<StoreUnderTest> OpenAsync()
    {
        var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, Time, RunOwner.CurrentProcess, CancellationToken.None);
        return new StoreUnderTest(store, store, store, store, store, store, store, store);
    }

    public void Dispose() => _home.Dispose();
}
