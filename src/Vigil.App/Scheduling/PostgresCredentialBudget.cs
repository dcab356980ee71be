using Npgsql;
using Vigil.Cloudflare.Pacing;

namespace Vigil.App.Scheduling;

/// <summary>
/// The Cloudflare request budget of each credential, kept in Vigil's PostgreSQL so that every worker of the cluster
/// draws on the same one: at most <see cref="Limit"/> requests in any sliding <see cref="Window"/> per credential key.
/// Each request takes its slot with one call of <c>vigil_budget_take_slot</c> (migration 0018), which locks the
/// credential's row (<c>SELECT ... FOR UPDATE</c>), drops the sends that left the window from its ledger, and records
/// this one as in flight if it fits, all by the database's clock; otherwise the caller sleeps until the oldest answered
/// send leaves the window and asks again. When the request is answered (or fails), <c>vigil_budget_settle</c> dates its
/// send from that moment, which is no earlier than Cloudflare saw it. Two credentials never wait for each other: their
/// rows are different.
/// </summary>
public sealed class PostgresCredentialBudget : ICredentialBudget, IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly TimeProvider _time;
    private readonly long _windowMs;

    /// <param name="limit">Requests per window per credential (B).</param>
    /// <param name="window">Cloudflare's window (5 minutes). The ledger counts over it plus a margin of 2% (at least 1 s)
    /// for Cloudflare counting by its own clock; a request's own delay on the way is covered by dating it from its answer.</param>
    public PostgresCredentialBudget(string connectionString, int limit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _database = NpgsqlDataSource.Create(connectionString);
        _time = time;
        Limit = limit;
        Window = window;
        _windowMs = (long)Math.Ceiling((window + Guard(window)).TotalMilliseconds);
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    internal static TimeSpan Guard(TimeSpan window) => TimeSpan.FromMilliseconds(Math.Max(1000, window.TotalMilliseconds / 50));

    /// <summary>
    /// How long a slot may stay in flight before it is taken for one whose process died: a request that was never
    /// settled stops counting this long (plus the window) after its slot. Four times the default request timeout (30 s),
    /// which bounds both the wait for an answer and the reading of its body.
    /// </summary>
    private const long InFlightMs = 2 * 60 * 1000;

    public async ValueTask<BudgetSlot> AcquireAsync(string credentialKey, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            long? slot;
            long waitMs;
            await using (var take = _database.CreateCommand("SELECT slot, wait_ms FROM vigil_budget_take_slot($1, $2, $3, $4);"))
            {
                take.Parameters.AddWithValue(credentialKey);
                take.Parameters.AddWithValue(Limit);
                take.Parameters.AddWithValue(_windowMs);
                take.Parameters.AddWithValue(InFlightMs);
                await using var reader = await take.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                slot = reader.IsDBNull(0) ? null : reader.GetInt64(0);
                waitMs = reader.GetInt64(1);
            }
            if (slot is { } taken)
            {
                return new BudgetSlot(taken, _time.GetElapsedTime(started));
            }
            await Task.Delay(TimeSpan.FromMilliseconds(waitMs), _time, ct);
        }
    }

    public async ValueTask SettleAsync(BudgetSlot slot)
    {
        // Not cancellable: a slot left in flight would hold its place in the window until it expires.
        await using var settle = _database.CreateCommand("SELECT vigil_budget_settle($1);");
        settle.Parameters.AddWithValue(slot.Id);
        await settle.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
