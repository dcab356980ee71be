using Vigil.Core.Checks;
using Vigil.Core.History;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;

namespace Vigil.Core.Tests.History;

public sealed class SnapshotDiffTests
{
    private static SnapshotBuilder Base() => new SnapshotBuilder()
        .Account("acc-1", "Production")
        .Member("ana@acme.test", id: "m-ana", roles: ["Administrator"])
        .Member("ben@acme.test", id: "m-ben", roles: ["DNS"], twoFactor: false)
        .Member("cy@acme.test", id: "m-cy", roles: ["Billing"])
        .Zone("shop.example", id: "z-shop")
        .Zone("blog.example", id: "z-blog")
        .ZoneWithoutSecurity("unread.example", id: "z-unread");

    [Fact]
    public void The_same_data_has_no_change()
    {
        var diff = SnapshotDiff.Between(Base().Build(), Base().Build() with { Id = "snap-2" });

        Assert.False(diff.HasChanges);
        Assert.Equal(("snap-1", "snap-2"), (diff.From.SnapshotId, diff.To.SnapshotId));
    }

    [Fact]
    public void Names_memberships_added_removed_re_roled_and_with_2fa_changed()
    {
        var before = Base().Build();
        var after = new SnapshotBuilder()
            .Account("acc-1", "Production")
            .Member("ana@acme.test", id: "m-ana", roles: ["Administrator Read Only", "DNS"])
            .Member("ben@acme.test", id: "m-ben", roles: ["DNS"], twoFactor: true)
            .Member("dee@acme.test", id: "m-dee", roles: ["Analytics"], status: MembershipStatus.Pending, twoFactor: null)
            .Zone("shop.example", id: "z-shop").Zone("blog.example", id: "z-blog").ZoneWithoutSecurity("unread.example", id: "z-unread")
            .Build();

        var m = SnapshotDiff.Between(before, after).Memberships;

        var added = Assert.Single(m.Added);
        Assert.Equal(("dee@acme.test", "acc-1", "Production", "pending", (bool?)null), (added.Email, added.AccountId, added.AccountName, added.Status, added.TwoFactorEnabled));
        Assert.Equal(["Analytics"], added.Roles);
        var removed = Assert.Single(m.Removed);
        Assert.Equal(("cy@acme.test", "m-cy"), (removed.Email, removed.MemberId));
        var reroled = Assert.Single(m.ReRoled);
        Assert.Equal("ana@acme.test", reroled.Email);
        Assert.Equal(["Administrator"], reroled.OldRoles);
        Assert.Equal(["Administrator Read Only", "DNS"], reroled.NewRoles);
        Assert.Equal(["Administrator Read Only", "DNS"], reroled.RolesAdded);
        Assert.Equal(["Administrator"], reroled.RolesRemoved);
        var twoFactor = Assert.Single(m.TwoFactorChanged);
        Assert.Equal(("ben@acme.test", (bool?)false, (bool?)true), (twoFactor.Email, twoFactor.Old, twoFactor.New));
    }

    [Fact]
    public void A_policy_grant_change_is_a_re_role()
    {
        var before = new SnapshotBuilder().Member("ana@acme.test", id: "m-ana", roles: [],
            policies: [new MemberPolicy("p1", "allow", ["Zone Read"], ["all zones"])]).Build();
        var after = new SnapshotBuilder().Member("ana@acme.test", id: "m-ana", roles: [],
            policies: [new MemberPolicy("p1", "allow", ["Zone Read", "DNS Write"], ["all zones"])]).Build();

        var reroled = Assert.Single(SnapshotDiff.Between(before, after).Memberships.ReRoled);
        Assert.Equal(["DNS Write"], reroled.RolesAdded);
        Assert.Empty(reroled.RolesRemoved);
    }

