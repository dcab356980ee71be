using Vigil.Core.Storage;

namespace Vigil.Storage.Tests.StoreContract;

/// <summary>The store seams of one backend, opened over one test database.</summary>
public sealed record StoreUnderTest(
    IConnectionStore Connections,
    ISyncStore Sync,
    IDirectoryStore Directory,
    IEvaluationStore Evaluations,
    IAsyncDisposable Lifetime,
    ISettingsStore? Settings = null,
    IVigilStore? Store = null,
    IReviewStore? Reviews = null) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Lifetime.DisposeAsync();
}
