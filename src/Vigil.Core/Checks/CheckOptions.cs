namespace Vigil.Core.Checks;

/// <summary>Settings that tune checks.</summary>
/// <param name="OffboardingGracePeriod">How long after a person's offboarding date their Cloudflare access may remain; default zero.</param>
public sealed record CheckOptions(TimeSpan OffboardingGracePeriod)
{
    public static CheckOptions Default { get; } = new(TimeSpan.Zero);
}
