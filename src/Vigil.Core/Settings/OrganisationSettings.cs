using System.Globalization;
using Vigil.Core.Checks;
using Vigil.Core.Storage;

namespace Vigil.Core.Settings;

/// <summary>
/// The organisation's settings, typed. Stored as key/value text (<see cref="ISettingsStore"/>); each key is one line of
/// <see cref="Keys"/> beside its property here. Unset keys take the property's default.
/// </summary>
public sealed record OrganisationSettings
{
    /// <summary>The organisation's time zone (an IANA id such as Europe/Berlin); dates like offboarded_on are local to it. Default UTC.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Whole days that Cloudflare access may remain after the end of a person's offboarding day. Default 0.</summary>
    public int OffboardingGraceDays { get; init; }

    /// <summary>Hours after which synced data is too old to judge: checks on it report unknown. Default 48.</summary>
    public int MaxDataAgeHours { get; init; } = 48;

    /// <summary>The shortest HSTS max-age, in seconds, that cloudflare.zone-hsts accepts. Default 15,552,000 (about 6 months).</summary>
    public int HstsMinMaxAgeSeconds { get; init; } = 15_552_000;

    /// <summary>Whether a managed WAF deployment scoped to part of a zone's traffic passes (naming its scope). Default false.</summary>
    public bool WafAcceptScoped { get; init; }

    /// <summary>
    /// Days of snapshots to keep: after each sync, snapshots of runs older than this are pruned, except the current data
    /// and those a review campaign or report holds. Default 0: keep everything, as auditors expect.
    /// </summary>
    public int RetentionDays { get; init; }

    /// <summary>
    /// The checks to run: "all" (default), or check ids and families (access, zones, dns, ...) separated by commas.
    /// Checks left out are not evaluated and the sync does not read the data only they need.
    /// </summary>
    public string EnabledChecks { get; init; } = Configuration.CheckSelection.All;

    /// <summary>The most accepted Super Administrators an account may have (cloudflare.super-admins-bounded). Default 4; at least 2.</summary>
    public int MaxSuperAdmins { get; init; } = 4;

    /// <summary>Days a pending invitation may stay open, counted from when Vigil first saw it (cloudflare.invites-not-stale). Default 14.</summary>
    public int MaxInviteAgeDays { get; init; } = 14;

    /// <summary>Whole days a revoke or change-role decision may stay unverified before cloudflare.review-revocations-applied fails; 0 fails any unverified one at once. Default 7.</summary>
    public int RevocationSlaDays { get; init; } = 7;

    /// <summary>Whole days within which a Cloudflare access review must have been completed (cloudflare.access-reviewed). Default 90.</summary>
    public int ReviewIntervalDays { get; init; } = 90;

    /// <summary>
    /// Freshness guarantee of incremental syncs: every resource (zone, account's memberships) is re-read in full from
    /// Cloudflare at least this often, whatever the audit log says, spread over the syncs oldest first. Default 24.
    /// </summary>
    public int MaxResourceAgeHours { get; init; } = 24;
    /// <summary>Hours between scheduled syncs (vigil serve, vigil worker); 0 turns the schedule off. Default 6.</summary>
    public int SyncIntervalHours { get; init; } = 6;

    public static OrganisationSettings Default { get; } = new();

    /// <summary>The largest grace period accepted (ten years): beyond it the deadline is meaningless and dates overflow.</summary>
    public const int MaxOffboardingGraceDays = 3650;

    /// <summary>The largest data age accepted (one year).</summary>
    public const int MaxDataAgeHoursLimit = 8760;

