using Microsoft.Extensions.Time.Testing;
using Vigil.App.Queries;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Storage;

namespace Vigil.App.Tests.Queries;

/// <summary>The read models over a real store; every test runs on SQLite and on PostgreSQL (see the two classes below).</summary>
public abstract class QueryTests : IAsyncLifetime
{
    private readonly ITestStoreFactory _factory;
    private IVigilStore? _store;

    protected QueryTests(ITestStoreFactory factory) => _factory = factory;

    protected FakeTimeProvider Time { get; } = new(QueryScenario.Now);

    protected IVigilStore Store => _store!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _store = await _factory.OpenAsync(Time);
        await QueryScenario.SeedAsync(_store, Time);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Findings_filter_by_status_severity_check_account_and_zone()
    {
        var failing = await FindingsQuery.ListAsync(Store, new FindingFilter(Status: "fail"), new PageRequest(), Ct);
        Assert.NotEmpty(failing.Page.Items);
        Assert.All(failing.Page.Items, f => Assert.Equal("fail", f.Status));
        Assert.All(failing.Page.Items, f => Assert.False(string.IsNullOrWhiteSpace(f.Why)));
        Assert.All(failing.Page.Items, f => Assert.False(string.IsNullOrWhiteSpace(f.HowToFix)));
        Assert.NotNull(failing.EvaluatedAt);

        var tls = await FindingsQuery.ListAsync(Store, new FindingFilter(Check: "cloudflare.zone-min-tls-1-2", Status: "fail"), new PageRequest(), Ct);
        var weak = Assert.Single(tls.Page.Items);
        Assert.Equal("old.example", weak.Subject);
        Assert.Equal("z-old", weak.ZoneId);
        Assert.Equal("Labs", weak.AccountName);
        Assert.Contains("1.0", weak.Why, StringComparison.Ordinal);

        var byZoneName = await FindingsQuery.ListAsync(Store, new FindingFilter(Zone: "OLD.example"), new PageRequest(), Ct);
        Assert.NotEmpty(byZoneName.Page.Items);
        Assert.All(byZoneName.Page.Items, f => Assert.Equal("z-old", f.ZoneId));

        var byAccount = await FindingsQuery.ListAsync(Store, new FindingFilter(Account: "acme"), new PageRequest(), Ct);
        Assert.NotEmpty(byAccount.Page.Items);
        Assert.All(byAccount.Page.Items, f => Assert.Equal("acc-1", f.AccountId));
        var byAccountId = await FindingsQuery.ListAsync(Store, new FindingFilter(Account: "acc-1"), new PageRequest(), Ct);
        Assert.Equal(byAccount.Page.Total, byAccountId.Page.Total);

        var critical = await FindingsQuery.ListAsync(Store, new FindingFilter(Severity: "critical,high"), new PageRequest(), Ct);
        Assert.NotEmpty(critical.Page.Items);
        Assert.All(critical.Page.Items, f => Assert.Contains(f.Severity, new[] { "critical", "high" }));
        var all = await FindingsQuery.ListAsync(Store, new FindingFilter(), new PageRequest(0, 500), Ct);
        Assert.True(critical.Page.Total < all.Page.Total);
    }

    [Theory]
    [InlineData("nope", null, null, "status")]
    [InlineData(null, "urgent", null, "severity")]
    [InlineData(null, null, "cloudflare.no-such-check", "check")]
    public async Task A_bad_filter_value_names_its_field(string? status, string? severity, string? check, string field)
    {
        var error = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            FindingsQuery.ListAsync(Store, new FindingFilter(status, severity, check), new PageRequest(), Ct));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task Pages_follow_a_stable_order_and_cover_every_finding_once()
    {
        var all = await FindingsQuery.ListAsync(Store, new FindingFilter(), new PageRequest(0, 500), Ct);
        Assert.Null(all.Page.NextCursor);
        var seen = new List<FindingView>();
        var page = PageRequest.From(7, null);
        while (true)
        {
            var result = await FindingsQuery.ListAsync(Store, new FindingFilter(), page, Ct);
            Assert.Equal(all.Page.Total, result.Page.Total);
            seen.AddRange(result.Page.Items);
            if (result.Page.NextCursor is not { } cursor)
            {
                break;
            }
            page = PageRequest.From(7, cursor);
        }

        Assert.Equal(all.Page.Items, seen);
        var again = await FindingsQuery.ListAsync(Store, new FindingFilter(), new PageRequest(0, 500), Ct);
        Assert.Equal(all.Page.Items, again.Page.Items);
    }

