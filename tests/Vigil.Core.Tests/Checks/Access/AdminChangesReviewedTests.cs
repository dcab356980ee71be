using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Reviews;
using Vigil.Core.Sync;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class AdminChangesReviewedTests
{
    private readonly AdminChangesReviewed _check = new();

    private const string Account = SnapshotBuilder.DefaultAccountId;

    private static AuditLogEntry Entry(string id, string method, string memberId, DateTimeOffset at, string? email = null) =>
        new(id, Account, at, method == "DELETE" ? "delete" : method == "POST" ? "create" : "update", "account.member", memberId, null,
            "admin@acme.test", "user", method, $"/client/v4/accounts/{Account}/members/{memberId}", "success", email);

    private static EvaluationContext With(IReadOnlyList<AuditLogEntry> log, params ReviewCampaign[] campaigns)
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Build() with { AuditLog = log };
        return EvaluationContext.Create(snapshot, [], [], null, Now, null, reviews: new ReviewState(campaigns));
    }

    [Fact]
    public void Lists_recent_changes_for_the_next_campaign_and_fails_those_left_unreviewed_past_the_interval()
    {
        var log = new[]
        {
            Entry("e1", "PUT", "m-1", Now.AddDays(-10), "jane@acme.test"),
            Entry("e2", "DELETE", "m-2", Now.AddDays(-120), "old@acme.test"),
        };

        var result = _check.Run(With(log));

        var recent = result.ShouldPass("jane@acme.test in Acme", containing: "was re-roled");
        Assert.Contains("by admin@acme.test at 2025-05-23 09:00 UTC; listed for the next access review campaign, due by 2025-08-21 09:00 UTC", recent.Reason);
        Assert.Equal(Now.AddDays(-10), recent.ObservedAt);
        var stale = result.ShouldFail("old@acme.test in Acme", containing: "was removed");
        Assert.Contains("120 days ago, and no access review campaign has started since", stale.Reason);
    }

    [Fact]
    public void A_campaign_started_after_the_change_reviews_it()
    {
        var campaign = Campaigns.Start(EvaluationContext.Create(new SnapshotBuilder().Member("jane@acme.test").Build(), [], [], null, Now, null));
        var log = new[] { Entry("e2", "DELETE", "m-2", campaign.Campaign.CreatedAt.AddDays(-100), "old@acme.test") };

        _check.Run(With(log, campaign)).ShouldPass("old@acme.test in Acme", containing: "put before campaign camp-1");
    }

    [Fact]
    public void Passes_with_no_change_recorded_and_ignores_non_member_entries()
    {
        var zoneEntry = new AuditLogEntry("z1", Account, Now.AddDays(-1), "update", "zone.setting", "ssl", "zone-1", "admin@acme.test", "user", "PATCH",
            "/client/v4/zones/zone-1/settings/ssl");
        _check.Run(With([zoneEntry])).ShouldPass("cloudflare", containing: "records no member or role change");
    }
}
