namespace Vigil.Core.Checks;

/// <summary>Settings that tune checks.</summary>
/// <param name="OffboardingGracePeriod">
/// How long Cloudflare access may remain after a person's offboarding date, counted from 00:00 UTC on that date;
/// default zero (access must be gone by the start of the offboarding day).
/// </param>
public sealed record CheckOptions(TimeSpan OffboardingGracePeriod)
{
    public static CheckOptions Default { get; } = new(TimeSpan.Zero);
}