    /// <summary>Every settable key, in the order <c>vigil settings list</c> shows them. Adding a setting is a property above and a line here.</summary>
    public static IReadOnlyList<SettingKey> Keys { get; } =
    [
        SettingKey.Create("timezone", "the organisation's IANA time zone (e.g. Europe/Berlin); offboarded_on dates are local to it",
            ParseTimeZone, zone => zone.Id, s => s.TimeZone, (s, v) => s with { TimeZone = v }),
        SettingKey.Create("offboarding_grace_days", "whole days access may remain after the end of the offboarding day (integer 0-3650)",
            text => ParseInteger(text, minimum: 0, maximum: MaxOffboardingGraceDays), Integer, s => s.OffboardingGraceDays, (s, v) => s with { OffboardingGraceDays = v }),
        SettingKey.Create("max_data_age_hours", "hours after which synced data is too old to judge; its checks report unknown (integer 1-8760)",
            text => ParseInteger(text, minimum: 1, maximum: MaxDataAgeHoursLimit), Integer, s => s.MaxDataAgeHours, (s, v) => s with { MaxDataAgeHours = v }),
        SettingKey.Create("hsts_min_max_age_seconds", "the shortest HSTS max-age cloudflare.zone-hsts accepts, in seconds (integer 0-63072000; default 15552000, 6 months)",
            text => ParseInteger(text, minimum: 0, maximum: 63_072_000), Integer, s => s.HstsMinMaxAgeSeconds, (s, v) => s with { HstsMinMaxAgeSeconds = v }),
        SettingKey.Create("waf_accept_scoped", "whether a managed WAF deployment that covers only part of a zone's traffic passes, naming its scope (true or false; default false)",
            ParseBoolean, v => v ? "true" : "false", s => s.WafAcceptScoped, (s, v) => s with { WafAcceptScoped = v }),
        SettingKey.Create("retention_days", "days of snapshots to keep; older ones are pruned after each sync, except current data and snapshots a review campaign or report holds (integer 0-36500; 0, the default, keeps everything)",
            text => ParseInteger(text, minimum: 0, maximum: 36_500), Integer, s => s.RetentionDays, (s, v) => s with { RetentionDays = v }),
        SettingKey.Create("checks.enabled", "the checks to run and sync data for: all, or check ids and families (" + string.Join(", ", Configuration.CheckSelection.Families) + ") separated by commas (default all)",
            Configuration.CheckSelection.Normalise, v => v, s => s.EnabledChecks, (s, v) => s with { EnabledChecks = v }),
        SettingKey.Create("max_super_admins", "the most accepted Super Administrators an account may have; at least 2 are always required (integer 2-1000; default 4)",
            text => ParseInteger(text, minimum: 2, maximum: 1000), Integer, s => s.MaxSuperAdmins, (s, v) => s with { MaxSuperAdmins = v }),
        SettingKey.Create("max_invite_age_days", "days a pending invitation may stay open, counted from when Vigil first saw it (integer 1-3650; default 14)",
            text => ParseInteger(text, minimum: 1, maximum: 3650), Integer, s => s.MaxInviteAgeDays, (s, v) => s with { MaxInviteAgeDays = v }),
        SettingKey.Create("revocation_sla_days", "whole days a revoke or change-role decision of an access review may stay unverified by a sync; 0 fails any unverified one at once (integer 0-3650; default 7)",
            text => ParseInteger(text, minimum: 0, maximum: 3650), Integer, s => s.RevocationSlaDays, (s, v) => s with { RevocationSlaDays = v }),
        SettingKey.Create("review_interval_days", "whole days within which a Cloudflare access review must have been completed (integer 1-3650; default 90, PCI DSS asks for 180 at most)",
            text => ParseInteger(text, minimum: 1, maximum: 3650), Integer, s => s.ReviewIntervalDays, (s, v) => s with { ReviewIntervalDays = v }),
        SettingKey.Create("max_resource_age_hours", "hours within which an incremental sync re-reads every zone and account in full, whatever the audit log says, oldest first (integer 1-8760; default 24)",
            text => ParseInteger(text, minimum: 1, maximum: MaxDataAgeHoursLimit), Integer, s => s.MaxResourceAgeHours, (s, v) => s with { MaxResourceAgeHours = v }),
        SettingKey.Create("sync_interval_hours", "hours between scheduled syncs by vigil serve and vigil worker; 0 turns the schedule off (integer 0-8760; default 6)",
            text => ParseInteger(text, minimum: 0, maximum: 8760), Integer, s => s.SyncIntervalHours, (s, v) => s with { SyncIntervalHours = v }),
    ];