    [Theory]
    [InlineData(0, null, "limit")]
    [InlineData(501, null, "limit")]
    [InlineData(10, "not-a-cursor", "cursor")]
    public void A_bad_page_names_its_field(int limit, string? cursor, string field)
    {
        var error = Assert.Throws<InvalidRequestException>(() => PageRequest.From(limit, cursor));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task A_new_evaluation_is_seen_by_the_next_query()
    {
        var before = await FindingsQuery.ListAsync(Store, new FindingFilter(Check: "cloudflare.user-identified", Status: "fail"), new PageRequest(), Ct);
        Assert.Contains(before.Page.Items, f => f.Subject == "bob@example.com");

        await Store.SaveMappingAsync(new IdentityMapping("bob@example.com", "ada@example.com", null, QueryScenario.Now), Ct);
        Time.Advance(TimeSpan.FromMinutes(1));
        await QueryScenario.EvaluateAsync(Store, Time);

        var after = await FindingsQuery.ListAsync(Store, new FindingFilter(Check: "cloudflare.user-identified", Status: "fail"), new PageRequest(), Ct);
        Assert.DoesNotContain(after.Page.Items, f => f.Subject == "bob@example.com");
        Assert.True(after.EvaluatedAt > before.EvaluatedAt);
    }

    [Fact]
    public async Task Checks_summary_gives_pass_or_fail_per_check_with_severity()
    {
        var summary = await ChecksQuery.SummaryAsync(Store, Ct);
        var tls = Assert.Single(summary.Checks, c => c.Id == "cloudflare.zone-min-tls-1-2");
        Assert.Equal("fail", tls.Status);
        Assert.Equal(1, tls.Fail);
        Assert.True(tls.Pass >= 1);
        Assert.False(string.IsNullOrEmpty(tls.Severity));
        Assert.Equal(summary.Checks.Count(c => c.Status == "fail"), summary.Failing);
        Assert.True(summary.Failing > 0);
    }

    [Fact]
    public async Task Members_carry_person_identity_grants_2fa_and_the_flags_review_items_carry()
    {
        var page = await MembersQuery.ListAsync(Store, new MemberFilter(), new PageRequest(), Time.GetUtcNow(), Ct);
        Assert.Equal(5, page.Total);
        // Ordered by account name, then email.
        Assert.Equal(["ada@example.com", "bob@example.com", "ci@example.com", "invitee@example.com", "zed@example.com"], page.Items.Select(m => m.Email));

        var ada = page.Items[0];
        Assert.Equal("person", ada.Identity);
        Assert.Equal("email", ada.MatchedBy);
        Assert.Equal("Ada Lovelace", ada.Person!.Name);
        Assert.Equal("engineer", ada.Person.OrgRole);
        Assert.Contains(RiskFlags.SuperAdministrator, ada.Flags);
        Assert.Equal("account Acme", Assert.Single(ada.Grants).Scope);

        var bob = page.Items[1];
        Assert.Equal("unidentified", bob.Identity);
        Assert.NotNull(bob.UnidentifiedReason);
        Assert.False(bob.TwoFactorEnabled);
        Assert.Contains(RiskFlags.Unidentified, bob.Flags);
        Assert.Contains(RiskFlags.NoTwoFactor, bob.Flags);

        var ci = page.Items[2];
        Assert.Equal("service_account", ci.Identity);
        Assert.Equal("deploy bot owned by platform team", ci.ServiceAccount);
        Assert.DoesNotContain(RiskFlags.Unidentified, ci.Flags);

        var invitee = page.Items[3];
        Assert.Equal("pending", invitee.Status);
        Assert.Contains(RiskFlags.StaleInvite, invitee.Flags);

        var zed = page.Items[4];
        Assert.Equal("offboarded", zed.Person!.Status);
        Assert.Contains(RiskFlags.Offboarded, zed.Flags);
    }

    [Fact]
    public async Task Members_filter_by_flag_identity_account_and_search()
    {
        var now = Time.GetUtcNow();
        var unidentified = await MembersQuery.ListAsync(Store, new MemberFilter(Flag: "unidentified"), new PageRequest(), now, Ct);
        Assert.Contains(unidentified.Items, m => m.Email == "bob@example.com");
        Assert.All(unidentified.Items, m => Assert.Contains(RiskFlags.Unidentified, m.Flags));

        var services = await MembersQuery.ListAsync(Store, new MemberFilter(Identity: "service_account"), new PageRequest(), now, Ct);
        Assert.Equal("ci@example.com", Assert.Single(services.Items).Email);

        var labs = await MembersQuery.ListAsync(Store, new MemberFilter(Account: "Labs"), new PageRequest(), now, Ct);
        Assert.Equal(2, labs.Total);

        var search = await MembersQuery.ListAsync(Store, new MemberFilter(Search: "lovelace"), new PageRequest(), now, Ct);
        Assert.Equal("ada@example.com", Assert.Single(search.Items).Email);

        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => MembersQuery.ListAsync(Store, new MemberFilter(Flag: "bogus"), new PageRequest(), now, Ct));
        Assert.Equal("flag", error.Field);
    }

