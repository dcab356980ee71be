using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Organisations;
using Vigil.Core.People;
using Vigil.Core.Sync;
using Vigil.Core.Systems;

namespace Vigil.Storage.Tests.StoreContract;

/// <summary>Organisations: names, removal, and the isolation every tenant call must keep.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Organisations_have_unique_case_insensitive_names_and_the_default_comes_first()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        Assert.True(store.Organisation.IsDefault);

        var acme = await store.AddOrganisationAsync("Acme Corp", Sample.Start, Ct);
        await store.AddOrganisationAsync("Beta", Sample.Start, Ct);

        Assert.Equal(["default", "Acme Corp", "Beta"], (await store.ListOrganisationsAsync(Ct)).Select(o => o.Name));
        Assert.Equal(acme, await store.FindOrganisationAsync("ACME corp", Ct));
        Assert.Null(await store.FindOrganisationAsync("Gamma", Ct));
        var duplicate = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddOrganisationAsync("acme CORP", Sample.Start, Ct));
        Assert.Contains("already exists", duplicate.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddOrganisationAsync(" padded", Sample.Start, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddOrganisationAsync("bad\u001bname", Sample.Start, Ct));
        Assert.Equal(OrganisationRemoval.IsDefault, await store.RemoveOrganisationAsync("DEFAULT", force: true, Ct));
        Assert.Equal(OrganisationRemoval.NotFound, await store.RemoveOrganisationAsync("Gamma", force: false, Ct));
    }

    [Fact]
    public async Task Everything_read_under_one_organisation_holds_nothing_of_another_with_the_same_names()
    {
        await using var opened = await OpenAsync();
        var a = opened.Store!.ForOrganisation(await opened.Store.AddOrganisationAsync("Alpha", Sample.Start, Ct));
        var b = opened.Store.ForOrganisation(await opened.Store.AddOrganisationAsync("Bravo", Sample.Start, Ct));
        var aRun = await FillAsync(a, "a", "Alpha");
        var bRun = await FillAsync(b, "b", "Bravo");

        foreach (var (mine, theirs, myTag, theirTag, theirRun) in new[] { (a, b, "Alpha", "Bravo", bRun), (b, a, "Bravo", "Alpha", aRun) })
        {
            var connection = Assert.Single(await mine.ListAsync(Ct));
            Assert.Equal("prod", connection.Name);
            Assert.Equal(myTag, (await mine.ReadSecretAsync(connection.Id, Ct)).Reveal());
            var theirConnection = Assert.Single(await theirs.ListAsync(Ct));
            await Assert.ThrowsAsync<KeyNotFoundException>(() => mine.ReadSecretAsync(theirConnection.Id, Ct));
            Assert.Equal(myTag, Assert.Single(await mine.ListPeopleAsync(Ct)).Name);
            Assert.Equal(myTag, Assert.Single(await mine.ListMappingsAsync(Ct)).ServiceAccountJustification);
            Assert.Equal(myTag, Assert.Single((await mine.FindSystemAsync("cloudflare", Ct))!.AllowedRoles).OrgRole);
            Assert.Equal(myTag, Assert.Single(await mine.ListSsoDeclarationsAsync(Ct)).Evidence);
            Assert.Equal(myTag, (await mine.ListSettingsAsync(Ct))["timezone"]);

            var run = Assert.Single(await mine.ListRunsAsync(10, Ct));
            Assert.Null(await mine.GetRunAsync(theirRun.Id, Ct));
            Assert.Null(await mine.LoadSnapshotAsync(theirRun.Id, Ct));
            Assert.Null(await mine.LoadLatestEvaluationAsync(theirRun.Id, Ct));
            Assert.Empty(await ToListAsync(mine.ReadEvidenceAsync(theirRun.Id, Ct)));
            Assert.Contains(myTag, Assert.Single(await ToListAsync(mine.ReadEvidenceAsync(run.Id, Ct))).Payload.Body);

            var snapshot = (await mine.LoadCurrentSnapshotAsync(Ct))!;
            Assert.Equal(run.Id, snapshot.Id);
            Assert.Equal($"{myTag} account", Assert.Single(snapshot.Accounts).Name);
            Assert.Equal(myTag, Assert.Single(snapshot.Members).FirstName);
            Assert.Equal(myTag, Assert.Single(snapshot.Zones).PlanName);
            Assert.Equal(myTag, Assert.Single(snapshot.Gaps).Reason);
            Assert.Equal(myTag, Assert.Single((await mine.LoadLatestEvaluationAsync(run.Id, Ct))!.Results).CheckId);

            // Writes aimed at the other organisation's rows fail or touch nothing.
            await Assert.ThrowsAsync<KeyNotFoundException>(() => mine.FinishRunAsync(theirRun with { Status = SyncStatus.Failed }, Ct));
            await Assert.ThrowsAsync<KeyNotFoundException>(() => mine.RecordTestAsync(theirConnection.Id, Sample.Start, "x", Ct));
            Assert.True(await mine.RemoveMappingAsync("shared@example.com", Ct));
            Assert.Empty(await mine.ListMappingsAsync(Ct));
            Assert.Equal(theirTag, Assert.Single(await theirs.ListMappingsAsync(Ct)).ServiceAccountJustification);
            await mine.SaveMappingAsync(new IdentityMapping("shared@example.com", null, myTag, Sample.Start), Ct);
            Assert.Equal(theirTag, Assert.Single(await theirs.ListPeopleAsync(Ct)).Name);
        }

        var commitUnderWrongOrganisation = await a.StartRunAsync("cli", Sample.Start.AddHours(2), Ct);
        var bConnection = Assert.Single(await b.ListAsync(Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => a.CommitAccessStageAsync(commitUnderWrongOrganisation.Id, bConnection.Id,
            Sample.Access(bConnection.Id, "acc-x", "x@example.com"), Sample.Start.AddHours(2), Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => b.CommitAccessStageAsync(commitUnderWrongOrganisation.Id, bConnection.Id,
            Sample.Access(bConnection.Id, "acc-x", "x@example.com"), Sample.Start.AddHours(2), Ct));
        Assert.Equal("Bravo", Assert.Single((await b.LoadCurrentSnapshotAsync(Ct))!.Members).FirstName);
    }

    [Fact]
    public async Task Removing_an_organisation_refuses_while_it_has_connections_unless_forced_and_then_deletes_all_it_owned()
    {
        await using var opened = await OpenAsync();
        var a = opened.Store!.ForOrganisation(await opened.Store.AddOrganisationAsync("Alpha", Sample.Start, Ct));
        var b = opened.Store.ForOrganisation(await opened.Store.AddOrganisationAsync("Bravo", Sample.Start, Ct));
        var aRun = await FillAsync(a, "a", "Alpha", sharedEvidence: true);
        var bRun = await FillAsync(b, "b", "Bravo", sharedEvidence: true);

        Assert.Equal(1, await opened.Store.CountConnectionsAsync(b.Organisation.Id, Ct));
        Assert.Equal(OrganisationRemoval.HasConnections, await opened.Store.RemoveOrganisationAsync("bravo", force: false, Ct));
        Assert.NotNull(await b.GetRunAsync(bRun.Id, Ct));

        Assert.Equal(OrganisationRemoval.Removed, await opened.Store.RemoveOrganisationAsync("bravo", force: true, Ct));

        Assert.Null(await opened.Store.FindOrganisationAsync("Bravo", Ct));
        Assert.Empty(await b.ListAsync(Ct));
        Assert.Empty(await b.ListPeopleAsync(Ct));
        Assert.Empty(await b.ListMappingsAsync(Ct));
        Assert.Empty(await b.ListSettingsAsync(Ct));
        Assert.Empty(await b.ListSsoDeclarationsAsync(Ct));
        Assert.Null(await b.FindSystemAsync("cloudflare", Ct));
        Assert.Empty(await b.ListRunsAsync(10, Ct));
        Assert.Null(await b.LoadCurrentSnapshotAsync(Ct));

        // Alpha is untouched, including the evidence body both organisations had received.
        Assert.Single(await a.ListAsync(Ct));
        Assert.Equal("Alpha", Assert.Single((await a.LoadCurrentSnapshotAsync(Ct))!.Members).FirstName);
        Assert.Equal(2, (await ToListAsync(a.ReadEvidenceAsync(aRun.Id, Ct))).Count);
        Assert.Equal(OrganisationRemoval.NotFound, await opened.Store.RemoveOrganisationAsync("bravo", force: true, Ct));
    }

    [Fact]
    public async Task Retention_prunes_old_snapshots_but_keeps_current_data_held_snapshots_and_shared_evidence()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("token"), Ct);
        var runs = new List<SyncRun>();
        for (var day = 0; day < 4; day++)
        {
            var at = Sample.Start.AddDays(day);
            var run = await store.StartRunAsync("cli", at, Ct);
            // Access every day; infrastructure on day 0 only, so every later snapshot still shows day 0's zones.
            await store.CommitAccessStageAsync(run.Id, "c-1", Sample.Access("c-1", "acc-1", $"day{day}@example.com"), at, Ct);
            if (day == 0)
            {
                await store.CommitInfraStageAsync(run.Id, "c-1", Sample.Infra("acc-1", "old.example"), at, Ct);
            }

            await Sample.FinishAsync(store, run);
            runs.Add(run);
        }

        await store.HoldSnapshotAsync(runs[1].Id, "campaign test", Ct);
        await store.HoldSnapshotAsync(runs[1].Id, "campaign test", Ct); // holding twice is one hold
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.HoldSnapshotAsync("no-such-run", "campaign test", Ct));

        var result = await store.PruneSnapshotsAsync(Sample.Start.AddDays(3), Ct);

        // Day 0's access commit and day 2's are pruned; day 1 is held, day 3 is current, day 0's infra is current.
        Assert.Equal(new RetentionResult(2, 2, 0), result);
        // As of the pruned run 2, the newest access data left is held run 1's.
        Assert.Equal("day1@example.com", Assert.Single((await store.LoadSnapshotAsync(runs[2].Id, Ct))!.Members).Email);
        var held = (await store.LoadSnapshotAsync(runs[1].Id, Ct))!;
        Assert.Equal("day1@example.com", Assert.Single(held.Members).Email);
        Assert.Equal("old.example", Assert.Single(held.Zones).Name);
        var current = (await store.LoadCurrentSnapshotAsync(Ct))!;
        Assert.Equal("day3@example.com", Assert.Single(current.Members).Email);
        Assert.Equal("old.example", Assert.Single(current.Zones).Name);
        Assert.Equal(4, (await store.ListRunsAsync(10, Ct)).Count); // run records stay as history
        Assert.NotEmpty(await ToListAsync(store.ReadEvidenceAsync(runs[3].Id, Ct)));
        Assert.Equal([SyncStageKind.Infra], (await ToListAsync(store.ReadEvidenceAsync(runs[0].Id, Ct))).Select(e => e.Stage));

        Assert.Equal(new RetentionResult(0, 0, 0), await store.PruneSnapshotsAsync(Sample.Start.AddDays(3), Ct));
    }

    // One organisation's data, every kind, with the same names as any other's but its own tag in the values.
    private static async Task<SyncRun> FillAsync(Vigil.Storage.IVigilStore store, string idPrefix, string tag, bool sharedEvidence = false)
    {
        var connectionId = $"{idPrefix}-conn";
        await store.SaveAsync(Sample.Connection(connectionId, "prod"), new Secret(tag), Ct);
        await store.UpsertPeopleAsync([new Person("shared@example.com", tag, PersonStatus.Active, tag, null, [], null)], Ct);
        await store.SaveMappingAsync(new IdentityMapping("shared@example.com", null, tag, Sample.Start), Ct);
        await store.SaveSystemAsync(new CriticalSystem("cloudflare", [new AllowedOrgRole(tag, ["Administrator"])], Sample.Start), Ct);
        await store.SaveSsoDeclarationAsync(new SsoDeclaration("acc-shared", ["example.com"], tag, Sample.Start), Ct);
        await store.SaveSettingAsync("timezone", tag, Ct);

        var run = await store.StartRunAsync("cli", Sample.Start, Ct);
        var access = Sample.Access(connectionId, "acc-shared", "shared@example.com");
        access = access with
        {
            Accounts = [access.Accounts[0] with { Name = $"{tag} account" }],
            Members = [access.Members[0] with { FirstName = tag }],
            Gaps = [new ReadGap("access", "member", "acc-shared", "GET /accounts/acc-shared/members", tag, null)],
            Evidence = sharedEvidence
                ? [new RawPayload("GET /accounts", Sample.Start, """{"same":"body"}"""), new RawPayload("GET /me", Sample.Start, $$"""{"tag":"{{tag}}"}""")]
                : [new RawPayload("GET /accounts", Sample.Start, $$"""{"tag":"{{tag}}"}""")],
        };
        await store.CommitAccessStageAsync(run.Id, connectionId, access, Sample.Start, Ct);
        var infra = Sample.Infra("acc-shared", "shop.example");
        await store.CommitInfraStageAsync(run.Id, connectionId, infra with { Zones = [infra.Zones[0] with { PlanName = tag }], Evidence = [] }, Sample.Start, Ct);
        await Sample.FinishAsync(store, run);
        await store.SaveEvaluationAsync(new Evaluation(run.Id, Sample.Start, [new CheckResult(tag, CheckStatus.Pass, [])]), Ct);
        return run;
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
