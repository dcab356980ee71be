using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Storage.Tests.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_started_run_is_running_and_listed_newest_first()
    {
        await using var store = await OpenAsync();
        var first = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await Sample.FinishAsync(store.Sync, first);
        var second = await store.Sync.StartRunAsync("schedule", Sample.Start.AddHours(1), Ct);

        var runs = await store.Sync.ListRunsAsync(10, Ct);

        Assert.Equal([second.Id, first.Id], runs.Select(r => r.Id));
        Assert.Equal([SyncStatus.Running, SyncStatus.Complete], runs.Select(r => r.Status));
        Sample.AssertDeepEqual(second, runs[0]);
        Assert.Single(await store.Sync.ListRunsAsync(1, Ct));
        Assert.Null(await store.Sync.GetRunAsync("no-such-run", Ct));
    }

    [Fact]
    public async Task A_finished_run_keeps_status_counts_stages_and_skipped_reads()
    {
        await using var store = await OpenAsync();
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        var finished = run with
        {
            EndedAt = Sample.Start.AddMinutes(3),
            Status = SyncStatus.Partial,
            Reason = "infra stage failed: HTTP 429",
            Counts = new SyncCounts(2, 120, 40, 95, 3),
            Stages =
            [
                new SyncStageResult("c-1", SyncStageKind.Access, SyncStatus.Complete, null, 12, 1500, Sample.Start.AddMinutes(1)),
                new SyncStageResult("c-1", SyncStageKind.Infra, SyncStatus.Failed, "HTTP 429", 83, 90000, null),
            ],
            Skipped = [new ReadGap("infra", "ruleset", "z-1", "GET /zones/z-1/rulesets/phases/http_ratelimit/entrypoint", "HTTP 403", "Zone WAF Read")],
        };

        await store.Sync.FinishRunAsync(finished, Ct);

        Sample.AssertDeepEqual(finished, await store.Sync.GetRunAsync(run.Id, Ct));
    }

    [Fact]
    public async Task A_finished_run_keeps_the_coverage_of_every_list_it_read()
    {
        await using var store = await OpenAsync();
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        var finished = run with
        {
            EndedAt = Sample.Start.AddMinutes(1),
            Status = SyncStatus.Partial,
            Coverage =
            [
                new ListCoverage("GET /accounts", 2, 1, null, null, 50, ListStop.RepeatedPage, true, "access", "c-1"),
                new ListCoverage("GET /accounts/a-1/members", 2, 50, 130, 3, 50, ListStop.EndedEarly, false, "access", "c-1"),
                new ListCoverage("GET /zones", 1, 3, 3, 1, 50, ListStop.TotalPagesReached, true, "infra", "c-1"),
            ],
        };

        await store.Sync.FinishRunAsync(finished, Ct);

        Sample.AssertDeepEqual(finished, await store.Sync.GetRunAsync(run.Id, Ct));
        Sample.AssertDeepEqual(finished.Coverage, (await store.Sync.ListRunsAsync(1, Ct))[0].Coverage);
    }

    [Fact]
    public async Task Finishing_an_unknown_run_says_so()
    {
        await using var store = await OpenAsync();
        var ghost = new SyncRun("ghost", "cli", Sample.Start, Sample.Start, SyncStatus.Complete, null, SyncCounts.Zero, [], []);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.Sync.FinishRunAsync(ghost, Ct));
    }

    [Fact]
    public async Task Before_any_commit_there_is_no_snapshot()
    {
        await using var store = await OpenAsync();
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);

        Assert.Null(await store.Sync.LoadCurrentSnapshotAsync(Ct));
        Assert.Null(await store.Sync.LoadSnapshotAsync(run.Id, Ct));
        Assert.Null(await store.Sync.LoadSnapshotAsync("no-such-run", Ct));
    }

    [Fact]
    public async Task Every_model_shape_round_trips_through_a_commit()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        var access = Sample.EveryAccessShape("c-1");
        var infra = Sample.EveryInfraShape();

        await store.Sync.CommitAccessStageAsync(run.Id, "c-1", access, Sample.Start.AddMinutes(1), Ct);
        await store.Sync.CommitInfraStageAsync(run.Id, "c-1", infra, Sample.Start.AddMinutes(2), Ct);

        await using var reopened = await OpenAsync();
        var snapshot = await reopened.Sync.LoadCurrentSnapshotAsync(Ct);
        Assert.NotNull(snapshot);
        Assert.Equal(run.Id, snapshot.Id);
        Assert.Equal(Sample.Start.AddMinutes(1), snapshot.AccessSyncedAt);
        Assert.Equal(Sample.Start.AddMinutes(2), snapshot.InfraSyncedAt);
        Assert.Equal(Sample.Start.AddMinutes(2), snapshot.TakenAt);
        Sample.AssertDeepEqual(access.Accounts, snapshot.Accounts);
        Sample.AssertDeepEqual(access.Roles, snapshot.Roles);
        Sample.AssertDeepEqual(access.Members, snapshot.Members);
        Sample.AssertDeepEqual(access.AccountTokens, snapshot.AccountTokens);
        Sample.AssertDeepEqual(infra.Zones, snapshot.Zones);
        Sample.AssertDeepEqual(infra.DnsRecords, snapshot.DnsRecords);
        Sample.AssertDeepEqual(access.Gaps.Concat(infra.Gaps).ToList(), snapshot.Gaps.OrderBy(g => g.Stage).ToList());

        // Spot-check the distinctions JSON comparison could blur.
        Assert.Null(snapshot.Members.Single(m => m.Id == "m-2").TwoFactorEnabled);
        Assert.Null(snapshot.Members.Single(m => m.Id == "m-2").FirstSeenAt);
        Assert.Equal(Sample.Start.AddDays(-15), snapshot.Members.Single(m => m.Id == "m-5").FirstSeenAt);
        Assert.Null(snapshot.AccountTokens!.Single(t => t.Id == "tok-2").ExpiresOn);
        Assert.Null(snapshot.Accounts.Single(a => a.Id == "acc-2").EnforceTwoFactor);
        Assert.Null(snapshot.Zones.Single(z => z.Id == "z-2").Security);
        var entrypoints = snapshot.Zones.Single(z => z.Id == "z-1").Security!.Entrypoints;
        Assert.True(entrypoints.ContainsKey(RulesetPhases.CustomFirewall));
        Assert.Null(entrypoints[RulesetPhases.CustomFirewall]);
        Assert.False(entrypoints.ContainsKey(RulesetPhases.RateLimit));
        Assert.Null(snapshot.Zones.Single(z => z.Id == "z-4").Security!.Hsts);
    }

    [Fact]
    public async Task Dns_records_of_a_zone_come_from_the_commit_its_zone_row_comes_from()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "old"), new Secret("t"), Ct);
        await store.Connections.SaveAsync(Sample.Connection("c-2", "new"), new Secret("t"), Ct);
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        DnsRecord Record(string id) => new(id, "z-shop.example", "A", $"{id}.shop.example", "203.0.113.1", true, 1);
        await store.Sync.CommitInfraStageAsync(run.Id, "c-1", Sample.Infra("acc-1", "shop.example") with { DnsRecords = [Record("deleted"), Record("kept")] }, Sample.Start.AddMinutes(1), Ct);
        await store.Sync.CommitInfraStageAsync(run.Id, "c-2", Sample.Infra("acc-1", "shop.example") with { DnsRecords = [Record("kept")] }, Sample.Start.AddMinutes(2), Ct);

        var snapshot = await store.Sync.LoadCurrentSnapshotAsync(Ct);

        // Merging both commits would bring back the record deleted between them.
        Assert.Equal(["kept"], snapshot!.DnsRecords!.Select(r => r.Id));
    }

    [Fact]
    public async Task Current_snapshot_takes_each_stage_from_the_last_run_that_committed_it()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run1 = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run1.Id, "c-1", Sample.Access("c-1", "acc-1", "old@example.com"), Sample.Start.AddMinutes(1), Ct);
        await store.Sync.CommitInfraStageAsync(run1.Id, "c-1", Sample.Infra("acc-1", "one.example"), Sample.Start.AddMinutes(2), Ct);
        await Sample.FinishAsync(store.Sync, run1);

        // Run 2 commits access, then its infrastructure stage fails before committing.
        var run2 = await store.Sync.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        await store.Sync.CommitAccessStageAsync(run2.Id, "c-1", Sample.Access("c-1", "acc-1", "new@example.com"), Sample.Start.AddHours(1).AddMinutes(1), Ct);

        var snapshot = await store.Sync.LoadCurrentSnapshotAsync(Ct);

        Assert.NotNull(snapshot);
        Assert.Equal(run2.Id, snapshot.Id);
        Assert.Equal("new@example.com", Assert.Single(snapshot.Members).Email);
        Assert.Equal("one.example", Assert.Single(snapshot.Zones).Name);
        Assert.Equal(Sample.Start.AddHours(1).AddMinutes(1), snapshot.AccessSyncedAt);
        Assert.Equal(Sample.Start.AddMinutes(2), snapshot.InfraSyncedAt);
    }

    [Fact]
    public async Task A_past_run_snapshot_shows_the_data_as_it_stood_after_that_run()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run1 = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run1.Id, "c-1", Sample.Access("c-1", "acc-1", "old@example.com"), Sample.Start.AddMinutes(1), Ct);
        await store.Sync.CommitInfraStageAsync(run1.Id, "c-1", Sample.Infra("acc-1", "one.example"), Sample.Start.AddMinutes(2), Ct);
        await Sample.FinishAsync(store.Sync, run1);
        var run2 = await store.Sync.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        await store.Sync.CommitAccessStageAsync(run2.Id, "c-1", Sample.Access("c-1", "acc-1", "new@example.com"), Sample.Start.AddHours(1), Ct);
        await store.Sync.CommitInfraStageAsync(run2.Id, "c-1", Sample.Infra("acc-1", "two.example"), Sample.Start.AddHours(1), Ct);

        var past = await store.Sync.LoadSnapshotAsync(run1.Id, Ct);
        var latest = await store.Sync.LoadSnapshotAsync(run2.Id, Ct);

        Assert.NotNull(past);
        Assert.Equal(run1.Id, past.Id);
        Assert.Equal("old@example.com", Assert.Single(past.Members).Email);
        Assert.Equal("one.example", Assert.Single(past.Zones).Name);
        Assert.NotNull(latest);
        Assert.Equal("two.example", Assert.Single(latest.Zones).Name);
    }

    [Fact]
    public async Task A_commit_that_fails_midway_leaves_the_previous_data_current()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run1 = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run1.Id, "c-1", Sample.Access("c-1", "acc-1", "kept@example.com"), Sample.Start, Ct);
        await Sample.FinishAsync(store.Sync, run1);

        var run2 = await store.Sync.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        var good = Sample.Access("c-1", "acc-2", "a@example.com", "b@example.com");
        // The third member cannot be stored (email is required), so the insert fails after rows were written.
        var broken = good with { Members = [.. good.Members, Sample.Member("m-bad", "acc-2", null!)] };

        await Assert.ThrowsAnyAsync<Exception>(() => store.Sync.CommitAccessStageAsync(run2.Id, "c-1", broken, Sample.Start.AddHours(1), Ct));

        var current = await store.Sync.LoadCurrentSnapshotAsync(Ct);
        Assert.NotNull(current);
        Assert.Equal(run1.Id, current.Id);
        Assert.Equal("kept@example.com", Assert.Single(current.Members).Email);
        Assert.Equal("acc-1", Assert.Single(current.Accounts).Id);
        Assert.Equal(run1.Id, (await store.Sync.LoadSnapshotAsync(run2.Id, Ct))?.Id);
    }

    [Fact]
    public async Task A_run_left_running_by_a_dead_process_is_marked_failed_on_the_next_start()
    {
        string crashedRunId;
        await using (var crashing = await OpenAsCrashingProcessAsync())
        {
            crashedRunId = (await crashing.Sync.StartRunAsync("schedule", Sample.Start, Ct)).Id;
        }

        await using var store = await OpenAsync();
        var next = await store.Sync.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);

        var crashed = await store.Sync.GetRunAsync(crashedRunId, Ct);
        Assert.NotNull(crashed);
        Assert.Equal(SyncStatus.Failed, crashed.Status);
        Assert.Equal("interrupted: the process ended before the run finished", crashed.Reason);
        Assert.Equal(SyncStatus.Running, (await store.Sync.GetRunAsync(next.Id, Ct))?.Status);
    }

    [Fact]
    public async Task A_second_sync_is_refused_while_one_runs_and_names_the_run_and_its_process()
    {
        await using var store = await OpenAsync();
        await using var other = await OpenAsync();
        var live = await store.Sync.StartRunAsync("schedule", Sample.Start, Ct);

        var refused = await Assert.ThrowsAsync<SyncAlreadyRunningException>(() => other.Sync.StartRunAsync("cli", Sample.Start.AddMinutes(1), Ct));

        Assert.Contains(live.Id, refused.Message);
        Assert.Contains($"process {Environment.ProcessId} on {Environment.MachineName}", refused.Message);
        Assert.Contains("started at 2026-11-24 09:00:00 UTC", refused.Message);
        Assert.Equal(SyncStatus.Running, (await store.Sync.GetRunAsync(live.Id, Ct))?.Status);
        Assert.Equal([live.Id], (await other.Sync.ListRunsAsync(10, Ct)).Select(r => r.Id));

        await Sample.FinishAsync(store.Sync, live);
        var next = await other.Sync.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        Assert.Equal(SyncStatus.Running, (await other.Sync.GetRunAsync(next.Id, Ct))?.Status);
    }

    [Fact]
    public async Task A_dead_process_run_lists_as_failed_before_any_new_sync()
    {
        string crashedRunId;
        await using (var crashing = await OpenAsCrashingProcessAsync())
        {
            crashedRunId = (await crashing.Sync.StartRunAsync("schedule", Sample.Start, Ct)).Id;
        }

        await using var store = await OpenAsync();

        var listed = Assert.Single(await store.Sync.ListRunsAsync(10, Ct));
        Assert.Equal((crashedRunId, SyncStatus.Failed), (listed.Id, listed.Status));
        Assert.Equal("interrupted: the process ended before the run finished", listed.Reason);
        Assert.Equal(SyncStatus.Failed, (await store.Sync.GetRunAsync(crashedRunId, Ct))?.Status);
    }

    [Fact]
    public async Task A_stage_of_a_connection_removed_during_the_sync_is_not_kept()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t1"), Ct);
        await store.Connections.SaveAsync(Sample.Connection("c-2", "lab"), new Secret("t2"), Ct);
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run.Id, "c-1", Sample.Access("c-1", "acc-1", "prod@example.com"), Sample.Start, Ct);

        // The lab stage has read its data when the connection is removed, and commits after.
        await store.Connections.RemoveAsync("lab", Ct);
        var refused = await Assert.ThrowsAsync<ConnectionRemovedException>(() =>
            store.Sync.CommitAccessStageAsync(run.Id, "c-2", Sample.Access("c-2", "acc-2", "lab@example.com"), Sample.Start.AddMinutes(1), Ct));

        Assert.Equal("connection 'lab' was removed during the sync; its data was not kept", refused.Message);
        var current = await store.Sync.LoadCurrentSnapshotAsync(Ct);
        Assert.Equal(["prod@example.com"], current?.Members.Select(m => m.Email));
        Assert.Equal(["prod@example.com"], (await store.Sync.LoadSnapshotAsync(run.Id, Ct))?.Members.Select(m => m.Email));
    }

    [Fact]
    public async Task Snapshot_merges_connections_and_reports_the_oldest_sync_time()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-a", "access", ConnectionPurpose.Access), new Secret("t1"), Ct);
        await store.Connections.SaveAsync(Sample.Connection("c-b", "other"), new Secret("t2"), Ct);
        var run1 = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run1.Id, "c-b", Sample.Access("c-b", "acc-b", "b@example.com"), Sample.Start, Ct);
        await Sample.FinishAsync(store.Sync, run1);
        var run2 = await store.Sync.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        await store.Sync.CommitAccessStageAsync(run2.Id, "c-a", Sample.Access("c-a", "acc-a", "a@example.com"), Sample.Start.AddHours(1), Ct);

        var snapshot = await store.Sync.LoadCurrentSnapshotAsync(Ct);

        Assert.NotNull(snapshot);
        Assert.Equal(run2.Id, snapshot.Id);
        Assert.Equal(["acc-a", "acc-b"], snapshot.Accounts.Select(a => a.Id).Order());
        Assert.Equal(Sample.Start, snapshot.AccessSyncedAt);
        Assert.Null(snapshot.InfraSyncedAt);
    }

    [Fact]
    public async Task The_same_account_read_by_two_connections_appears_once()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-a", "a"), new Secret("t1"), Ct);
        await store.Connections.SaveAsync(Sample.Connection("c-b", "b"), new Secret("t2"), Ct);
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run.Id, "c-a", Sample.Access("c-a", "acc-1", "x@example.com"), Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run.Id, "c-b", Sample.Access("c-b", "acc-1", "x@example.com"), Sample.Start.AddSeconds(1), Ct);

        var snapshot = await store.Sync.LoadCurrentSnapshotAsync(Ct);

        Assert.NotNull(snapshot);
        Assert.Equal("c-b", Assert.Single(snapshot.Accounts).ConnectionId);
        Assert.Single(snapshot.Members);
        Assert.Single(snapshot.Roles);
    }

    [Fact]
    public async Task A_removed_connection_leaves_the_current_snapshot_but_stays_in_history()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t1"), Ct);
        await store.Connections.SaveAsync(Sample.Connection("c-2", "lab"), new Secret("t2"), Ct);
        var run1 = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run1.Id, "c-1", Sample.Access("c-1", "acc-1", "prod@example.com"), Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(run1.Id, "c-2", Sample.Access("c-2", "acc-2", "lab@example.com"), Sample.Start, Ct);
        await Sample.FinishAsync(store.Sync, run1);

        await store.Connections.RemoveAsync("lab", Ct);
        var run2 = await store.Sync.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        await store.Sync.CommitAccessStageAsync(run2.Id, "c-1", Sample.Access("c-1", "acc-1", "prod@example.com"), Sample.Start.AddHours(1), Ct);

        var current = await store.Sync.LoadCurrentSnapshotAsync(Ct);
        var history = await store.Sync.LoadSnapshotAsync(run1.Id, Ct);

        Assert.Equal(["acc-1"], current?.Accounts.Select(a => a.Id));
        Assert.Equal(["acc-1", "acc-2"], history?.Accounts.Select(a => a.Id).Order());
    }

    [Fact]
    public async Task A_commit_for_an_unknown_run_is_refused()
    {
        await using var store = await OpenAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            store.Sync.CommitAccessStageAsync("no-such-run", "c-1", Sample.Access("c-1", "acc-1"), Sample.Start, Ct));
        Assert.Null(await store.Sync.LoadCurrentSnapshotAsync(Ct));
    }

    [Fact]
    public async Task Account_rulesets_and_rule_details_round_trip_with_the_infra_commit()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        var skip = new RulesetRule("r-skip", "skip", true, null, false, "skip waf", "true", null,
            new SkipParameters(false, [], [RulesetPhases.ManagedWaf], ["waf"], new Dictionary<string, IReadOnlyList<string>> { ["efb7"] = ["rule-a"] }));
        var execute = new RulesetRule("r-exec", "execute", true, ManagedRulesets.CloudflareManaged, false, null, "cf.zone.name eq \"one.example\"",
            new RuleOverrides(null, "log", [new OverrideTarget("sqli", false, null)], [new OverrideTarget("rule-b", null, "log")]),
            Coverage: new OverrideCoverage(10, 3));
        AccountRulesets[] accountRulesets =
        [
            new("acc-1", new Dictionary<string, PhaseEntrypoint?>
            {
                [RulesetPhases.ManagedWaf] = new(RulesetPhases.ManagedWaf, "rs-acc", [execute]),
                [RulesetPhases.CustomFirewall] = new(RulesetPhases.CustomFirewall, "rs-acc-custom", [skip]),
            }),
            new("acc-2", new Dictionary<string, PhaseEntrypoint?> { [RulesetPhases.ManagedWaf] = null, [RulesetPhases.CustomFirewall] = null }),
        ];
        var infra = Sample.Infra("acc-1", "one.example") with { AccountRulesets = accountRulesets };

        await store.Sync.CommitInfraStageAsync(run.Id, "c-1", infra, Sample.Start.AddMinutes(2), Ct);

        await using var reopened = await OpenAsync();
        var snapshot = await reopened.Sync.LoadCurrentSnapshotAsync(Ct);
        Assert.NotNull(snapshot);
        Sample.AssertDeepEqual(accountRulesets.ToList(), snapshot.AccountRulesets!.OrderBy(a => a.AccountId).ToList());
    }

    [Fact]
    public async Task Account_tokens_are_null_when_not_read_and_empty_when_read_and_none()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var first = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(first.Id, "c-1", Sample.Access("c-1", "acc-1", "ada@example.com"), Sample.Start.AddMinutes(1), Ct);
        await Sample.FinishAsync(store.Sync, first);

        Assert.Null((await store.Sync.LoadCurrentSnapshotAsync(Ct))!.AccountTokens);

        var second = await store.Sync.StartRunAsync("cli", Sample.Start.AddHours(1), Ct);
        await store.Sync.CommitAccessStageAsync(second.Id, "c-1", Sample.Access("c-1", "acc-1", "ada@example.com") with { AccountTokens = [] },
            Sample.Start.AddHours(1), Ct);

        var snapshot = await store.Sync.LoadCurrentSnapshotAsync(Ct);
        Assert.NotNull(snapshot!.AccountTokens);
        Assert.Empty(snapshot.AccountTokens);
        Assert.Null((await store.Sync.LoadSnapshotAsync(first.Id, Ct))!.AccountTokens);
    }

    [Fact]
    public async Task Bot_management_logpush_jobs_and_certificate_packs_round_trip_with_the_infra_commit()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        var zoneJob = new LogpushJob("101", "requests", "http_requests", true, "", "s3", Sample.Start.AddMinutes(-5), Sample.Start.AddDays(-1), "bucket gone");
        var accountJob = new LogpushJob("202", null, "audit_logs", false, null, null, null, null, null);
        var baseline = Sample.Infra("acc-1", "one.example");
        var zone = baseline.Zones[0];
        var features = new ZoneFeatures
        {
            BotManagement = new BotManagementConfig(FightMode: null, SbfmDefinitelyAutomated: "managed_challenge", SbfmLikelyAutomated: "allow", SbfmVerifiedBots: "allow", EnableJs: true),
            LogpushJobs = [zoneJob],
            CertificatePacks =
            [
                new CertificatePack("3822ff90-ea29-44df-9e55-21300bb9419b", "universal", "active", "google", ["one.example", "*.one.example"]),
                new CertificatePack("3822ff90-ea29-44df-9e55-21300bb9419c", "sni_custom", null, null, []),
            ],
        };
        var infra = baseline with
        {
            Zones = [zone with { Security = zone.Security! with { Features = features } }],
            AccountLogpush = [new AccountLogpush("acc-1", [accountJob]), new AccountLogpush("acc-2", [])],
        };

        await store.Sync.CommitInfraStageAsync(run.Id, "c-1", infra, Sample.Start.AddMinutes(2), Ct);

        await using var reopened = await OpenAsync();
        var snapshot = await reopened.Sync.LoadCurrentSnapshotAsync(Ct);
        Assert.NotNull(snapshot);
        Sample.AssertDeepEqual(features, snapshot.Zones.Single().Security!.Features!);
        Sample.AssertDeepEqual(infra.AccountLogpush.ToList(), snapshot.AccountLogpush!.OrderBy(a => a.AccountId).ToList());
    }
}
