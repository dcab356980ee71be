using System.Diagnostics;
using Vigil.App.Scheduling;
using Vigil.App.Tests.Queries;
using Vigil.Cloudflare.Pacing;

namespace Vigil.App.Tests.Scheduling;

/// <summary>
/// The budget a cluster's workers share for one credential, on a real PostgreSQL: a request counts from its answer, so a
/// request delayed on its way (a loaded machine, a slow connection) cannot meet the next window's requests in one of
/// Cloudflare's windows.
/// </summary>
public sealed class PostgresCredentialBudgetTests : IAsyncLifetime
{
    private readonly PostgresStoreFactory _stores = new();
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        // Opening the store creates the database and runs the migrations that define the budget's tables and functions.
        await using var store = await _stores.OpenAsync(TimeProvider.System);
        _connectionString = _stores.ConnectionString!;
    }

    public async Task DisposeAsync() => await _stores.DisposeAsync();

    [Fact]
    public async Task A_request_still_in_flight_keeps_its_place_and_counts_from_its_answer()
    {
        // 2 per second; the ledger adds its 1 s margin, so a slot leaves 2 s after its request's answer.
        await using var budget = new PostgresCredentialBudget(_connectionString, 2, TimeSpan.FromSeconds(1), TimeProvider.System);
        var first = await budget.AcquireAsync("cred", CancellationToken.None);
        var second = await budget.AcquireAsync("cred", CancellationToken.None);
        Assert.NotEqual(first.Id, second.Id);

        // Both in flight: however long they take, a third never gets a slot.
        var third = budget.AcquireAsync("cred", CancellationToken.None).AsTask();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(third.IsCompleted, "a slot was given while both requests of the window were still in flight");

        // The first is answered now: the third gets its slot a window (plus the margin) after that answer, not after the slot.
        var answered = Stopwatch.StartNew();
        await budget.SettleAsync(first);
        var slot = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(answered.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(6));
        await budget.SettleAsync(second);
        await budget.SettleAsync(slot);
    }

    [Fact]
    public async Task Two_credentials_never_wait_for_each_other()
    {
        await using var budget = new PostgresCredentialBudget(_connectionString, 1, TimeSpan.FromSeconds(30), TimeProvider.System);
        var mine = await budget.AcquireAsync("cred-a", CancellationToken.None);

        var theirs = await budget.AcquireAsync("cred-b", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(theirs.Waited < TimeSpan.FromSeconds(5));
        var blocked = budget.AcquireAsync("cred-a", CancellationToken.None).AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(blocked.IsCompleted, "the credential's one slot of the window was given twice");
        await budget.SettleAsync(mine);
        await budget.SettleAsync(theirs);
    }
}
