using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneBotProtectionTests
{
    private readonly ZoneBotProtection _check = new();

    private static Func<ZoneSecurity, ZoneSecurity> Bots(BotManagementConfig? config) =>
        s => s with { Features = (s.Features ?? new ZoneFeatures()) with { BotManagement = config } };

    [Fact]
    public void Passes_a_free_zone_with_bot_fight_mode_on()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Bots(new BotManagementConfig(FightMode: true, EnableJs: true)), planLegacyId: "free").Build()))
            .ShouldPass("shop.example", containing: "zone shop.example (Free plan) has Bot Fight Mode on");
    }

    [Fact]
    public void Fails_a_free_zone_with_bot_fight_mode_off_and_does_not_ask_it_for_super_bot_fight_mode()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Bots(new BotManagementConfig(FightMode: false)), planLegacyId: "free", id: "z-1").Build()))
            .ShouldFail("shop.example", containing: "zone shop.example (Free plan) has Bot Fight Mode off (fight_mode: false)");

        Assert.Contains("Security > Bots", finding.Remediation);
        Assert.Contains("PUT /zones/z-1/bot_management with {\"fight_mode\":true}", finding.Remediation);
        Assert.DoesNotContain("Super Bot Fight Mode", finding.Reason);
    }

    [Theory]
    [InlineData("pro", "block")]
    [InlineData("business", "managed_challenge")]
    public void Passes_a_paid_zone_with_super_bot_fight_mode_acting(string plan, string action)
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Bots(new BotManagementConfig(SbfmDefinitelyAutomated: action, SbfmLikelyAutomated: "allow")), planLegacyId: plan).Build()))
            .ShouldPass("shop.example", containing: $"has Super Bot Fight Mode on: definitely automated traffic: {action}, likely automated: allow");
    }

    [Fact]
    public void Fails_a_pro_zone_whose_super_bot_fight_mode_allows_definitely_automated_traffic()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Bots(new BotManagementConfig(SbfmDefinitelyAutomated: "allow", SbfmVerifiedBots: "allow")), planLegacyId: "pro").Build()))
            .ShouldFail("shop.example", containing: "zone shop.example (Pro plan) has Super Bot Fight Mode letting definitely automated traffic through (sbfm_definitely_automated: allow)");

        Assert.Contains("Configure Super Bot Fight Mode", finding.Remediation);
    }

    [Fact]
    public void Passes_an_enterprise_zone_with_bot_management()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Bots(new BotManagementConfig(AutoUpdateModel: true, SuppressSessionScore: false, EnableJs: true)), planLegacyId: "enterprise").Build()))
            .ShouldPass("shop.example", containing: "zone shop.example has Bot Management for Enterprise");
    }

    [Fact]
    public void The_enterprise_shape_on_a_plan_without_the_add_on_does_not_pass()
    {
        // Left-over Bot Management fields on a Business zone (after a downgrade) protect nothing.
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Bots(new BotManagementConfig(AutoUpdateModel: true, SbfmDefinitelyAutomated: "allow")), planLegacyId: "business").Build()))
            .ShouldFail("shop.example", containing: "sbfm_definitely_automated: allow");
    }

    [Fact]
    public void Skips_a_paused_zone()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("old.example", Bots(null), paused: true).Build()))
            .ShouldBeSkipped("old.example", containing: "is paused");
    }

    [Fact]
    public void Is_unknown_naming_the_missing_permission()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Bots(null), id: "z-1")
            .Gap("infra", "bot_management", "z-1", missingPermission: "Bot Management Read", what: "GET /zones/z-1/bot_management").Build();

        var finding = _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example",
            containing: "the bot management configuration of zone shop.example could not be read: GET /zones/z-1/bot_management failed (403 Forbidden); the credential lacks the 'Bot Management Read' permission");
        Assert.Contains("'Bot Management Read'", finding.Remediation);
    }
}
