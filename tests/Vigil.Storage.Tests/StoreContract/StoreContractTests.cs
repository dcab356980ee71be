using Microsoft.Extensions.Time.Testing;

namespace Vigil.Storage.Tests.StoreContract;

/// <summary>
/// The behaviour every store backend must have. A backend derives one class from this and supplies the factory;
/// xunit runs all the tests below for it. Each test gets a fresh, empty database.
/// See Sqlite/SqliteStoreContractTests.cs; a PostgreSQL fixture would create a schema per test the same way
/// (and, per STYLE.md §10, fail rather than skip when CI=true and no server is reachable).
/// </summary>
public abstract partial class StoreContractTests
{
    protected FakeTimeProvider Time { get; } = new(Sample.Start);

    /// <summary>Opens the store over this test's database. Calling it again opens the same database, as a new process would.</summary>
    protected abstract Task<StoreUnderTest> OpenAsync();

    /// <summary>Opens the same database as a process that will have died by the next <see cref="OpenAsync"/> (its runs are not live).</summary>
    protected abstract Task<StoreUnderTest> OpenAsCrashingProcessAsync();

    protected static CancellationToken Ct => CancellationToken.None;
}
