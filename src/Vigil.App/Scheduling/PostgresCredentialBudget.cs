using Npgsql;
using Vigil.Cloudflare.Pacing;

namespace Vigil.App.Scheduling;

/// <summary>
/// The Cloudflare request budget of each credential, kept in Vigil's PostgreSQL so that every worker of the cluster
/// draws on the same one: at most <see cref="Limit"/> requests in any sliding <see cref="Window"/> per credential key.
/// Each request takes its slot with one call of <c>vigil_budget_take</c> (migration 0010), which locks the
/// credential's row (<c>SELECT ... FOR UPDATE</c>), drops the sends that left the window from its ledger, and records
/// this one if it fits, all by the database's clock; otherwise the caller sleeps until the oldest send leaves the
/// window and asks again. Two credentials never wait for each other: their rows are different.
/// </summary>
public sealed class PostgresCredentialBudget : ICredentialBudget, IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly TimeProvider _time;
    private readonly long _windowMs;

    /// <param name="limit">Requests per window per credential (B).</param>
    /// <param name="window">Cloudflare's window (5 minutes). The ledger counts over it plus a guard of 2% (at least 1 s):
    /// a request reaches Cloudflare a little after its slot was recorded, and one late request must not meet an
    /// early one of the next window in one of Cloudflare's.</param>
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

    public async ValueTask<TimeSpan> AcquireAsync(string credentialKey, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            long waitMs;
            await using (var take = _database.CreateCommand("SELECT vigil_budget_take($1, $2, $3);"))
            {
                take.Parameters.AddWithValue(credentialKey);
                take.Parameters.AddWithValue(Limit);
                take.Parameters.AddWithValue(_windowMs);
                waitMs = (long)(await take.ExecuteScalarAsync(ct))!;
            }
            if (waitMs <= 0)
            {
                return _time.GetElapsedTime(started);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(waitMs), _time, ct);
        }
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
