using Vigil.Core.Inventory;

namespace Vigil.Core.Tests.TestSupport;

/// <summary>Zone configuration beyond the core settings, for the builder: <c>s => s.WithSetting("tls_1_3", "off")</c>.</summary>
internal static class ZoneFeaturesExtensions
{
    /// <summary>The zone's features as the whole catalogue reads them from a compliant zone.</summary>
    public static ZoneFeatures Compliant { get; } = new()
    {
        Settings = new Dictionary<string, string>
        {
            ["tls_1_3"] = "on",
            ["automatic_https_rewrites"] = "on",
            ["browser_check"] = "on",
            ["security_level"] = "medium",
            ["development_mode"] = "off",
            ["email_obfuscation"] = "on",
        },
        UniversalSslEnabled = true,
        AuthenticatedOriginPullsEnabled = true,
    };

    public static ZoneSecurity WithFeatures(this ZoneSecurity security, Func<ZoneFeatures, ZoneFeatures>? configure = null) =>
        security with { Features = configure is null ? Compliant : configure(Compliant) };

    /// <summary>One setting changed (a null value: not read).</summary>
    public static ZoneSecurity WithSetting(this ZoneSecurity security, string settingId, string? value) =>
        security.WithFeatures(f =>
        {
            var settings = new Dictionary<string, string>(f.Settings!);
            if (value is null)
            {
                settings.Remove(settingId);
            }
            else
            {
                settings[settingId] = value;
            }
            return f with { Settings = settings };
        });
}