    [Fact]
    public void Names_zones_added_removed_and_each_changed_setting_with_its_old_and_new_value()
    {
        var before = Base().Build();
        var after = new SnapshotBuilder()
            .Account("acc-1", "Production")
            .Member("ana@acme.test", id: "m-ana", roles: ["Administrator"]).Member("ben@acme.test", id: "m-ben", roles: ["DNS"], twoFactor: false)
            .Member("cy@acme.test", id: "m-cy", roles: ["Billing"])
            .Zone("shop.example", s => s with
            {
                MinTlsVersion = "1.0",
                Hsts = s.Hsts! with { Enabled = false },
                Features = s.Features! with { Settings = new Dictionary<string, string>(s.Features.Settings!) { ["development_mode"] = "on" } },
            }, id: "z-shop")
            .Zone("new.example", id: "z-new", planLegacyId: "pro")
            // Read before, not read now (a failed read): not a change of its settings.
            .ZoneWithoutSecurity("blog.example", id: "z-blog")
            .Build();

        var z = SnapshotDiff.Between(before, after).Zones;

        var added = Assert.Single(z.Added);
        Assert.Equal(("new.example", "z-new", "active", "pro"), (added.Zone, added.ZoneId, added.Status, added.Plan));
        Assert.Equal("unread.example", Assert.Single(z.Removed).Zone);
        var changed = Assert.Single(z.SettingsChanged);
        Assert.Equal(("shop.example", "Production"), (changed.Zone, changed.AccountName));
        Assert.Equal(
            [new SettingChange("development_mode", "off", "on"), new SettingChange("hsts", "on, max-age 31536000, includeSubDomains", "off"), new SettingChange("min_tls_version", "1.2", "1.0")],
            changed.Settings);
    }

    [Fact]
    public void Feature_reads_are_compared_by_their_setting_names()
    {
        var before = new SnapshotBuilder().Zone("shop.example", id: "z").Build();
        var after = new SnapshotBuilder().Zone("shop.example", s => s with
        {
            Features = s.Features! with
            {
                UniversalSslEnabled = false, BotManagement = new BotManagementConfig(FightMode: false), LogpushJobs = [],
                CertificatePacks = [new CertificatePack("p1", "universal", "active", "google", []), new CertificatePack("p2", "advanced", "expired", "ssl_com", [])],
            },
        }, id: "z").Build();

        var changed = Assert.Single(SnapshotDiff.Between(before, after).Zones.SettingsChanged);
        Assert.Equal(["bot_management.fight_mode", "certificate_authorities", "logpush_jobs_enabled", "universal_ssl"], changed.Settings.Select(s => s.Setting));
        Assert.Equal(("universal: lets_encrypt", "universal: google"), (changed.Settings[1].Old, changed.Settings[1].New));
        Assert.Equal(("http_requests", "none"), (changed.Settings[2].Old, changed.Settings[2].New));
    }
}

public sealed class CheckHistoryRowTests
{
    [Fact]
    public void One_row_per_check_with_its_findings_counted_by_status()
    {
        var at = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
        Finding F(FindingStatus status, string subject) => new(status, "zone", subject, "acc-1", subject, $"zone {subject}", null);
        var evaluation = new Evaluation("run-7", at,
        [
            new CheckResult("cloudflare.zone-min-tls-1-2", CheckStatus.Fail,
                [F(FindingStatus.Fail, "a"), F(FindingStatus.Fail, "b"), F(FindingStatus.Pass, "c"), F(FindingStatus.Skipped, "d"), F(FindingStatus.Unknown, "e"), F(FindingStatus.Excepted, "f")]),
            new CheckResult("cloudflare.zone-dnssec", CheckStatus.Pass, [F(FindingStatus.Pass, "a")]),
        ]);

        var rows = CheckHistoryRow.Of(evaluation).ToList();

        Assert.Equal(
            [new CheckHistoryRow(at, "run-7", "cloudflare.zone-min-tls-1-2", "fail", 2, 1, 1, 1, 1), new CheckHistoryRow(at, "run-7", "cloudflare.zone-dnssec", "pass", 0, 1, 0, 0, 0)],
            rows);
        Assert.Equal(["cloudflare.zone-dnssec"], CheckHistoryRow.Of(evaluation, "CLOUDFLARE.zone-dnssec").Select(r => r.CheckId));
        Assert.Empty(CheckHistoryRow.Of(evaluation, "cloudflare.zone-hsts"));
    }
}
