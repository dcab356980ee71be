using Vigil.Core.Configuration;
using Vigil.Core.Settings;

namespace Vigil.Core.Tests.Configuration;

public sealed class VigilConfigTests
{
    private static VigilConfig Hsts(string seconds) =>
        new([new ConfiguredSetting("hsts_min_max_age_seconds", seconds, "cloudflare.zone-hsts min_max_age_days: 365", 2, 27)], [], "/home/me/.vigil/vigil.yaml");

    [Fact]
    public void A_threshold_in_the_document_sets_the_setting()
    {
        var settings = Hsts("31536000").ApplyTo(new Dictionary<string, string> { ["timezone"] = "UTC" });

        Assert.Equal(31_536_000, settings.HstsMinMaxAgeSeconds);
        Assert.Equal(TimeSpan.FromDays(365), settings.ToCheckOptions().HstsMinMaxAge);
    }

    [Fact]
    public void The_same_value_in_both_places_is_fine()
    {
        Assert.Equal(31_536_000, Hsts("31536000").ApplyTo(new Dictionary<string, string> { ["hsts_min_max_age_seconds"] = " 31536000" }).HstsMinMaxAgeSeconds);
    }

    [Fact]
    public void A_conflict_between_the_document_and_the_settings_is_an_error_naming_both()
    {
        var e = Assert.Throws<ConfigException>(() => Hsts("31536000").ApplyTo(new Dictionary<string, string> { ["hsts_min_max_age_seconds"] = "15552000" }));

        Assert.Equal(2, e.Line);
        Assert.Contains("/home/me/.vigil/vigil.yaml line 2, column 27", e.Message);
        Assert.Contains("min_max_age_days: 365", e.Message);
        Assert.Contains("'vigil settings' has hsts_min_max_age_seconds = 15552000", e.Message);
    }

    [Fact]
    public void Every_threshold_maps_onto_an_existing_setting_of_an_existing_check()
    {
        Assert.All(CheckThresholds.All, t =>
        {
            Assert.NotNull(Vigil.Core.Checks.CheckCatalog.Find(t.CheckId));
            Assert.NotNull(OrganisationSettings.FindKey(t.SettingKey));
        });
        Assert.Equal("15552000", CheckThresholds.Of("cloudflare.zone-hsts").Single(t => t.Key == "min_max_age_days").ToSetting("180"));
    }
}
