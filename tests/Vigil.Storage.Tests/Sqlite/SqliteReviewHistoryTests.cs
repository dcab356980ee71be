using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Reviews;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Sqlite;

/// <summary>Review decisions and verifications are evidence: the database itself refuses to change or delete them.</summary>
public sealed class SqliteReviewHistoryTests : IDisposable
{
    private readonly TempHome _home = new();

    [Theory]
    [InlineData("UPDATE review_decisions SET decision = 'keep';")]
    [InlineData("DELETE FROM review_decisions;")]
    [InlineData("UPDATE review_verifications SET state = 'reappeared';")]
    [InlineData("DELETE FROM review_verifications;")]
    public async Task Decisions_and_verifications_cannot_be_edited_or_deleted(string sql)
    {
        await using (var store = await SqliteStore.OpenAsync(_home.DatabasePath, MasterKey.Generate(), new FakeTimeProvider(Sample.Start), CancellationToken.None))
        {
            await store.SaveCampaignAsync(new Campaign("camp-1", "cloudflare", "Q4", CampaignStatus.Open, Sample.Start, null, null, [], "run-1", null, false, null, null, []), [], CancellationToken.None);
            await store.AddDecisionsAsync([new ReviewDecision("d-1", "camp-1", "acc-1", "m-1", DecisionKind.Revoke, [], "boss@example.com", Sample.Start, "left", "run-1")], CancellationToken.None);
            await store.AddVerificationsAsync([new VerificationEvent("camp-1", "d-1", "acc-1", "m-1", VerificationState.Verified, "run-2", Sample.Start, Sample.Start, "gone")], CancellationToken.None);
            Assert.Equal("default", store.Organisation.Id);
        }

        await using var db = new SqliteConnection($"Data Source={_home.DatabasePath};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;

        var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("append-only", refused.Message);
        command.CommandText = "SELECT (SELECT COUNT(*) FROM review_decisions WHERE decision = 'revoke' AND organisation_id = 'default') + (SELECT COUNT(*) FROM review_verifications WHERE state = 'verified');";
        Assert.Equal(2L, await command.ExecuteScalarAsync());
    }

    public void Dispose() => _home.Dispose();
}
