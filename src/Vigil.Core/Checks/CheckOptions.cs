namespace Vigil.Core.Checks;

/// <summary>
/// Settings that tune checks. Build them from the stored organisation settings plus command-line overrides with
/// <see cref="Settings.OrganisationSettings.ToCheckOptions"/>, so every trigger judges alike.
/// </summary>
/// <param name="OffboardingGracePeriod">
/// How long Cloudflare access may remain after the END of a person's offboarding day (00:00 of the next day in
/// <see cref="TimeZone"/>), added as local wall-clock time so whole days stay whole across DST; default zero
/// (access must be gone by the end of the offboarding day).
/// </param>
public sealed record CheckOptions(TimeSpan OffboardingGracePeriod)
{
    public static CheckOptions Default { get; } = new(TimeSpan.Zero);

    /// <summary>The organisation's time zone: dates such as offboarded_on are local dates in it. Default UTC.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Data older than this is too old to judge: the checks that need it report unknown, never pass. Default 48 hours.</summary>
    public TimeSpan MaxDataAge { get; init; } = TimeSpan.FromHours(48);
    /// <summary>
    /// When true, a managed WAF ruleset deployed for only part of a zone's traffic (an execute rule whose expression is
    /// not always true) passes <c>cloudflare.zone-waf-managed</c>, its scope named in the reason; default false (it fails).
    /// </summary>
    public bool AcceptScopedWafDeployments { get; init; }
    /// <summary>
    /// The shortest HSTS max-age that cloudflare.zone-hsts accepts; default 15,552,000 seconds (180 days, about 6 months,
    /// the minimum Cloudflare's dashboard recommends for HSTS).
    /// </summary>
    public TimeSpan HstsMinMaxAge { get; init; } = TimeSpan.FromSeconds(15_552_000);

    /// <summary>Approved exceptions (vigil.yaml): failures they name are Excepted until they expire. Default none.</summary>
    public IReadOnlyList<Configuration.CheckException> Exceptions { get; init; } = [];

    /// <summary>
    /// The ids of the checks to evaluate (the <c>checks.enabled</c> setting or <c>--checks</c>); null means every check.
    /// Checks left out are not evaluated, and the sync does not read the data only they need.
    /// </summary>
    public IReadOnlySet<string>? EnabledChecks { get; init; }

    /// <summary>
    /// The most accepted members with the Super Administrator role an account may have (cloudflare.super-admins-bounded);
    /// default 4. At least 2 are always required, so that no single person is the only one who can manage the account.
    /// </summary>
    public int MaxSuperAdmins { get; init; } = 4;
    /// <summary>
    /// How old a pending invitation may grow, counted from when Vigil first saw it (cloudflare.invites-not-stale); default 14 days.
    /// </summary>
    public TimeSpan MaxInviteAge { get; init; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long a revoke or change-role decision of an access review may stay unverified (not yet seen applied by an
    /// access sync) before cloudflare.review-revocations-applied fails it; zero: any unverified revocation fails at once. Default 7 days.
    /// </summary>
    public TimeSpan RevocationSla { get; init; } = TimeSpan.FromDays(7);
    /// <summary>How recently a Cloudflare access review must have been completed for cloudflare.access-reviewed to pass. Default 90 days (PCI DSS 7.2.4 asks for 180 at most).</summary>
    public TimeSpan ReviewInterval { get; init; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long stored snapshots and audit log entries are kept (setting retention_days); null keeps everything. Entries
    /// logged before it may be gone, so cloudflare.admin-changes-reviewed vouches for no period older than it.
    /// </summary>
    public TimeSpan? Retention { get; init; }

    /// <summary>Freshness guarantee of incremental syncs (setting max_resource_age_hours): every resource is re-read in full at least this often. Default 24 hours.</summary>
    public TimeSpan MaxResourceAge { get; init; } = TimeSpan.FromHours(24);
}
