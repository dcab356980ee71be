using Vigil.Core.Reviews;
using Vigil.Core.Storage;
using Vigil.Core.Systems;

namespace Vigil.Storage.Tests.StoreContract;

/// <summary>
/// The review store's contract (campaigns, decisions, verifications, remediate credentials and the calls made with
/// them), run on both engines: <see cref="Sqlite.SqliteReviewStoreContractTests"/> and <see cref="Postgres.PostgresReviewStoreContractTests"/>.
/// </summary>
public abstract class ReviewStoreContractTests
{
    protected Microsoft.Extensions.Time.Testing.FakeTimeProvider Time { get; } = new(Sample.Start);

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>Opens the store over this test's database; again opens the same database, as a new process would.</summary>
    protected abstract Task<StoreUnderTest> OpenAsync();

    private static Campaign SampleCampaign(string id, DateTimeOffset at) => new(
        id, "cloudflare", "Q4 review", CampaignStatus.Open, at, new DateOnly(2026, 12, 15), "owner@example.com", ["rev@example.com"], "run-1", at.AddHours(-1),
        AllowStale: true, StaleReason: "the last access sync failed: HTTP 500", PreviousCampaignId: "camp-0",
        Removed: [new RemovedMembership("acc-1", "m-old", "old@example.com")]);

    private static ReviewItem SampleItem(string campaignId, string memberId, string email) => new(
        campaignId, "acc-1", "Acme", memberId, "user-" + memberId, email, "accepted", true, email, "Ada Lovelace", "engineer", null,
        [new ItemGrant("Administrator", "account Acme"), new ItemGrant("DNS", "zone shop.example", "Ops")], Sample.Start.AddDays(-40),
        [RiskFlags.SuperAdministrator], "boss@example.com", ItemChange.Changed, ["roles"]);

    [Fact]
    public async Task A_campaign_keeps_its_items_decisions_reassignments_sign_off_and_verifications()
    {
        await using (var store = await OpenAsync())
        {
            var reviews = ReviewsOf(store);
            var campaign = SampleCampaign("camp-1", Sample.Start);
            var items = new[] { SampleItem("camp-1", "m-1", "ada@example.com"), SampleItem("camp-1", "m-2", "bob@example.com") with { TwoFactorEnabled = null, PersonEmail = null, ServiceAccount = "CI bot", RiskFlags = [], Change = ItemChange.New, Changes = [] } };
            await reviews.SaveCampaignAsync(campaign, items, Ct);

            await reviews.AddDecisionsAsync(
            [
                new ReviewDecision("d-1", "camp-1", "acc-1", "m-1", DecisionKind.Keep, [], "boss@example.com", Sample.Start.AddHours(1), null, "run-1"),
                new ReviewDecision("d-2", "camp-1", "acc-1", "m-2", DecisionKind.ChangeRole, ["DNS"], "boss@example.com", Sample.Start.AddHours(1), "least privilege", "run-1"),
            ], Ct);
            await reviews.AddDecisionsAsync([new ReviewDecision("d-3", "camp-1", "acc-1", "m-1", DecisionKind.Revoke, [], "owner@example.com", Sample.Start.AddHours(2), "left", "run-1")], Ct);
            await reviews.ReassignAsync(new Reassignment("camp-1", "acc-1", "m-2", "boss@example.com", "sec@example.com", "owner@example.com", Sample.Start.AddHours(3)), Ct);
            await reviews.AddVerificationsAsync(
                [new VerificationEvent("camp-1", "d-3", "acc-1", "m-1", VerificationState.Verified, "run-2", Sample.Start.AddHours(5), Sample.Start.AddHours(6), "gone")], Ct);
            Assert.True(await reviews.CompleteCampaignAsync("camp-1", new CampaignSignOff("owner@example.com", Sample.Start.AddDays(1), "Reviewed"), Ct));
            Assert.False(await reviews.CompleteCampaignAsync("camp-1", new CampaignSignOff("owner@example.com", Sample.Start.AddDays(2), "Again"), Ct));
        }

        await using (var reopened = await OpenAsync())
        {
            var loaded = await ReviewsOf(reopened).LoadCampaignAsync("camp-1", Ct);
            Assert.NotNull(loaded);
            Sample.AssertDeepEqual(SampleCampaign("camp-1", Sample.Start) with
            {
                Status = CampaignStatus.Completed,
                SignOff = new CampaignSignOff("owner@example.com", Sample.Start.AddDays(1), "Reviewed"),
            }, loaded.Campaign);
            Assert.Equal(["ada@example.com", "bob@example.com"], loaded.Items.Select(i => i.MemberEmail));
            Sample.AssertDeepEqual(SampleItem("camp-1", "m-1", "ada@example.com"), loaded.Items[0]);
            Assert.Equal("sec@example.com", loaded.Items[1].Reviewer);
            Assert.Equal("CI bot", loaded.Items[1].ServiceAccount);
            Assert.Null(loaded.Items[1].TwoFactorEnabled);

            Assert.Equal(["d-1", "d-2", "d-3"], loaded.Decisions.Select(d => d.Id));
            Assert.Equal(DecisionKind.Revoke, loaded.LatestDecision(loaded.Items[0])!.Decision);
            Assert.Equal(["DNS"], loaded.Decisions[1].Roles);
            Assert.Equal(VerificationState.Verified, loaded.VerificationOf(loaded.Items[0], Sample.Start.AddDays(30), TimeSpan.FromDays(7)).State);
            Assert.Equal(CampaignStatus.Completed, loaded.Status);

            Assert.Null(await ReviewsOf(reopened).LoadCampaignAsync("camp-404", Ct));
            Assert.Equal(["camp-1"], (await ReviewsOf(reopened).ListCampaignsAsync(Ct)).Select(c => c.Id));
            Assert.Equal("camp-1", Assert.Single((await ReviewsOf(reopened).LoadReviewStateAsync(Ct)).Campaigns).Id);
        }
    }

