using Vigil.Core;
using Vigil.Core.Sync;

namespace Vigil.Storage.Tests.StoreContract;

public abstract partial class StoreContractTests
{
    private static AuditLogEntry AuditEntry(string id, string method, string memberId, DateTimeOffset at, string? email = null) =>
        new(id, "acc-1", at, method == "DELETE" ? "delete" : "update", "account.member", memberId, null, "admin@example.com", "user", method,
            $"/client/v4/accounts/acc-1/members/{memberId}", "success", email);

    [Fact]
    public async Task Rows_keep_their_last_read_time_and_audit_log_entries_are_kept_once_per_id()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var run = await store.Sync.StartRunAsync("cli", Sample.Start, Ct);
        var access = Sample.Access("c-1", "acc-1", "ada@example.com", "bob@example.com");
        access = access with
        {
            Members = [access.Members[0] with { ObservedAt = Sample.Start.AddHours(-5) }, access.Members[1]],
            AuditLog =
            [
                AuditEntry("e-1", "DELETE", "m-gone", Sample.Start.AddMinutes(-30), "gone@example.com"),
                AuditEntry("e-2", "PUT", "m-acc-1-0", Sample.Start.AddMinutes(-20)),
            ],
        };
        var infra = Sample.Infra("acc-1", "shop.example", "blog.example");
        infra = infra with
        {
            Zones = [infra.Zones[0] with { ObservedAt = Sample.Start.AddHours(-20) }, infra.Zones[1]],
            // The same entry read again in the overlap of the next stage, plus one that is not about a membership.
            AuditLog =
            [
                AuditEntry("e-1", "DELETE", "m-gone", Sample.Start.AddMinutes(-30)),
                new AuditLogEntry("e-3", "acc-1", Sample.Start.AddMinutes(-10), "update", "zone.setting", "ssl", "z-shop.example", "admin@example.com", "user",
                    "PATCH", "/client/v4/zones/z-shop.example/settings/ssl", "success"),
            ],
        };

        await store.Sync.CommitAccessStageAsync(run.Id, "c-1", access, Sample.Start.AddMinutes(1), Ct);
        await store.Sync.CommitInfraStageAsync(run.Id, "c-1", infra, Sample.Start.AddMinutes(2), Ct);

