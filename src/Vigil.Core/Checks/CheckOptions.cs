namespace Vigil.Core.Checks;

/// <summary>Settings that tune checks.</summary>
/// <param name="OffboardingGracePeriod">
/// How long Cloudflare access may remain after a person's offboarding date, counted from 00:00 UTC on that date;
/// default zero (access must be gone by the start of the offboarding day).
/// </param>
public sealed record CheckOptions(TimeSpan OffboardingGracePeriod)
{
    public static CheckOptions Default { get; } = new(TimeSpan.Zero);

    /// <summary>
    /// The shortest HSTS max-age that cloudflare.zone-hsts accepts; default 15,552,000 seconds (180 days, about 6 months,
    /// the minimum Cloudflare's dashboard recommends for HSTS).
    /// </summary>
    public TimeSpan HstsMinMaxAge { get; init; } = TimeSpan.FromSeconds(15_552_000);
}
