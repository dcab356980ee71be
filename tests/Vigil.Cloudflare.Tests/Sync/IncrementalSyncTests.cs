using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>Incremental sync from the audit log against the simulator, whose changes are logged (or not) as Cloudflare would log them.</summary>
public sealed class IncrementalSyncTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    internal static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A simulated organisation, one host syncing it, and the clock both share.</summary>
    internal sealed class Org : IAsyncDisposable
    {
        public required FakeTimeProvider Time { get; init; }
        public required CloudflareSimulator Sim { get; init; }
        public required TestHost Host { get; init; }
        public Action<CloudflareOptions>? Configure { get; init; }

        public static async Task<Org> StartAsync(Scenario scenario, Action<CloudflareOptions>? configure = null)
        {
            var time = new FakeTimeProvider(Start);
            var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions
            {
                RateLimitRequests = 0,
                PerIpRequestsPerSecond = 0,
                TimeProvider = time,
                ControlApi = true,
            });
            var host = NewHost(sim, time, configure);
            await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(TestScenario.ReadAll), Ct);
            return new Org { Time = time, Sim = sim, Host = host, Configure = configure };
        }

        private static TestHost NewHost(CloudflareSimulator sim, TimeProvider time, Action<CloudflareOptions>? configure) =>
            new(sim.BaseUrl, o =>
            {
                // The clock is frozen between Advance calls: no pacing that would wait on it.
                o.MaxRequestsPerSecond = 200;
                o.BudgetRequests = 1_000_000;
                configure?.Invoke(o);
            }, time: time);

        public Task<SyncRun> SyncAsync(bool full = false, TimeSpan? maxAge = null) =>
            Host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Both, "test", Full: full, MaxResourceAge: maxAge), null, null, Ct);

        /// <summary>What a full sync reads now, with a fresh host and store.</summary>
        public async Task<(InfraStageData Infra, AccessStageData Access, int Calls)> ReadInFullAsync()
        {
            using var host = NewHost(Sim, Time, Configure);
            await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", Sim.BaseUrl), new Secret(TestScenario.ReadAll), Ct);
            var run = await host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Both, "full"), null, null, Ct);
            Assert.True(run.Status == SyncStatus.Complete, run.Reason);
            return (host.Store.Infra["conn-main"].Data, host.Store.Access["conn-main"].Data, run.Counts.ApiCalls);
        }

        public InfraStageData Infra => Host.Store.Infra["conn-main"].Data;

        public AccessStageData Access => Host.Store.Access["conn-main"].Data;

        public async ValueTask DisposeAsync()
        {
            Host.Dispose();
            await Sim.DisposeAsync();
        }
    }

    /// <summary>A zone as compared between an incremental and a full read: everything but its last-read time.</summary>
    internal static string Comparable(Zone zone) => JsonSerializer.Serialize(zone with { ObservedAt = null });

    internal static string Comparable(IEnumerable<AccountMember> members) =>
        JsonSerializer.Serialize(members.OrderBy(m => m.Id, StringComparer.Ordinal).Select(m => m with { ObservedAt = null, FirstSeenAt = null }));

    private static StageReadMode Mode(SyncRun run, SyncStageKind stage) => run.Stages.Single(s => s.Stage == stage).Read!;

    private static int ReRead(SyncRun run, string why, string type) =>
        run.Stages.SelectMany(s => s.Read?.ReRead ?? []).Where(r => r.Why == why && r.ResourceType == type).Sum(r => r.Count);

    private static Scenario TwoAccounts() => TestScenario.Build((2, 6, 8), (2, 6, 8));

    [Fact]
    public async Task After_a_full_sync_a_logged_zone_change_is_re_read_alone_and_equals_a_full_read()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        var first = await org.SyncAsync();
        Assert.True(first.Status == SyncStatus.Complete, first.Reason);
        Assert.Equal(StageReadMode.Full, Mode(first, SyncStageKind.Infra).Mode);
        Assert.All(org.Infra.Zones, z => Assert.Equal(Start, z.ObservedAt));

        var zone = TestScenario.Id('b', 1, 4);
        org.Time.Advance(TimeSpan.FromMinutes(30));
        org.Sim.SetZoneSetting(zone, "ssl", "flexible");
        org.Time.Advance(TimeSpan.FromMinutes(30));
        var second = await org.SyncAsync();

        Assert.True(second.Status == SyncStatus.Complete, second.Reason);
        var infra = Mode(second, SyncStageKind.Infra);
        Assert.Equal(StageReadMode.Incremental, infra.Mode);
        Assert.Equal(1, infra.LogEntries);
        Assert.Equal(1, ReRead(second, "logged_change", "zone"));
        Assert.Equal(0, ReRead(second, "freshness", "zone")); // an hour after the last read, nothing is past the freshness hold-off (3 h of 24)
        Assert.Empty(infra.Fallbacks);
        var read = org.Infra.Zones.Single(z => z.Id == zone);
        Assert.Equal("flexible", read.Security!.Ssl);
        Assert.Equal(Start.AddHours(1), read.ObservedAt);
        Assert.Equal(Start, org.Infra.Zones.Single(z => z.Id == TestScenario.Id('b', 0, 4)).ObservedAt);

        var full = await org.ReadInFullAsync();
        Assert.Equal(full.Infra.Zones.Select(Comparable).Order(), org.Infra.Zones.Select(Comparable).Order());
        Assert.True(second.Counts.ApiCalls * 4 < full.Calls, $"incremental {second.Counts.ApiCalls} calls vs full {full.Calls}");
    }

    [Fact]
    public async Task A_logged_certificate_pack_order_re_reads_that_zones_packs_and_the_other_zones_carry_theirs()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        var first = await org.SyncAsync();
        Assert.True(first.Status == SyncStatus.Complete, first.Reason);

        var zone = TestScenario.Id('b', 0, 5);
        org.Time.Advance(TimeSpan.FromMinutes(30));
        org.Sim.OrderCertificatePack(zone, new ScenarioCertificatePack { Id = "0000abcd-0000-4000-8000-000000000005", Type = "advanced", CertificateAuthority = "ssl_com" });
        org.Time.Advance(TimeSpan.FromMinutes(30));
        var second = await org.SyncAsync();

        Assert.True(second.Status == SyncStatus.Complete, second.Reason);
        Assert.Equal(StageReadMode.Incremental, Mode(second, SyncStageKind.Infra).Mode);
        Assert.Equal(1, ReRead(second, "logged_change", "zone"));
        var read = org.Infra.Zones.Single(z => z.Id == zone);
        Assert.Equal(["lets_encrypt", "ssl_com"], read.Security!.Features!.CertificatePacks!.Select(p => p.CertificateAuthority).Order(StringComparer.Ordinal));
        Assert.Equal(Start.AddHours(1), read.ObservedAt);
        // Zones the log names no change for keep the packs of their last read, with its time.
        var carried = org.Infra.Zones.Single(z => z.Id == TestScenario.Id('b', 1, 5));
        Assert.Equal(Start, carried.ObservedAt);
        Assert.Equal("lets_encrypt", Assert.Single(carried.Security!.Features!.CertificatePacks!).CertificateAuthority);

        var full = await org.ReadInFullAsync();
        Assert.Equal(full.Infra.Zones.Select(Comparable).Order(), org.Infra.Zones.Select(Comparable).Order());
    }

    [Fact]
    public async Task A_removed_membership_is_re_read_and_its_removal_entry_kept_with_actor_and_time()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        await org.SyncAsync();
        var account = TestScenario.Id('a', 0, 0);
        var member = TestScenario.Id('c', 0, 2);
        org.Time.Advance(TimeSpan.FromHours(3));
        org.Sim.RemoveMember(account, member, log: true, actor: "admin@example.com");
        org.Time.Advance(TimeSpan.FromMinutes(12));

        var run = await org.SyncAsync();

        Assert.Equal(StageReadMode.Incremental, Mode(run, SyncStageKind.Access).Mode);
        Assert.Equal(1, ReRead(run, "logged_change", "account_members"));
        Assert.DoesNotContain(org.Access.Members, m => m.Id == member);
        var removal = AuditLogMembership.FindRemoval(org.Host.Store.AuditLog, account, member, null, Start.AddDays(1));
        Assert.NotNull(removal);
        Assert.Equal(("admin@example.com", Start.AddHours(3)), (removal.Entry.ActorEmail, removal.Entry.Time));
        var full = await org.ReadInFullAsync();
        Assert.Equal(Comparable(full.Access.Members), Comparable(org.Access.Members));
    }

    [Fact]
    public async Task An_unlogged_change_is_caught_within_max_resource_age()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        await org.SyncAsync();
        var zone = TestScenario.Id('b', 0, 5);
        org.Sim.SetZoneSetting(zone, "min_tls_version", "1.3", log: false);
        var maxAge = TimeSpan.FromHours(4);
        var caughtAfter = (TimeSpan?)null;
        for (var hour = 1; hour <= 4 && caughtAfter is null; hour++)
        {
            org.Time.Advance(TimeSpan.FromHours(1));
            var run = await org.SyncAsync(maxAge: maxAge);
            Assert.Equal(StageReadMode.Incremental, Mode(run, SyncStageKind.Infra).Mode);
            Assert.All(org.Infra.Zones.Where(z => z.Security is not null), z => Assert.True(org.Time.GetUtcNow() - z.ObservedAt <= maxAge));
            if (org.Infra.Zones.Single(z => z.Id == zone).Security!.MinTlsVersion == "1.3")
            {
                caughtAfter = TimeSpan.FromHours(hour);
            }
        }
        Assert.NotNull(caughtAfter);
        Assert.True(caughtAfter < maxAge, $"caught after {caughtAfter}");
    }

    [Fact]
    public async Task Sync_full_forces_a_full_read()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        await org.SyncAsync();
        org.Time.Advance(TimeSpan.FromHours(1));
        var run = await org.SyncAsync(full: true);
        Assert.All(run.Stages, s => Assert.Equal(StageReadMode.Full, s.Read!.Mode));
        Assert.All(org.Infra.Zones.Where(z => z.Security is not null), z => Assert.Equal(Start.AddHours(1), z.ObservedAt));
    }

    [Fact]
    public async Task Fallback_log_unreadable_names_the_missing_permission_and_reads_the_account_in_full()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        await org.SyncAsync();
        org.Sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, StatusCode = 403, PathPattern = "/accounts/a0000000[0-9a-f]+/logs/audit" });
        org.Time.Advance(TimeSpan.FromHours(1));

        var run = await org.SyncAsync();

        var account = TestScenario.Id('a', 0, 0);
        var infra = Mode(run, SyncStageKind.Infra);
        Assert.Contains(infra.Fallbacks, f => f.Contains($"The audit log of account {account} could not be read (HTTP 403): add \"Account Settings Read\"", StringComparison.Ordinal));
        Assert.Equal(6, ReRead(run, "fallback", "zone")); // account 0's six monitored zones
        Assert.Equal(1, ReRead(run, "fallback", "account_members"));
        Assert.Equal(StageReadMode.Incremental, infra.Mode); // account 1 stays incremental
    }

    [Fact]
    public async Task Each_stage_records_the_period_of_each_accounts_log_read_without_a_break_or_why_it_could_not_be_read()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        await org.SyncAsync();
        Assert.Null(org.Access.AuditLogRead); // a full sync does not read the log
        Assert.Null(org.Infra.AuditLogRead);

        org.Time.Advance(TimeSpan.FromHours(1));
        await org.SyncAsync();
        var read = org.Access.AuditLogRead!;
        Assert.Equal([TestScenario.Id('a', 0, 0), TestScenario.Id('a', 1, 0)], read.Select(c => c.AccountId));
        Assert.All(read, c => Assert.True(c.From <= Start && c.To == Start.AddHours(1) && c.Problem is null, c.ToString()));
        var from = read[0].From;

        org.Time.Advance(TimeSpan.FromHours(1));
        await org.SyncAsync();
        Assert.All(org.Access.AuditLogRead!, c => Assert.Equal((from, Start.AddHours(2)), (c.From, c.To))); // one period, no break

        org.Sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, StatusCode = 403, PathPattern = "/accounts/a0000000[0-9a-f]+/logs/audit" });
        org.Time.Advance(TimeSpan.FromHours(1));
        await org.SyncAsync();
        var refused = org.Infra.AuditLogRead!.Single(c => c.AccountId == TestScenario.Id('a', 0, 0));
        Assert.Equal((null, null, "HTTP 403", "Account Settings Read"), ((DateTimeOffset?)refused.From, (DateTimeOffset?)refused.To, refused.Problem, refused.MissingPermission));
    }

    [Fact]
    public async Task Fallback_high_water_mark_older_than_retention_reads_in_full()
    {
        await using var org = await Org.StartAsync(TwoAccounts(), o => o.AuditLogRetention = TimeSpan.FromHours(2));
        await org.SyncAsync();
        org.Time.Advance(TimeSpan.FromHours(3));

        var run = await org.SyncAsync();

        var infra = Mode(run, SyncStageKind.Infra);
        Assert.Equal(StageReadMode.Full, infra.Mode);
        Assert.Contains(infra.Fallbacks, f => f.Contains("its audit log high-water mark (2026-11-02 08:00 UTC) is older than", StringComparison.Ordinal)
            && f.Contains("Cloudflare keeps the audit log", StringComparison.Ordinal));
        Assert.Equal(0, Mode(run, SyncStageKind.Access).LogEntries);
    }

    [Fact]
    public async Task Fallback_entry_not_understood_re_reads_that_resource_type_in_full()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        await org.SyncAsync();
        var account = TestScenario.Id('a', 1, 0);
        org.Time.Advance(TimeSpan.FromMinutes(20));
        var entry = org.Sim.RecordAuditEntry(new SimAuditEntry("", account, "Account 1", default, "frobnicate", "", "", "zone.mystery_feature", null, null, null, "admin@example.com"));
        org.Time.Advance(TimeSpan.FromMinutes(20));

        var run = await org.SyncAsync();

        var infra = Mode(run, SyncStageKind.Infra);
        Assert.Contains($"Audit log entry {entry.Id} of account {account} (resource type \"zone.mystery_feature\", action \"frobnicate\") is not one Vigil understands, so every zone was re-read in full.",
            infra.Fallbacks);
        Assert.Equal(12, ReRead(run, "not_understood", "zone"));
        Assert.Equal(0, ReRead(run, "not_understood", "account_members"));
    }

    [Fact]
    public async Task Fallback_log_shape_not_understood_reads_that_account_in_full()
    {
        await using var org = await Org.StartAsync(TwoAccounts(), o => o.MaxAttempts = 1);
        await org.SyncAsync();
        org.Sim.Faults.Add(new FaultRule { Kind = FaultKind.MalformedJson, PathPattern = "/accounts/a0000001[0-9a-f]+/logs/audit" });
        org.Time.Advance(TimeSpan.FromHours(1));

        var run = await org.SyncAsync();

        var account = TestScenario.Id('a', 1, 0);
        Assert.Contains(Mode(run, SyncStageKind.Access).Fallbacks,
            f => f.StartsWith($"The audit log of account {account} answered in a shape Vigil does not understand (", StringComparison.Ordinal)
                && f.EndsWith("the account was read in full.", StringComparison.Ordinal));
        Assert.Equal(6, ReRead(run, "fallback", "zone"));
    }

    [Fact]
    public void Audit_entries_map_from_the_v2_shape_and_accept_both_cursor_places()
    {
        using var doc = JsonDocument.Parse("""
            {"id":"f174be97-19b1-40d6-954d-70cd5fbd52db","account":{"id":"a67e14daa5f8dceeb91fe5449ba496ef","name":"Acme"},
             "action":{"description":"Remove member","result":"success","time":"2026-11-02T11:12:00Z","type":"delete"},
             "actor":{"email":"admin@example.com","type":"user","context":"dash"},
             "raw":{"method":"DELETE","uri":"/client/v4/accounts/a67e14daa5f8dceeb91fe5449ba496ef/members/4536bcfad5faccb111b47003c79917fa","status_code":200},
             "resource":{"id":"4536bcfad5faccb111b47003c79917fa","product":"members","type":"account.member"}}
            """);
        var entry = Vigil.Cloudflare.Api.CloudflareApiClient.MapAuditEntry(doc.RootElement, "a67e14daa5f8dceeb91fe5449ba496ef");
        var change = AuditLogMembership.Read(entry);
        Assert.NotNull(change);
        Assert.Equal((AuditChangeKind.MemberRemoved, "4536bcfad5faccb111b47003c79917fa", "admin@example.com"), (change.Kind, change.MemberId, entry.ActorEmail));
        Assert.Throws<Vigil.Cloudflare.Api.AuditLogShapeException>(() => Vigil.Cloudflare.Api.CloudflareApiClient.MapAuditEntry(JsonDocument.Parse("""{"id":"x","action":{"type":"update"}}""").RootElement, "a"));
    }

    [Fact]
    public async Task An_unlogged_member_removal_shows_at_the_next_sync_from_the_member_lists_alone()
    {
        await using var org = await Org.StartAsync(TwoAccounts());
        await org.SyncAsync();
        var account = TestScenario.Id('a', 0, 0);
        var member = TestScenario.Id('c', 0, 2);
        org.Time.Advance(TimeSpan.FromMinutes(30));
        org.Sim.RemoveMember(account, member, log: false);
        org.Time.Advance(TimeSpan.FromMinutes(30));

        var run = await org.SyncAsync();

        var access = Mode(run, SyncStageKind.Access);
        Assert.Equal(StageReadMode.Incremental, access.Mode);
        Assert.Equal(2, ReRead(run, "cheap_list", "member_list"));
        Assert.Equal(0, run.Stages.SelectMany(s => s.Read!.ReRead).Where(r => r.ResourceType == "account_members").Sum(r => r.Count));
        Assert.DoesNotContain(org.Access.Members, m => m.Id == member);
        // Members were read now; roles, user groups, SSO and tokens were carried and keep the full sync's time.
        Assert.All(org.Access.Members, m => Assert.Equal(Start.AddHours(1), m.ObservedAt));
        Assert.All(access.AccountsObservedAt!.Values, at => Assert.Equal(Start, at));
        var full = await org.ReadInFullAsync();
        Assert.Equal(Comparable(full.Access.Members), Comparable(org.Access.Members));
        Assert.Equal(JsonSerializer.Serialize(full.Access.Roles.OrderBy(r => (r.AccountId, r.Id))), JsonSerializer.Serialize(org.Access.Roles.OrderBy(r => (r.AccountId, r.Id))));
    }

    [Fact]
    public async Task An_incremental_sync_makes_exactly_the_calls_of_the_incremental_plan()
    {
        var scenario = TwoAccounts();
        await using var org = await Org.StartAsync(scenario);
        await org.SyncAsync();
        var zone = TestScenario.Id('b', 1, 4);
        var account = scenario.Accounts[0];
        org.Time.Advance(TimeSpan.FromMinutes(30));
        org.Sim.SetZoneSetting(zone, "ssl", "flexible");
        org.Sim.SetMemberRoles(account.Id, account.Members[2].Id, [account.Roles[0].Id]);
        org.Time.Advance(TimeSpan.FromMinutes(30));

        var run = await org.SyncAsync();

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        // The full sync recorded when it read each account's rulesets: none is "new" to the first incremental sync.
        Assert.Equal(0, ReRead(run, "new", "account_rulesets"));
        Assert.Equal(0, ReRead(run, "freshness", "zone"));
        Assert.Equal(1, ReRead(run, "logged_change", "account_members"));
        Assert.Equal(1, ReRead(run, "cheap_list", "member_list"));
        var organisation = SelectedSyncPlanTests.PlanOf(scenario);
        var monitored = scenario.Accounts.SelectMany(a => a.Zones.Where(z => z.Status == "active" && !z.Paused)).ToList();
        var planned = SelectedSyncPlan.Incremental(organisation, Vigil.Core.Checks.CheckCatalog.All, batchSettingsAvailable: true,
            new PlannedIncremental([1, 1], [0], [.. organisation.MonitoredZones.Where((_, i) => monitored[i].Id == zone)], [],
                ScenarioRulesetReads.ManagedRulesetsWeighedBy(monitored.Where(z => z.Id == zone), [])));
        Assert.Equal(planned.Total, run.Counts.ApiCalls);
    }
}
