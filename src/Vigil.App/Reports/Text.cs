using System.Globalization;
using System.Text.Json;
using Vigil.Core.Checks;

namespace Vigil.App.Reports;

/// <summary>How reports write times, enums and numbers: the same in every culture.</summary>
internal static class Text
{
    /// <summary>UTC, to the second, ISO-8601: 2026-11-30T10:15:00Z.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? at) => at is { } value ? Time(value) : null;

    /// <summary>Milliseconds since the Unix epoch (OCSF's timestamp_t).</summary>
    public static long Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>An enum value's name in snake case: AwaitingSignoff is awaiting_signoff.</summary>
    public static string Lower(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>An exception as one sentence: who approved it, until when (or that it expired and no longer excuses), and why.</summary>
    public static string Exception(FindingException e) => e.Expired
        ? $"exception for {e.Resource} approved by {e.ApprovedBy} expired on {Date(e.Expires)} and no longer excuses this finding: {e.Reason}"
        : $"excepted: exception for {e.Resource} approved by {e.ApprovedBy} until {Date(e.Expires)}: {e.Reason}";

    /// <summary>A control's status as a person reads it: "needs other evidence", "not evaluated", "failing".</summary>
    public static string Label(ControlStatus status) => Lower(status.ToString()).Replace('_', ' ');

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Optional(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "";

    public static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "unknown" };

    public static string Date(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>"3 h 12 min", "2 d 4 h", "45 s".</summary>
    public static string Elapsed(long seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : $"{span.Seconds} s";
    }
}
