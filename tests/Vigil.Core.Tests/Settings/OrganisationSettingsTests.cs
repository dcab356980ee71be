using Vigil.Core.Settings;

namespace Vigil.Core.Tests.Settings;

public sealed class OrganisationSettingsTests
{
    [Fact]
    public void Defaults_are_utc_no_grace_and_48_hours()
    {
        var settings = OrganisationSettings.From(new Dictionary<string, string>());

        Assert.Equal(TimeZoneInfo.Utc, settings.TimeZone);
        Assert.Equal(0, settings.OffboardingGraceDays);
        Assert.Equal(48, settings.MaxDataAgeHours);
        Assert.Equal(15_552_000, settings.HstsMinMaxAgeSeconds);
        Assert.False(settings.WafAcceptScoped);
        Assert.Equal(0, settings.RetentionDays);
        Assert.Equal("all", settings.EnabledChecks);
        Assert.Equal(4, settings.MaxSuperAdmins);
        Assert.Equal(14, settings.MaxInviteAgeDays);
        Assert.Equal(4, settings.ToCheckOptions().MaxSuperAdmins);
        Assert.Equal(TimeSpan.FromDays(14), settings.ToCheckOptions().MaxInviteAge);
        Assert.Equal(7, settings.RevocationSlaDays);
        Assert.Equal(90, settings.ReviewIntervalDays);
        Assert.Equal(TimeSpan.FromDays(7), settings.ToCheckOptions().RevocationSla);
        Assert.Equal(TimeSpan.FromDays(90), settings.ToCheckOptions().ReviewInterval);
        Assert.Equal(24, settings.MaxResourceAgeHours);
        Assert.Equal(TimeSpan.FromHours(24), settings.ToCheckOptions().MaxResourceAge);
        Assert.Equal(TimeSpan.FromHours(6), OrganisationSettings.From(new Dictionary<string, string> { ["max_resource_age_hours"] = "6" }).ToCheckOptions().MaxResourceAge);
        Assert.Equal(["timezone", "offboarding_grace_days", "max_data_age_hours", "hsts_min_max_age_seconds", "waf_accept_scoped", "retention_days", "checks.enabled", "max_super_admins", "max_invite_age_days", "revocation_sla_days", "review_interval_days", "max_resource_age_hours", "sync_interval_hours"],
            OrganisationSettings.Keys.Select(k => k.Name));
    }

    [Fact]
    public void Stored_values_become_typed_check_options()
    {
        var settings = OrganisationSettings.From(new Dictionary<string, string>
        {
            ["timezone"] = "Europe/Berlin",
            ["offboarding_grace_days"] = "3",
            ["max_data_age_hours"] = "24",
            ["hsts_min_max_age_seconds"] = "31536000",
            ["waf_accept_scoped"] = "true",
            ["max_super_admins"] = "6",
            ["max_invite_age_days"] = "30",
            ["setting_from_a_newer_vigil"] = "ignored",
        });

        var options = settings.ToCheckOptions();

        Assert.Equal(TimeSpan.FromDays(365), options.HstsMinMaxAge);
        Assert.True(options.AcceptScopedWafDeployments);
        Assert.Equal(6, options.MaxSuperAdmins);
        Assert.Equal(TimeSpan.FromDays(30), options.MaxInviteAge);
        Assert.Equal("Europe/Berlin", options.TimeZone.Id);
        Assert.Equal(TimeSpan.FromDays(3), options.OffboardingGracePeriod);
        Assert.Equal(TimeSpan.FromHours(24), options.MaxDataAge);
    }

    [Fact]
    public void A_command_line_grace_overrides_the_setting()
    {
        var settings = OrganisationSettings.Default with { OffboardingGraceDays = 3 };

        Assert.Equal(TimeSpan.FromDays(1), settings.ToCheckOptions(offboardingGraceDays: 1).OffboardingGracePeriod);
        Assert.Equal(TimeSpan.Zero, settings.ToCheckOptions(offboardingGraceDays: 0).OffboardingGracePeriod);
        Assert.Equal(TimeSpan.FromDays(3), settings.ToCheckOptions().OffboardingGracePeriod);
    }

    [Theory]
    [InlineData("timezone", " Europe/Berlin ", "Europe/Berlin")]
    [InlineData("timezone", "UTC", "UTC")]
    [InlineData("offboarding_grace_days", "0", "0")]
    [InlineData("offboarding_grace_days", "14", "14")]
    [InlineData("max_data_age_hours", "1", "1")]
    [InlineData("max_data_age_hours", "8760", "8760")]
    [InlineData("offboarding_grace_days", "3650", "3650")]
    [InlineData("hsts_min_max_age_seconds", "31536000", "31536000")]
    [InlineData("waf_accept_scoped", " TRUE ", "true")]
    [InlineData("waf_accept_scoped", "false", "false")]
    [InlineData("max_super_admins", " 2 ", "2")]
    [InlineData("max_invite_age_days", "30", "30")]
    public void Valid_values_are_normalised(string key, string value, string stored)
    {
        Assert.Equal(stored, OrganisationSettings.FindKey(key)!.Normalise(value));
    }

    [Theory]
    [InlineData("timezone", "Mars/Olympus_Mons", "unknown time zone")]
    [InlineData("timezone", "../../etc/passwd", "not a time zone id")]
    [InlineData("timezone", "", "not a time zone id")]
    [InlineData("offboarding_grace_days", "-1", ">= 0")]
    [InlineData("offboarding_grace_days", "two", ">= 0")]
    [InlineData("offboarding_grace_days", "1.5", ">= 0")]
    [InlineData("max_data_age_hours", "0", ">= 1")]
    [InlineData("max_data_age_hours", "99999999999", ">= 1")]
    [InlineData("max_data_age_hours", "8761", "<= 8760")]
    [InlineData("offboarding_grace_days", "3651", "<= 3650")]
    [InlineData("hsts_min_max_age_seconds", "-1", ">= 0")]
    [InlineData("waf_accept_scoped", "yes", "not true or false")]
    [InlineData("max_super_admins", "1", ">= 2")]
    [InlineData("max_super_admins", "four", ">= 2")]
    [InlineData("max_invite_age_days", "0", ">= 1")]
    [InlineData("max_invite_age_days", "3651", "<= 3650")]
    public void Invalid_values_are_refused_naming_the_key(string key, string value, string message)
    {
        var error = Assert.Throws<SettingValueException>(() => OrganisationSettings.FindKey(key)!.Normalise(value));

        Assert.StartsWith(key + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_found_ignoring_case_and_unknown_keys_are_not()
    {
        Assert.Equal("timezone", OrganisationSettings.FindKey("TimeZone")?.Name);
        Assert.Null(OrganisationSettings.FindKey("time_zone"));
    }
}