    [Fact]
    public async Task A_decision_batch_is_all_or_nothing()
    {
        await using var store = await OpenAsync();
        var reviews = ReviewsOf(store);
        await reviews.SaveCampaignAsync(SampleCampaign("camp-1", Sample.Start), [SampleItem("camp-1", "m-1", "ada@example.com")], Ct);
        var decision = new ReviewDecision("d-1", "camp-1", "acc-1", "m-1", DecisionKind.Keep, [], "boss@example.com", Sample.Start, null, "run-1");

        // The same id twice violates the unique id: the first row must not stay either.
        await Assert.ThrowsAnyAsync<Exception>(() => reviews.AddDecisionsAsync([decision, decision], Ct));

        Assert.Empty((await reviews.LoadCampaignAsync("camp-1", Ct))!.Decisions);
    }

    [Fact]
    public async Task First_sightings_come_from_the_stored_access_history_and_the_system_keeps_its_owner()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c1", "acme"), new Core.Secret("token"), Ct);
        var first = await store.Sync.StartRunAsync("test", Sample.Start, Ct);
        await store.Sync.CommitAccessStageAsync(first.Id, "c1", Sample.Access("c1", "acc-1", "ada@example.com"), Sample.Start.AddMinutes(1), Ct);
        await Sample.FinishAsync(store.Sync, first);
        var second = await store.Sync.StartRunAsync("test", Sample.Start.AddDays(1), Ct);
        await store.Sync.CommitAccessStageAsync(second.Id, "c1", Sample.Access("c1", "acc-1", "ada@example.com", "bob@example.com"), Sample.Start.AddDays(1).AddMinutes(1), Ct);
        await Sample.FinishAsync(store.Sync, second);

        var seen = await ReviewsOf(store).LoadMembershipFirstSeenAsync(Ct);

        Assert.Equal(Sample.Start.AddMinutes(1), seen[("acc-1", "m-acc-1-0")]);
        Assert.Equal(Sample.Start.AddDays(1).AddMinutes(1), seen[("acc-1", "m-acc-1-1")]);