    [Fact]
    public async Task A_mapping_changes_the_member_at_once_without_a_new_evaluation()
    {
        await Store.SaveMappingAsync(new IdentityMapping("bob@example.com", "grace@example.com", null, QueryScenario.Now), Ct);
        var bob = await MembersQuery.GetAsync(Store, "acc-1", "m-bob", Time.GetUtcNow(), Ct);
        Assert.Equal("person", bob!.Identity);
        Assert.Equal("mapping", bob.MatchedBy);
        Assert.Equal("grace@example.com", bob.Person!.Email);
        Assert.Null(await MembersQuery.GetAsync(Store, "acc-1", "m-nobody", Time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task Zones_show_settings_waf_and_each_zone_checks_verdict()
    {
        var zones = await ZonesQuery.ListAsync(Store, new ZoneFilter(), new PageRequest(), Ct);
        Assert.Equal(["old.example", "paused.example", "shop.example"], zones.Items.Select(z => z.Name));

        var old = zones.Items[0];
        Assert.Equal("1.0", old.Settings!.MinTlsVersion);
        Assert.Equal("flexible", old.Settings.Ssl);
        Assert.True(old.Waf!.Phases[Vigil.Core.Inventory.RulesetPhases.ManagedWaf]);
        Assert.False(old.Waf.Phases[Vigil.Core.Inventory.RulesetPhases.CustomFirewall]);
        Assert.Contains("efb7b8c949ac4650a09736fc376e9aee", old.Waf.ManagedRulesets);
        Assert.Contains(old.Checks, c => c.CheckId == "cloudflare.zone-min-tls-1-2" && c.Status == "fail");
        Assert.Contains(old.Checks, c => c.CheckId == "cloudflare.zone-waf-managed" && c.Status == "pass");

        var paused = zones.Items[1];
        Assert.False(paused.Monitored);
        Assert.Null(paused.Settings);

        Assert.Null(old.Settings.CertificateAuthorities);

        var shop = await ZonesQuery.GetAsync(Store, "SHOP.example", Ct);
        Assert.Equal("z-shop", shop!.Id);
        // Only packs in use: the deleted Let's Encrypt pack is not what the CAA records must allow.
        Assert.Equal(["universal: google"], shop.Settings!.CertificateAuthorities);
        Assert.Equal("Acme", shop.AccountName);
        Assert.Equal(1, (await ZonesQuery.ListAsync(Store, new ZoneFilter(Account: "acc-1"), new PageRequest(), Ct)).Total);
    }

    [Fact]
    public async Task Runs_list_newest_first_and_get_has_stages()
    {
        var runs = await RunsQuery.ListAsync(Store, new PageRequest(), null, Ct);
        var run = Assert.Single(runs.Items);
        Assert.Equal("test", run.Trigger);
        Assert.Equal("complete", run.Status);
        Assert.Null(runs.NextCursor);

        var got = await RunsQuery.GetAsync(Store, run.Id, null, Ct);
        Assert.Equal(run.Id, got!.Id);
        Assert.Null(await RunsQuery.GetAsync(Store, "no-such-run", null, Ct));
    }

    [Fact]
    public async Task Runs_page_by_cursor()
    {
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(5));
            var run = await Store.StartRunAsync("api", Time.GetUtcNow(), Ct);
            await Store.FinishRunAsync(run with { Status = Vigil.Core.Sync.SyncStatus.Complete, EndedAt = Time.GetUtcNow() }, Ct);
        }

        var first = await RunsQuery.ListAsync(Store, new PageRequest(0, 2), null, Ct);
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        var second = await RunsQuery.ListAsync(Store, PageRequest.From(2, first.NextCursor), null, Ct);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.NextCursor);
        Assert.Equal("test", second.Items[^1].Trigger);
        Assert.Empty(first.Items.Select(r => r.Id).Intersect(second.Items.Select(r => r.Id)));
    }

    [Fact]
    public async Task People_search_the_staff_directory_by_email_name_alias_and_role()
    {
        var all = await PeopleQuery.ListAsync(Store, null, new PageRequest(), Ct);
        Assert.Equal(["ada@example.com", "grace@example.com", "zed@example.com"], all.Items.Select(p => p.Email));
        Assert.Equal("grace@example.com", Assert.Single((await PeopleQuery.ListAsync(Store, "hopper.example.org".Replace("hopper.", "g.hopper@", StringComparison.Ordinal), new PageRequest(), Ct)).Items).Email);
        Assert.Equal("ada@example.com", Assert.Single((await PeopleQuery.ListAsync(Store, "LOVELACE", new PageRequest(), Ct)).Items).Email);
        var page = await PeopleQuery.ListAsync(Store, null, new PageRequest(1, 1), Ct);
        Assert.Equal("grace@example.com", Assert.Single(page.Items).Email);
        Assert.Equal(3, page.Total);
        Assert.NotNull(page.NextCursor);
    }
}

public sealed class SqliteQueryTests() : QueryTests(new SqliteStoreFactory());

public sealed class PostgresQueryTests() : QueryTests(new PostgresStoreFactory());
