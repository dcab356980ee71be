using Npgsql;
using Vigil.Core.Reviews;
using Vigil.Storage.Postgres;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Postgres;

/// <summary>Runs the review store contract against PostgreSQL, one fresh database per test.</summary>
public sealed class PostgresReviewStoreContractTests : ReviewStoreContractTests, IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly MasterKey _key = MasterKey.Generate();

    protected override async Task<StoreUnderTest> OpenAsync()
    {
        var store = await PostgresStore.OpenAsync(await _database.UrlAsync(), _key, Time, CancellationToken.None);
        return new StoreUnderTest(store, store, store, store, store, store, store, store);
    }

    /// <summary>Review history is evidence on PostgreSQL too: a trigger refuses edits and deletes, even by the tables' owner.</summary>
    [Theory]
    [InlineData("UPDATE review_decisions SET decision = 'keep';")]
    [InlineData("DELETE FROM review_decisions;")]
    [InlineData("UPDATE review_verifications SET state = 'reappeared';")]
    [InlineData("DELETE FROM review_verifications;")]
    [InlineData("UPDATE review_reassignments SET to_reviewer = 'x@example.com';")]
    [InlineData("UPDATE review_remediations SET outcome = 'applied';")]
    [InlineData("DELETE FROM review_remediations;")]
    public async Task Decisions_verifications_reassignments_and_remediations_cannot_be_edited_or_deleted(string sql)
    {
        await using (var store = await PostgresStore.OpenAsync(await _database.UrlAsync(), _key, Time, CancellationToken.None))
        {
            await store.SaveCampaignAsync(new Campaign("camp-1", "cloudflare", "Q4", CampaignStatus.Open, Sample.Start, null, null, [], "run-1", null, false, null, null, []),
                [new ReviewItem("camp-1", "acc-1", "Acme", "m-1", null, "ada@example.com", "accepted", true, null, null, null, null, [], null, [], "boss@example.com", ItemChange.New, [])],
                CancellationToken.None);
            await store.AddDecisionsAsync([new ReviewDecision("d-1", "camp-1", "acc-1", "m-1", DecisionKind.Revoke, [], "boss@example.com", Sample.Start, "left", "run-1")], CancellationToken.None);
            await store.AddVerificationsAsync([new VerificationEvent("camp-1", "d-1", "acc-1", "m-1", VerificationState.Verified, "run-2", Sample.Start, Sample.Start, "gone")], CancellationToken.None);
            await store.ReassignAsync(new Reassignment("camp-1", "acc-1", "m-1", "boss@example.com", "sec@example.com", "boss@example.com", Sample.Start), CancellationToken.None);
            await store.AddRemediationAttemptAsync(new RemediationAttempt("camp-1", "d-1", "acc-1", "m-1", "fix", "DELETE", "/accounts/a/members/m", null,
                RemediationOutcome.Refused, 403, ["10000 Authentication error"], "refused", Sample.Start), CancellationToken.None);
        }

        await using var admin = await _database.OpenAdminAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("append-only", refused.MessageText);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => _database.DisposeAsync().AsTask();
}