        await using var reopened = await OpenAsync();
        var snapshot = (await reopened.Sync.LoadCurrentSnapshotAsync(Ct))!;
        Assert.Equal(Sample.Start.AddHours(-5), snapshot.Members.Single(m => m.Email == "ada@example.com").ObservedAt);
        Assert.Null(snapshot.Members.Single(m => m.Email == "bob@example.com").ObservedAt);
        Assert.Equal(Sample.Start.AddHours(-20), snapshot.Zones.Single(z => z.Name == "shop.example").ObservedAt);
        Assert.Null(snapshot.Zones.Single(z => z.Name == "blog.example").ObservedAt);
        // Membership entries only, oldest first, each once; the first copy (with the member's email) is the one kept.
        Assert.Equal(["e-1", "e-2"], snapshot.AuditLog!.Select(e => e.Id));
        Sample.AssertDeepEqual(access.AuditLog![0], snapshot.AuditLog![0]);
        Assert.Equal("gone@example.com", snapshot.AuditLog![0].SubjectEmail);
    }

    [Fact]
    public async Task The_snapshot_says_how_far_each_accounts_audit_log_was_read_as_its_stage_commits_recorded()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var first = await store.StartRunAsync("cli", Sample.Start, Ct);
        await store.CommitAccessStageAsync(first.Id, "c-1", Sample.Access("c-1", "acc-1", "ada@example.com"), Sample.Start.AddMinutes(1), Ct);
        Assert.Empty((await store.LoadCurrentSnapshotAsync(Ct))!.AuditLogRead!); // a full read: the log not read
        await Sample.FinishAsync(store, first);

        var at = Sample.Start.AddHours(1);
        var second = await store.StartRunAsync("cli", at, Ct);
        var access = Sample.Access("c-1", "acc-1", "ada@example.com");
        access = access with { Accounts = [.. access.Accounts, access.Accounts[0] with { Id = "acc-2", Name = "Account acc-2" }] };
        AuditLogCoverage[] accessRead = [new("acc-1", Sample.Start.AddMinutes(-5), at), new("acc-2", null, null, "HTTP 403", "Account Settings Read")];
        await store.CommitAccessStageAsync(second.Id, "c-1", access with { AuditLogRead = accessRead }, at.AddMinutes(1), Ct);
        // The infrastructure stage of the same run read acc-1's log a little further; the run is still running (no stage results written).
        var infra = Sample.Infra("acc-1", "shop.example") with { AuditLogRead = [new("acc-1", Sample.Start.AddMinutes(-5), at.AddMinutes(2))] };
        await store.CommitInfraStageAsync(second.Id, "c-1", infra, at.AddMinutes(3), Ct);

        await using var reopened = await OpenAsync();
        var snapshot = (await reopened.Sync.LoadCurrentSnapshotAsync(Ct))!;
        Assert.Equal([new AuditLogCoverage("acc-1", Sample.Start.AddMinutes(-5), at.AddMinutes(2)), accessRead[1]], snapshot.AuditLogRead);
    }

    [Fact]
    public async Task Retention_prunes_audit_log_entries_logged_before_the_cutoff_except_those_a_held_snapshot_shows()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("t"), Ct);
        var runs = new List<SyncRun>();
        async Task SyncAsync(DateTimeOffset at, params AuditLogEntry[] entries)
        {
            var run = await store.StartRunAsync("cli", at, Ct);
            var access = Sample.Access("c-1", "acc-1", $"run{runs.Count}@example.com") with { AuditLog = entries };
            await store.CommitAccessStageAsync(run.Id, "c-1", access, at.AddMinutes(1), Ct);
            await Sample.FinishAsync(store, run);
            runs.Add(run);
        }
        // Each day's access commit reads one removal, logged an hour before the commit.
        for (var day = 0; day < 4; day++)
        {
            var at = Sample.Start.AddDays(day);
            await SyncAsync(at, AuditEntry($"e-{day}", "DELETE", $"m-gone-{day}", at.AddHours(-1), $"gone{day}@example.com"));
        }
        await store.HoldSnapshotAsync(runs[1].Id, "campaign test", Ct);

        // Cutoff two hours before day 3: e-3 (logged at day 3 - 1 h) is younger; e-0 and e-1 were read before held run 1
        // ended, so its snapshot still shows them; e-2 goes with the snapshots of days 0 and 2.
        var cutoff = Sample.Start.AddDays(3).AddHours(-2);
        Assert.Equal(new RetentionResult(2, 2, 0, 1), await store.PruneSnapshotsAsync(cutoff, Ct));
        Assert.Equal(["e-0", "e-1"], (await store.LoadSnapshotAsync(runs[1].Id, Ct))!.AuditLog!.Select(e => e.Id));
        Assert.Equal(["e-0", "e-1", "e-3"], (await store.LoadCurrentSnapshotAsync(Ct))!.AuditLog!.Select(e => e.Id));

        // An entry logged before the cutoff but read after the held run ended goes even when no snapshot does.
        await SyncAsync(Sample.Start.AddDays(4), AuditEntry("late", "DELETE", "m-late", Sample.Start.AddDays(-40)), AuditEntry("e-4", "DELETE", "m-4", Sample.Start.AddDays(4)));
        Assert.Equal(new RetentionResult(0, 0, 0, 1), await store.PruneSnapshotsAsync(cutoff, Ct));
        Assert.Equal(["e-0", "e-1", "e-3", "e-4"], (await store.LoadCurrentSnapshotAsync(Ct))!.AuditLog!.Select(e => e.Id));
        Assert.Equal(new RetentionResult(0, 0, 0), await store.PruneSnapshotsAsync(cutoff, Ct));
    }
}