    /// <summary>The key with this name (case-insensitive); null when there is none.</summary>
    public static SettingKey? FindKey(string name) =>
        Keys.FirstOrDefault(k => string.Equals(k.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The settings from stored text. Keys this version does not know are ignored (a newer Vigil may have written them).</summary>
    /// <exception cref="SettingValueException">A stored value no longer parses (e.g. a time zone the system dropped).</exception>
    public static OrganisationSettings From(IReadOnlyDictionary<string, string> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var settings = Default;
        foreach (var key in Keys)
        {
            if (stored.TryGetValue(key.Name, out var text))
            {
                settings = key.Apply(settings, text);
            }
        }

        return settings;
    }

    /// <summary>Loads the stored settings. The one place the CLI, the web app and the scheduler read them.</summary>
    public static async Task<OrganisationSettings> LoadAsync(ISettingsStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        return From(await store.ListSettingsAsync(ct));
    }

    /// <summary>
    /// The check options these settings give, with command-line overrides applied (null: use the setting).
    /// Every caller that evaluates checks builds its options here, so a setting means the same everywhere.
    /// </summary>
    /// <param name="enabledChecks">A check selection overriding <see cref="EnabledChecks"/> for one run (e.g. <c>--checks</c>); null: use the setting.</param>
    public CheckOptions ToCheckOptions(int? offboardingGraceDays = null, string? enabledChecks = null)
    {
        var grace = offboardingGraceDays ?? OffboardingGraceDays;
        if (grace is < 0 or > MaxOffboardingGraceDays)
        {
            throw new SettingValueException($"offboarding grace days must be between 0 and {MaxOffboardingGraceDays}");
        }

        return new CheckOptions(TimeSpan.FromDays(grace))
        {
            TimeZone = TimeZone,
            MaxDataAge = TimeSpan.FromHours(MaxDataAgeHours),
            HstsMinMaxAge = TimeSpan.FromSeconds(HstsMinMaxAgeSeconds),
            AcceptScopedWafDeployments = WafAcceptScoped,
            EnabledChecks = EnabledCheckIds(enabledChecks ?? EnabledChecks),
            MaxSuperAdmins = MaxSuperAdmins,
            MaxInviteAge = TimeSpan.FromDays(MaxInviteAgeDays),
            RevocationSla = TimeSpan.FromDays(RevocationSlaDays),
            ReviewInterval = TimeSpan.FromDays(ReviewIntervalDays),
            MaxResourceAge = TimeSpan.FromHours(MaxResourceAgeHours),
            Retention = RetentionDays > 0 ? TimeSpan.FromDays(RetentionDays) : null,
        };
    }

    /// <summary>The ids a selection names; null when it names every check.</summary>
    private static HashSet<string>? EnabledCheckIds(string selection)
    {
        var checks = Configuration.CheckSelection.Parse(selection);
        return checks.Count == CheckCatalog.All.Count ? null : checks.Select(c => c.Definition.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int ParseInteger(string text, int minimum, int maximum)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
        {
            throw new SettingValueException($"'{text}' is not a whole number >= {minimum} and <= {maximum}");
        }

        return value;
    }

    private static bool ParseBoolean(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new SettingValueException($"'{text}' is not true or false"),
    };

    private static TimeZoneInfo ParseTimeZone(string text)
    {
        var id = text.Trim();
        // Ids are names like Europe/Berlin or Etc/GMT+5; anything else (a path, "..") is refused before the system looks it up.
        if (id.Length is 0 or > 64 || id.Contains("..", StringComparison.Ordinal) || id.StartsWith('/') ||
            !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+'))
        {
            throw new SettingValueException($"'{text}' is not a time zone id; use an IANA id such as Europe/Berlin or UTC");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new SettingValueException($"unknown time zone '{id}'; use an IANA id such as Europe/Berlin or UTC");
        }
    }
}

/// <summary>One setting: its name, what it means, and how its text is read, validated and written back.</summary>
public sealed class SettingKey
{
    private readonly Func<OrganisationSettings, string, OrganisationSettings> _apply;
    private readonly Func<OrganisationSettings, string> _format;

    private SettingKey(string name, string description, Func<OrganisationSettings, string, OrganisationSettings> apply, Func<OrganisationSettings, string> format)
    {
        Name = name;
        Description = description;
        _apply = apply;
        _format = format;
    }

    /// <summary>The key as typed in <c>vigil settings set KEY VALUE</c>, snake_case.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>The value's text when the key is not set.</summary>
    public string DefaultText => _format(OrganisationSettings.Default);

    public static SettingKey Create<T>(
        string name,
        string description,
        Func<string, T> parse,
        Func<T, string> format,
        Func<OrganisationSettings, T> get,
        Func<OrganisationSettings, T, OrganisationSettings> set) =>
        new(name, description, (settings, text) => set(settings, parse(text)), settings => format(get(settings)));

    /// <summary>Validates the text and returns it as it will be stored (normalised, e.g. trimmed).</summary>
    /// <exception cref="SettingValueException">The text is not a valid value; the message says why.</exception>
    public string Normalise(string text) => Format(Apply(OrganisationSettings.Default, text));

    /// <summary>The value of this key in <paramref name="settings"/>, as text.</summary>
    public string Format(OrganisationSettings settings) => _format(settings);

    internal OrganisationSettings Apply(OrganisationSettings settings, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return _apply(settings, text);
        }
        catch (SettingValueException e)
        {
            throw new SettingValueException($"{Name}: {e.Message}");
        }
    }
}

/// <summary>A setting's value is not valid; the message names the key and says what is expected.</summary>
public sealed class SettingValueException(string message) : Exception(message);
