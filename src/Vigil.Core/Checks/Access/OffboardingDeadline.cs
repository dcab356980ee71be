using System.Globalization;

namespace Vigil.Core.Checks.Access;

/// <summary>
/// When an offboarded person's access is due removed: the end of their offboarding day (a local date) in the
/// organisation's time zone, plus the grace period counted in local wall-clock time (so "3 days" stays 3 calendar days
/// across a DST change).
/// </summary>
/// <param name="Due">The instant access must be gone by.</param>
/// <param name="Description">"2026-10-01 00:00 Europe/Berlin (end of 2026-09-30 + 0 days grace)".</param>
internal sealed record OffboardingDeadline(DateTimeOffset Due, string Description)
{
    public static OffboardingDeadline For(DateOnly offboardedOn, TimeZoneInfo zone, TimeSpan grace)
    {
        var localDue = offboardedOn.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified) + grace;
        var due = Resolve(localDue, zone);
        var shown = TimeZoneInfo.ConvertTime(due, zone);
        var days = grace.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"{shown:yyyy-MM-dd HH:mm} {zone.Id} (end of {offboardedOn:yyyy-MM-dd} + {days} {(days == "1" ? "day" : "days")} grace)");
        return new OffboardingDeadline(due, description);
    }

    /// <summary>The instant a local wall-clock time in <paramref name="zone"/> first reaches <paramref name="local"/>.</summary>
    internal static DateTimeOffset Resolve(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsAmbiguousTime(local))
        {
            // The clocks went back over this time: it is first reached under the larger (earlier-in-UTC) offset.
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        }

        if (zone.IsInvalidTime(local))
        {
            // The clocks jumped over this time: it is reached at the jump, i.e. under the offset in force before it.
            var before = zone.GetUtcOffset(local.AddHours(-12));
            return new DateTimeOffset(local - before, TimeSpan.Zero);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
