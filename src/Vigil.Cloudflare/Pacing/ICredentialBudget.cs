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
    /// <summary>
    /// Waits until one more request of the credential fits and records it as in flight; the slot returned is settled with
    /// <see cref="SettleAsync"/> once the request is answered or has failed, and counts from then on.
    /// </summary>
    /// <param name="credentialKey">The credential's key (<see cref="CloudflareCredential.BudgetKey"/>), never the secret.</param>
    ValueTask<BudgetSlot> AcquireAsync(string credentialKey, CancellationToken ct);

    /// <summary>
    /// Settles a slot when its request was answered or failed. Cloudflare saw the request no later than that, so counting
    /// from the answer keeps at most <c>Limit</c> in any of Cloudflare's windows however long the request was delayed
    /// between its slot and Cloudflare.
    /// </summary>
    ValueTask SettleAsync(BudgetSlot slot);
}

/// <summary>One request's place in a shared budget.</summary>
/// <param name="Id">The slot to settle.</param>
/// <param name="Waited">How long the caller waited for it.</param>
public readonly record struct BudgetSlot(long Id, TimeSpan Waited);

/// <summary>Told about every request a sync sends, for metrics: per connection, the calls, the 429s and the time waited on budgets.</summary>
public interface IRequestObserver
{
    void Sent(string connection, TimeSpan waitedOnBudget);

    void RateLimited(string connection);
}
