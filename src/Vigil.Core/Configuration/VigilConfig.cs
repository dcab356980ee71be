using System.Globalization;
using Vigil.Core.Settings;

namespace Vigil.Core.Configuration;

/// <summary>
/// The organisation's configuration as data: what vigil.yaml says (the file in VIGIL_HOME, or the same text stored per
/// organisation under the <see cref="SettingsKey"/> setting). Thresholds and the enabled checks map onto the
/// organisation settings (<see cref="OrganisationSettings"/>), so there is one meaning per value; exceptions excuse findings.
/// </summary>
/// <param name="Settings">Settings the document sets, each with the line it came from.</param>
/// <param name="Exceptions">Approved exceptions, in document order.</param>
/// <param name="Source">Where the document came from, for messages (e.g. "/home/me/.vigil/vigil.yaml").</param>
public sealed record VigilConfig(IReadOnlyList<ConfiguredSetting> Settings, IReadOnlyList<CheckException> Exceptions, string Source = "vigil.yaml")
{
    /// <summary>The settings key that holds the YAML text when no file is used (e.g. on PostgreSQL).</summary>
    public const string SettingsKey = "config_yaml";

    public static VigilConfig Empty { get; } = new([], []);

    /// <summary>
    /// The organisation settings from the stored ones plus this document. A value set in both places must agree
    /// (compared after normalising); otherwise it is an error naming both, so no value silently wins.
    /// </summary>
    /// <exception cref="ConfigException">The document and the stored settings disagree on a value.</exception>
    /// <exception cref="SettingValueException">A stored value no longer parses.</exception>
    public OrganisationSettings ApplyTo(IReadOnlyDictionary<string, string> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var merged = new Dictionary<string, string>(stored, StringComparer.Ordinal);
        foreach (var setting in Settings)
        {
            var key = OrganisationSettings.FindKey(setting.SettingKey)
                ?? throw new InvalidOperationException($"vigil.yaml maps onto unknown setting {setting.SettingKey}");
            if (stored.TryGetValue(key.Name, out var existing) && !string.Equals(Normalised(key, existing), setting.Value, StringComparison.Ordinal))
            {
                throw new ConfigException(Source, setting.Line, setting.Column,
                    $"{setting.Written} sets {key.Name} = {setting.Value}, but 'vigil settings' has {key.Name} = {existing}; " +
                    $"keep one: delete this line, or set the same value with 'vigil settings set {key.Name} {setting.Value}'");
            }
            merged[key.Name] = setting.Value;
        }

        return OrganisationSettings.From(merged);
    }

    private static string Normalised(SettingKey key, string text)
    {
        try
        {
            return key.Normalise(text);
        }
        catch (SettingValueException)
        {
            return text;
        }
    }
}

/// <summary>One organisation setting set by vigil.yaml.</summary>
/// <param name="SettingKey">The <c>vigil settings</c> key it sets, e.g. hsts_min_max_age_seconds.</param>
/// <param name="Value">The value, normalised as that key stores it.</param>
/// <param name="Written">What the document says, e.g. "cloudflare.zone-hsts min_max_age_days: 180".</param>
public sealed record ConfiguredSetting(string SettingKey, string Value, string Written, int Line, int Column);

/// <summary>
/// The per-check thresholds vigil.yaml accepts under <c>checks: CHECK_ID: {KEY: VALUE}</c>, each mapped onto the
/// organisation setting that holds it. Adding a threshold is a setting in <see cref="OrganisationSettings"/> and a line here.
/// </summary>
public static class CheckThresholds
{
    /// <summary>One threshold: the check, its key in vigil.yaml, the setting it sets and how its value converts.</summary>
    public sealed record Threshold(string CheckId, string Key, string SettingKey, string Meaning, Func<string, string> ToSetting);

    public static IReadOnlyList<Threshold> All { get; } =
    [
        new("cloudflare.zone-hsts", "min_max_age_days", "hsts_min_max_age_seconds", "shortest HSTS max-age accepted, in days",
            text => (Whole(text, 0, 730) * 86_400L).ToString(CultureInfo.InvariantCulture)),
        new("cloudflare.zone-hsts", "min_max_age_seconds", "hsts_min_max_age_seconds", "shortest HSTS max-age accepted, in seconds", text => text),
        new("cloudflare.zone-waf-managed", "accept_scoped", "waf_accept_scoped", "whether a deployment covering part of the traffic passes (true/false)", text => text),
        new("cloudflare.offboarded-access-removed", "grace_days", "offboarding_grace_days", "whole days access may remain after the offboarding day", text => text),
        new("cloudflare.super-admins-bounded", "max", "max_super_admins", "the most Super Administrators an account may have (at least 2 are required)", text => text),
        new("cloudflare.invites-not-stale", "max_age_days", "max_invite_age_days", "days a pending invitation may stay open", text => text),
        new("cloudflare.review-revocations-applied", "sla_days", "revocation_sla_days", "days a decided revocation may stay unverified", text => text),
        new("cloudflare.access-reviewed", "interval_days", "review_interval_days", "days within which a review must have been completed", text => text),
    ];

    /// <summary>The thresholds of one check (case-insensitive id).</summary>
    public static IReadOnlyList<Threshold> Of(string checkId) =>
        [.. All.Where(t => string.Equals(t.CheckId, checkId, StringComparison.OrdinalIgnoreCase))];

    private static long Whole(string text, int minimum, int maximum) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new SettingValueException($"'{text}' is not a whole number >= {minimum} and <= {maximum}");
}

/// <summary>vigil.yaml is not valid; the message names the file, the line and the column.</summary>
public sealed class ConfigException(string source, int line, int column, string problem)
    : Exception(line > 0 ? $"{source} line {line}, column {column}: {problem}" : $"{source}: {problem}")
{
    public string Document { get; } = source;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Problem { get; } = problem;
}
