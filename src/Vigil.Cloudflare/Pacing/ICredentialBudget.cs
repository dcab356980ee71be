namespace Vigil.Cloudflare.Pacing;

/// <summary>
/// A request budget shared by every Vigil process that uses one Cloudflare credential: at most <c>Limit</c> requests in
/// any sliding <c>Window</c>, counted across processes and machines. The in-process <see cref="RequestBudget"/> still
/// paces each process (per second, Cloudflare's <c>Ratelimit</c> header, 429s); this one keeps two workers syncing two
/// organisations with the same credential from spending its limit twice. Registered by <c>vigil worker</c> and
/// <c>vigil serve</c> on PostgreSQL; absent otherwise.
/// </summary>
public interface ICredentialBudget
{
    /// <summary>Waits until one more request of the credential fits, records it, and returns how long it waited.</summary>
    /// <param name="credentialKey">The credential's key (<see cref="CloudflareCredential.BudgetKey"/>), never the secret.</param>
    ValueTask<TimeSpan> AcquireAsync(string credentialKey, CancellationToken ct);
}

/// <summary>Told about every request a sync sends, for metrics: per connection, the calls, the 429s and the time waited on budgets.</summary>
public interface IRequestObserver
{
    void Sent(string connection, TimeSpan waitedOnBudget);

    void RateLimited(string connection);
}