        await store.Directory.SaveSystemAsync(new CriticalSystem("cloudflare", [new AllowedOrgRole("sre", [])], Sample.Start, "owner@example.com"), Ct);
        Assert.Equal("owner@example.com", (await store.Directory.FindSystemAsync("cloudflare", Ct))!.Owner);
    }

    [Fact]
    public async Task Remediate_credentials_are_sealed_replaced_by_name_and_their_calls_are_kept_in_order()
    {
        await using (var store = await OpenAsync())
        {
            var remediation = RemediationOf(store);
            await ReviewsOf(store).SaveCampaignAsync(SampleCampaign("camp-1", Sample.Start), [SampleItem("camp-1", "m-1", "ada@example.com")], Ct);
            await ReviewsOf(store).AddDecisionsAsync([new ReviewDecision("d-1", "camp-1", "acc-1", "m-1", DecisionKind.Revoke, [], "boss@example.com", Sample.Start, "left", "run-1")], Ct);
            await remediation.SaveRemediationCredentialAsync(
                new RemediationCredential("c-old", "fix", "https://api.example/client/v4", null, Vigil.Core.Sync.CredentialKind.UserToken, null, Sample.Start, "old"), new Vigil.Core.Secret("old-token"), Ct);
            await remediation.SaveRemediationCredentialAsync(
                new RemediationCredential("c-new", "fix", "https://api.example/client/v4", "acc-1", Vigil.Core.Sync.CredentialKind.AccountToken, null, Sample.Start.AddHours(1), "new"),
                new Vigil.Core.Secret("new-token"), Ct);
            await remediation.AddRemediationAttemptAsync(new RemediationAttempt("camp-1", "d-1", "acc-1", "m-1", "fix", "DELETE", "/accounts/acc-1/members/m-1", null,
                RemediationOutcome.RateLimited, 429, ["971 Please wait"], "rate-limited", Sample.Start.AddHours(2)), Ct);
            await remediation.AddRemediationAttemptAsync(new RemediationAttempt("camp-1", "d-1", "acc-1", "m-1", "fix", "PUT", "/accounts/acc-1/members/m-1", "{\"roles\":[]}",
                RemediationOutcome.Failed, null, [], "no answer", Sample.Start.AddHours(3)), Ct);
        }

        await using var reopened = await OpenAsync();
        var reread = RemediationOf(reopened);
        var credential = Assert.Single(await reread.ListRemediationCredentialsAsync(Ct));
        Assert.Equal(("c-new", "acc-1", Vigil.Core.Sync.CredentialKind.AccountToken, "new"), (credential.Id, credential.AccountId, credential.Kind, credential.LastTestSummary));
        Assert.Equal("new-token", (await reread.ReadRemediationSecretAsync("c-new", Ct)).Reveal());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => reread.ReadRemediationSecretAsync("c-old", Ct));
        var attempts = await reread.ListRemediationAttemptsAsync("camp-1", Ct);
        Assert.Equal([RemediationOutcome.RateLimited, RemediationOutcome.Failed], attempts.Select(a => a.Outcome));
        Assert.Equal((429, (int?)null), (attempts[0].HttpStatus!.Value, attempts[1].HttpStatus));
        Assert.Equal(["971 Please wait"], attempts[0].Errors);
        Assert.Equal("{\"roles\":[]}", attempts[1].RequestBody);
        Assert.Equal(Sample.Start.AddHours(3), attempts[1].At);
        Assert.True(attempts[1].Seq > attempts[0].Seq);
        Assert.Empty(await reread.ListRemediationAttemptsAsync("camp-2", Ct));
        Assert.True(await reread.RemoveRemediationCredentialAsync("fix", Ct));
        Assert.Empty(await reread.ListRemediationCredentialsAsync(Ct));
    }

    [Fact]
    public async Task Removing_an_organisation_by_force_deletes_its_review_history_and_no_other()
    {
        await using var store = await OpenAsync();
        var vigil = store.Store ?? throw new InvalidOperationException("this backend has no organisation store");
        var organisation = await vigil.AddOrganisationAsync("Gone Corp", Sample.Start, Ct);
        var gone = vigil.ForOrganisation(organisation);
        await using (gone)
        {
            // Ids are unique across organisations on SQLite (UUIDs in practice), so each organisation has its own.
            foreach (var (reviews, id) in new[] { ((IReviewStore)gone, "gone"), (ReviewsOf(store), "1") })
            {
                await reviews.SaveCampaignAsync(SampleCampaign("camp-" + id, Sample.Start), [SampleItem("camp-" + id, "m-1", "ada@example.com")], Ct);
                await reviews.AddDecisionsAsync([new ReviewDecision("d-" + id, "camp-" + id, "acc-1", "m-1", DecisionKind.Revoke, [], "boss@example.com", Sample.Start, "left", "run-1")], Ct);
                await reviews.ReassignAsync(new Reassignment("camp-" + id, "acc-1", "m-1", "boss@example.com", "sec@example.com", "owner@example.com", Sample.Start), Ct);
                await reviews.AddVerificationsAsync([new VerificationEvent("camp-" + id, "d-" + id, "acc-1", "m-1", VerificationState.Verified, "run-2", Sample.Start, Sample.Start, "gone")], Ct);
                await ((IRemediationStore)reviews).AddRemediationAttemptAsync(new RemediationAttempt("camp-" + id, "d-" + id, "acc-1", "m-1", "fix", "DELETE", "/accounts/a/members/m", null,
                    RemediationOutcome.Applied, 200, [], "removed", Sample.Start), Ct);
            }
        }

        Assert.Equal(Vigil.Core.Organisations.OrganisationRemoval.Removed, await vigil.RemoveOrganisationAsync("Gone Corp", force: true, Ct));

        var kept = await ReviewsOf(store).LoadCampaignAsync("camp-1", Ct);
        Assert.NotNull(kept);
        Assert.Single(kept.Decisions);
        Assert.Single(kept.Verifications);
        Assert.Single(await RemediationOf(store).ListRemediationAttemptsAsync("camp-1", Ct));
    }

    private static IRemediationStore RemediationOf(StoreUnderTest store) =>
        store.Reviews as IRemediationStore ?? throw new InvalidOperationException("this backend has no remediation store");

    [Fact]
    public async Task The_review_version_changes_with_every_review_write_and_only_for_its_organisation()
    {
        await using var store = await OpenAsync();
        var reviews = ReviewsOf(store);
        var vigil = store.Store ?? throw new InvalidOperationException("this backend has no organisation store");
        var other = vigil.ForOrganisation(await vigil.AddOrganisationAsync("Other Corp", Sample.Start, Ct));
        await using (other)
        {
            var seen = new List<ReviewVersion> { await reviews.ReadReviewVersionAsync(Ct) };
            Assert.Equal(new ReviewVersion(0, 0, 0, 0, 0), seen[0]);
            async Task ChangedAsync()
            {
                var now = await reviews.ReadReviewVersionAsync(Ct);
                Assert.DoesNotContain(now, seen);
                seen.Add(now);
            }

            await reviews.SaveCampaignAsync(SampleCampaign("camp-1", Sample.Start), [SampleItem("camp-1", "m-1", "ada@example.com"), SampleItem("camp-1", "m-2", "bob@example.com")], Ct);
            await ChangedAsync();
            await reviews.AddDecisionsAsync([new ReviewDecision("d-1", "camp-1", "acc-1", "m-1", DecisionKind.Revoke, [], "boss@example.com", Sample.Start, "left", "run-1")], Ct);
            await ChangedAsync();
            await reviews.ReassignAsync(new Reassignment("camp-1", "acc-1", "m-2", "boss@example.com", "sec@example.com", "owner@example.com", Sample.Start), Ct);
            await ChangedAsync();
            await reviews.AddVerificationsAsync([new VerificationEvent("camp-1", "d-1", "acc-1", "m-1", VerificationState.Verified, "run-2", Sample.Start, Sample.Start, "gone")], Ct);
            await ChangedAsync();
            Assert.True(await reviews.CompleteCampaignAsync("camp-1", new CampaignSignOff("owner@example.com", Sample.Start.AddDays(1), "Reviewed"), Ct));
            await ChangedAsync();
            Assert.Equal(seen[^1], await reviews.ReadReviewVersionAsync(Ct));

            // Another organisation's writes leave this one's stamp alone, and its own starts empty.
            var others = (IReviewStore)other;
            Assert.Equal(new ReviewVersion(0, 0, 0, 0, 0), await others.ReadReviewVersionAsync(Ct));
            await others.SaveCampaignAsync(SampleCampaign("camp-other", Sample.Start), [SampleItem("camp-other", "m-1", "ada@example.com")], Ct);
            await others.AddDecisionsAsync([new ReviewDecision("d-other", "camp-other", "acc-1", "m-1", DecisionKind.Keep, [], "boss@example.com", Sample.Start, null, "run-1")], Ct);
            Assert.Equal(seen[^1], await reviews.ReadReviewVersionAsync(Ct));
            Assert.Equal(1, (await others.ReadReviewVersionAsync(Ct)).Campaigns);
        }
    }

    private static IReviewStore ReviewsOf(StoreUnderTest store) =>
        store.Reviews ?? throw new InvalidOperationException("this backend has no review store");
}
