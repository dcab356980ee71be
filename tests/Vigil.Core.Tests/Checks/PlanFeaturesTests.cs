using Vigil.Core.Checks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Tests.Checks;

public sealed class PlanFeaturesTests
{
    private static Zone OnPlan(string? plan) => new("z1", "shop.example", "a1", "active", false, "Some plan", null, PlanLegacyId: plan);

    [Fact]
    public void Every_row_names_only_cloudflare_plans()
    {
        Assert.All(PlanFeatures.Table.Values, plans =>
        {
            Assert.NotEmpty(plans);
            Assert.All(plans, p => Assert.Contains(p, new[] { PlanFeatures.Free, PlanFeatures.Pro, PlanFeatures.Business, PlanFeatures.Enterprise }));
        });
    }

    [Theory]
    [InlineData("tls_1_3")]
    [InlineData("automatic_https_rewrites")]
    [InlineData("browser_check")]
    [InlineData("development_mode")]
    [InlineData("email_obfuscation")]
    [InlineData("security_level")]
    [InlineData("universal_ssl")]
    [InlineData("authenticated_origin_pulls")]
    public void The_zone_configuration_features_are_on_every_plan(string feature)
    {
        Assert.True(PlanFeatures.Table.ContainsKey(feature));
        Assert.All(new[] { "free", "pro", "business", "enterprise" }, plan => Assert.Null(PlanFeatures.NotAvailable(OnPlan(plan), feature, feature)));
    }

    [Fact]
    public void A_plan_without_the_feature_gives_the_skip_reason_naming_the_plan()
    {
        var table = new Dictionary<string, IReadOnlyList<string>> { ["logpush"] = [PlanFeatures.Enterprise] };

        Assert.Equal("zone shop.example: Logpush is not available on the pro plan", PlanFeatures.NotAvailable(OnPlan("Pro"), "logpush", "Logpush", table));
        Assert.Null(PlanFeatures.NotAvailable(OnPlan("enterprise"), "logpush", "Logpush", table));
    }

    [Fact]
    public void An_unreported_or_unlisted_plan_or_feature_is_never_skipped()
    {
        var table = new Dictionary<string, IReadOnlyList<string>> { ["logpush"] = [PlanFeatures.Enterprise] };

        Assert.Null(PlanFeatures.NotAvailable(OnPlan(null), "logpush", "Logpush", table));
        Assert.Null(PlanFeatures.NotAvailable(OnPlan("partners_custom"), "logpush", "Logpush", table));
        Assert.Null(PlanFeatures.NotAvailable(OnPlan("free"), "not_in_the_table", "Something", table));
    }

    [Theory]
    [InlineData("free", false)]
    [InlineData("pro", true)]
    [InlineData("Business", true)]
    [InlineData("enterprise", true)]
    [InlineData(null, false)]
    [InlineData("partners_custom", false)]
    public void Per_hostname_tls_is_read_only_on_the_plans_the_table_names(string? plan, bool reads)
    {
        Assert.Equal([PlanFeatures.Pro, PlanFeatures.Business, PlanFeatures.Enterprise], PlanFeatures.Table[PlanFeatures.HostnameTls]);
        Assert.Equal(reads, Zone.PlanMayOverrideTlsPerHostname(plan));
    }
}
