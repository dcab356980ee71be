using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Cli;

/// <summary>Opens the store in VIGIL_HOME (default ~/.vigil) for one command.</summary>
internal static class CliStore
{
    public static Task<SqliteStore> OpenAsync(CancellationToken ct) => SqliteStore.OpenInHomeAsync(null, TimeProvider.System, ct);

    /// <summary>Evaluates and stores the results; on a read-only home it evaluates without storing (and says so).</summary>
    /// <remarks>On a read-only home, revocations are verified in memory for this evaluation but not recorded.</remarks>
    public static ComplianceEvaluator Evaluator(SqliteStore store) =>
        new(store, store, store.IsReadOnly ? new NotStored(store) : store, TimeProvider.System, store.IsReadOnly ? new VerificationsNotStored(store) : store);

    private sealed class NotStored(IEvaluationStore reader) : IEvaluationStore
    {
        public Task SaveEvaluationAsync(Evaluation evaluation, CancellationToken ct)
        {
            Console.Error.WriteLine("vigil: note: the Vigil home is read-only, so this evaluation was printed but not stored");
            return Task.CompletedTask;
        }

        public Task<Evaluation?> LoadLatestEvaluationAsync(string snapshotId, CancellationToken ct) => reader.LoadLatestEvaluationAsync(snapshotId, ct);
    }

    private sealed class VerificationsNotStored(SqliteStore store) : IReviewStore
    {
        public Task AddVerificationsAsync(IReadOnlyList<Core.Reviews.VerificationEvent> events, CancellationToken ct) => Task.CompletedTask;
        public Task<Core.Reviews.ReviewState> LoadReviewStateAsync(CancellationToken ct) => store.LoadReviewStateAsync(ct);
        public Task SaveCampaignAsync(Core.Reviews.Campaign campaign, IReadOnlyList<Core.Reviews.ReviewItem> items, CancellationToken ct) => store.SaveCampaignAsync(campaign, items, ct);
        public Task<IReadOnlyList<Core.Reviews.Campaign>> ListCampaignsAsync(CancellationToken ct) => store.ListCampaignsAsync(ct);
        public Task<Core.Reviews.ReviewCampaign?> LoadCampaignAsync(string campaignId, CancellationToken ct) => store.LoadCampaignAsync(campaignId, ct);
        public Task AddDecisionsAsync(IReadOnlyList<Core.Reviews.ReviewDecision> decisions, CancellationToken ct) => store.AddDecisionsAsync(decisions, ct);
        public Task ReassignAsync(Core.Reviews.Reassignment reassignment, CancellationToken ct) => store.ReassignAsync(reassignment, ct);
        public Task<bool> CompleteCampaignAsync(string campaignId, Core.Reviews.CampaignSignOff signOff, CancellationToken ct) => store.CompleteCampaignAsync(campaignId, signOff, ct);
        public Task<IReadOnlyDictionary<(string AccountId, string MemberId), DateTimeOffset>> LoadMembershipFirstSeenAsync(CancellationToken ct) => store.LoadMembershipFirstSeenAsync(ct);
    }
}
