using System.Threading.RateLimiting;

namespace Vigil.Web.Security;

/// <summary>
/// How many sign-in attempts are allowed per minute, per client address (ASP.NET Core's rate-limiting middleware, on
/// POST /signin) and per account (the same limiter types, keyed by the email typed). On top of these, an account locks
/// after <see cref="App.Users.UserAccounts.LockoutThreshold"/> wrong passwords in a row.
/// </summary>
public sealed record SignInLimits(int PerAddressPerMinute = 20, int PerAccountPerMinute = 10);

/// <summary>The per-account limiter (one fixed window per lower-cased email).</summary>
internal sealed class AccountSignInThrottle(SignInLimits limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(email =>
        RateLimitPartition.GetFixedWindowLimiter(email, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.PerAccountPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>True when another attempt on this account is allowed now.</summary>
    public bool TryAttempt(string email)
    {
        using var lease = _limiter.AttemptAcquire(email.Trim().ToLowerInvariant());
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
