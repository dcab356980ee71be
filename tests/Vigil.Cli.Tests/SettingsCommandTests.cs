namespace Vigil.Cli.Tests;

/// <summary><c>vigil settings set|get|list</c> as a user types it: values are validated before anything is stored.</summary>
public sealed class SettingsCommandTests
{
    [Fact]
    public async Task Set_then_get_and_list_show_the_value()
    {
        using var cli = new CliProcess();

        (await cli.RunAsync("settings", "get", "timezone")).ShouldExit(0).Stdout.Trim().ShouldBe("UTC");
        Assert.Contains("timezone = Europe/Berlin", (await cli.RunAsync("settings", "set", "timezone", "Europe/Berlin")).ShouldExit(0).Stdout);
        (await cli.RunAsync("settings", "set", "offboarding_grace_days", "3")).ShouldExit(0);

        (await cli.RunAsync("settings", "get", "timezone")).ShouldExit(0).Stdout.Trim().ShouldBe("Europe/Berlin");
        var list = (await cli.RunAsync("settings", "list")).ShouldExit(0).Stdout;
        Assert.Contains("Europe/Berlin", list);
        Assert.Contains("offboarding_grace_days", list);
        Assert.Contains("48 (default)", list);
    }

    [Fact]
    public async Task Max_super_admins_and_max_invite_age_days_are_settable()
    {
        using var cli = new CliProcess();

        (await cli.RunAsync("settings", "get", "max_super_admins")).ShouldExit(0).Stdout.Trim().ShouldBe("4");
        (await cli.RunAsync("settings", "get", "max_invite_age_days")).ShouldExit(0).Stdout.Trim().ShouldBe("14");
        Assert.Contains("max_super_admins = 3", (await cli.RunAsync("settings", "set", "max_super_admins", "3")).ShouldExit(0).Stdout);
        Assert.Contains("max_invite_age_days = 30", (await cli.RunAsync("settings", "set", "max_invite_age_days", "30")).ShouldExit(0).Stdout);

        (await cli.RunAsync("settings", "get", "max_super_admins")).ShouldExit(0).Stdout.Trim().ShouldBe("3");
        (await cli.RunAsync("settings", "get", "max_invite_age_days")).ShouldExit(0).Stdout.Trim().ShouldBe("30");
    }

    [Theory]
    [InlineData("timezone", "Not/A_Zone", "unknown time zone")]
    [InlineData("timezone", "../../../etc/passwd", "not a time zone id")]
    [InlineData("offboarding_grace_days", "-2", ">= 0")]
    [InlineData("offboarding_grace_days", "soon", ">= 0")]
    [InlineData("max_data_age_hours", "0", ">= 1")]
    [InlineData("max_super_admins", "1", ">= 2")]
    [InlineData("max_invite_age_days", "-1", ">= 1")]
    public async Task An_invalid_value_is_a_usage_error_and_stores_nothing(string key, string value, string message)
    {
        using var cli = new CliProcess();
        (await cli.RunAsync("settings", "set", "timezone", "Europe/Berlin")).ShouldExit(0);
        (await cli.RunAsync("settings", "set", "offboarding_grace_days", "2")).ShouldExit(0);
        (await cli.RunAsync("settings", "set", "max_data_age_hours", "24")).ShouldExit(0);

        var result = (await cli.RunAsync("settings", "set", key, value)).ShouldExit(2);

        Assert.Contains($"vigil: {key}: ", result.Stderr);
        Assert.Contains(message, result.Stderr);
        Assert.Contains("nothing was changed", result.Stderr);
        (await cli.RunAsync("settings", "get", "timezone")).ShouldExit(0).Stdout.Trim().ShouldBe("Europe/Berlin");
        (await cli.RunAsync("settings", "get", "offboarding_grace_days")).ShouldExit(0).Stdout.Trim().ShouldBe("2");
        (await cli.RunAsync("settings", "get", "max_data_age_hours")).ShouldExit(0).Stdout.Trim().ShouldBe("24");
    }

    [Fact]
    public async Task An_unknown_key_names_the_known_ones()
    {
        using var cli = new CliProcess();
        var result = (await cli.RunAsync("settings", "set", "time_zone", "UTC")).ShouldExit(2);

        Assert.Contains("known settings: timezone, offboarding_grace_days, max_data_age_hours", result.Stderr);
    }
}

internal static class StringAssertions
{
    public static void ShouldBe(this string actual, string expected) => Assert.Equal(expected, actual);
}
