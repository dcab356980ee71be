using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Configuration;
using Vigil.Core.Settings;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Configuration;

public sealed class CheckSelectionTests
{
    [Fact]
    public void Families_are_the_folders_checks_live_in()
    {
        Assert.Equal("access", CheckSelection.FamilyOf(new UserIdentified()));
        Assert.Equal("zones", CheckSelection.FamilyOf(new ZoneHsts()));
        Assert.Contains("access", CheckSelection.Families);
        Assert.Contains("zones", CheckSelection.Families);
    }

    [Fact]
    public void A_selection_names_families_and_check_ids()
    {
        var selected = CheckSelection.Parse("access, cloudflare.zone-hsts");

        Assert.Contains(selected, c => c is ZoneHsts);
        Assert.DoesNotContain(selected, c => c is ZoneDnssec);
        Assert.All(CheckCatalog.All.Where(c => CheckSelection.FamilyOf(c) == "access"), c => Assert.Contains(c, selected));
        Assert.Equal(CheckCatalog.All.Count, CheckSelection.Parse("all").Count);
        Assert.Equal(CheckCatalog.All.Count, CheckSelection.Parse("ZONES access dns").Count);
    }

    [Theory]
    [InlineData("dnz")]
    [InlineData("cloudflare.no-such-check")]
    [InlineData(" , ")]
    public void A_selection_naming_nothing_known_is_an_error(string text)
    {
        Assert.Throws<SettingValueException>(() => CheckSelection.Parse(text));
    }

    [Fact]
    public void The_setting_checks_enabled_limits_the_evaluation_to_its_checks()
    {
        var settings = OrganisationSettings.From(new Dictionary<string, string> { ["checks.enabled"] = "zones" });
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Zone("shop.example").Build();

        var evaluation = CheckRunner.Evaluate(Context(snapshot, [Active("jane@acme.test")], options: settings.ToCheckOptions()));

        Assert.Equal(CheckCatalog.All.Where(c => CheckSelection.FamilyOf(c) == "zones").Select(c => c.Definition.Id), evaluation.Results.Select(r => r.CheckId));
    }

    [Fact]
    public void The_command_line_selection_overrides_the_setting()
    {
        var settings = OrganisationSettings.From(new Dictionary<string, string> { ["checks.enabled"] = "zones" });

        Assert.Equal(["cloudflare.user-identified"], settings.ToCheckOptions(enabledChecks: "cloudflare.user-identified").EnabledChecks!);
        Assert.Null(OrganisationSettings.Default.ToCheckOptions().EnabledChecks);
    }

    [Fact]
    public void The_setting_is_validated_and_normalised()
    {
        var key = OrganisationSettings.FindKey("checks.enabled")!;

        Assert.Equal("zones,cloudflare.user-identified", key.Normalise(" Zones , cloudflare.USER-identified"));
        Assert.Equal("all", key.Normalise("access,zones,dns"));
        Assert.Throws<SettingValueException>(() => key.Normalise("dnz"));
    }
}
