using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Sqlite;

/// <summary>Runs the store contract against SQLite, one temporary database file per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempHome _home = new();
    private readonly MasterKey _key = MasterKey.Generate();

    protected override Task<StoreUnderTest> OpenAsync() => OpenAsync(RunOwner.CurrentProcess);

    protected override Task<StoreUnderTest> OpenAsCrashingProcessAsync() => OpenAsync(new RunOwner("test-host|1|0"));

    private async Task<StoreUnderTest> OpenAsync(RunOwner owner)
    {
        var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, Time, owner, CancellationToken.None);
        return new StoreUnderTest(store, store, store, store, store, store, store, store);
    }

    public void Dispose() => _home.Dispose();
}
