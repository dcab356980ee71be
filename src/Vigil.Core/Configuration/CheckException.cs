using System.Globalization;
using Vigil.Core.Checks;

namespace Vigil.Core.Configuration;

/// <summary>
/// An approved exception: failures of <see cref="CheckId"/> on <see cref="Resource"/> are excused (status Excepted) until
/// the end of <see cref="Expires"/> in the organisation's time zone. One entry of vigil.yaml's <c>exceptions:</c>.
/// </summary>
/// <param name="Resource">A zone, record, member email, account or token id, or name: matched case-insensitively against a finding's resource id and its subject.</param>
/// <param name="Line">The line of vigil.yaml it was read from (1-based); 0 when not read from a file.</param>
public sealed record CheckException(string CheckId, string Resource, string Reason, DateOnly Expires, string ApprovedBy, int Line = 0)
{
    /// <summary>True when this exception names the finding's resource (its id or its subject).</summary>
    public bool Matches(string checkId, Finding finding) =>
        string.Equals(CheckId, checkId, StringComparison.OrdinalIgnoreCase)
        && (Same(Resource, finding.ResourceId) || Same(Resource, finding.Subject));

    /// <summary>The first moment it no longer excuses: 00:00 of the day after <see cref="Expires"/> in <paramref name="zone"/>.</summary>
    public DateTimeOffset EndsAt(TimeZoneInfo zone)
    {
        var local = Expires.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public string ExpiresText => Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool Same(string a, string b) => string.Equals(a.Trim().TrimEnd('.'), b.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}

/// <summary>Applies exceptions to a check's findings, in one place for every check (see <see cref="CheckRunner"/>).</summary>
public static class Exceptions
{
    /// <summary>
    /// Each failing finding that an unexpired exception names becomes Excepted, keeping its reason and carrying the
    /// exception; one that only an expired exception names stays failed, its reason saying the exception expired.
    /// Passing, skipped and unknown findings are left alone (an exception excuses a failure, not missing data).
    /// </summary>
    public static IReadOnlyList<Finding> Apply(string checkId, IReadOnlyList<Finding> findings, IReadOnlyList<CheckException> exceptions, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (exceptions.Count == 0 || !exceptions.Any(e => string.Equals(e.CheckId, checkId, StringComparison.OrdinalIgnoreCase)))
        {
            return findings;
        }

        return findings.Select(finding =>
        {
            if (finding.Status != FindingStatus.Fail)
            {
                return finding;
            }

            var matching = exceptions.Where(e => e.Matches(checkId, finding)).ToList();
            if (matching.Count == 0)
            {
                return finding;
            }

            var valid = matching.Where(e => now < e.EndsAt(zone)).OrderByDescending(e => e.Expires).FirstOrDefault();
            if (valid is not null)
            {
                return finding with { Status = FindingStatus.Excepted, Exception = Describe(valid, expired: false) };
            }

            var expired = matching.OrderByDescending(e => e.Expires).First();
            return finding with
            {
                Reason = $"{finding.Reason} (the exception for {expired.Resource} approved by {expired.ApprovedBy} expired on {expired.ExpiresText}: {expired.Reason})",
                Exception = Describe(expired, expired: true),
            };
        }).ToList();
    }

    private static FindingException Describe(CheckException e, bool expired) => new(e.Resource, e.Reason, e.ApprovedBy, e.Expires, expired);
}
