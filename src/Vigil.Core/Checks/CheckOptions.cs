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
    /// When true, a managed WAF ruleset deployed for only part of a zone's traffic (an execute rule whose expression is
    /// not always true) passes <c>cloudflare.zone-waf-managed</c>, its scope named in the reason; default false (it fails).
    /// </summary>
    public bool AcceptScopedWafDeployments { get; init; }
}
