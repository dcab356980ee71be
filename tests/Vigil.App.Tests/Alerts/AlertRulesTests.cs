using Vigil.App.Alerts;
using Vigil.App.Tests.Support;
using Vigil.Core.Alerts;
using Vigil.Core.Checks;
using Vigil.Core.Reviews;
using Vigil.Core.Sync;

namespace Vigil.App.Tests.Alerts;

/// <summary>The alert rules alone: what changed since the remembered conditions, and nothing else.</summary>
public sealed class AlertRulesTests
{
    private static readonly DateTimeOffset Now = AlertFixture.Start;
    private int _ids;

    [Fact]
    public void A_check_that_keeps_failing_the_same_way_raises_once()
    {
        var first = Evaluate(Inputs(AlertFixture.Evaluation("ada@example.com")), []);
        var alert = Assert.Single(first.Alerts);
        Assert.Equal((AlertKinds.CheckFailed, AlertFixture.TwoFactor, "high"), (alert.Kind, alert.Subject, alert.Severity));

        var second = Evaluate(Inputs(AlertFixture.Evaluation("ada@example.com")), first.Held);
        Assert.Empty(second.Alerts);
        Assert.Empty(second.Held);
        Assert.Empty(second.Cleared);
    }

    [Fact]
    public void Fewer_failing_findings_raise_nothing_but_one_coming_back_is_new_again()
    {
        var both = Evaluate(Inputs(AlertFixture.Evaluation("a@x.io", "b@x.io")), []).Held;
        var fewer = Evaluate(Inputs(AlertFixture.Evaluation("a@x.io")), both);
        Assert.Empty(fewer.Alerts);
        var remembered = Assert.Single(fewer.Held);

        var back = Evaluate(Inputs(AlertFixture.Evaluation("a@x.io", "b@x.io")), [remembered]);
        Assert.Equal(AlertKinds.CheckNewFindings, Assert.Single(back.Alerts).Kind);
    }

    [Fact]
    public void An_unknown_result_keeps_the_condition_and_a_pass_clears_it()
    {
        var held = Evaluate(Inputs(AlertFixture.Evaluation("a@x.io")), []).Held;
        var unknown = new Evaluation("run-2", Now, [new CheckResult(AlertFixture.TwoFactor, CheckStatus.Unknown, [])]);
        var afterUnknown = Evaluate(Inputs(unknown), held);
        Assert.Empty(afterUnknown.Alerts);
        Assert.Empty(afterUnknown.Cleared);

        var passed = Evaluate(Inputs(AlertFixture.Evaluation()), held);
        Assert.Equal(["check:" + AlertFixture.TwoFactor], passed.Cleared);
    }

    [Fact]
    public void A_failed_sync_raises_once_until_a_sync_succeeds()
    {
        var failed = Run("run-1", SyncStatus.Failed);
        var first = Evaluate(Inputs(run: failed), []);
        Assert.Equal(AlertKinds.SyncFailed, Assert.Single(first.Alerts).Kind);
        Assert.Contains("failed", first.Alerts[0].Title);

        Assert.Empty(Evaluate(Inputs(run: Run("run-2", SyncStatus.Failed)), first.Held).Alerts);
        var recovered = Evaluate(Inputs(run: Run("run-3", SyncStatus.Complete)), first.Held);
        Assert.Equal(["sync"], recovered.Cleared);
        Assert.Single(Evaluate(Inputs(run: Run("run-4", SyncStatus.Failed)), []).Alerts);
    }

    [Fact]
    public void A_partial_run_with_a_failed_stage_is_a_failed_sync()
    {
        var run = Run("run-1", SyncStatus.Partial) with
        {
            Stages = [new SyncStageResult("c-1", SyncStageKind.Infra, SyncStatus.Failed, "HTTP 500", 3, 10, null)],
        };
        var alert = Assert.Single(Evaluate(Inputs(run: run), []).Alerts);
        Assert.Equal(["infra stage of connection c-1 failed: HTTP 500"], alert.Details);
    }

    [Fact]
    public void A_revocation_not_applied_within_the_SLA_raises_once_per_campaign()
    {
        var decidedAt = Now.AddDays(-8);
        var review = Campaign(due: null, decidedAt);
        var first = Evaluate(Inputs(reviews: new ReviewState([review])), []);
        var alert = Assert.Single(first.Alerts);
        Assert.Equal((AlertKinds.RevocationOverdue, "camp-1"), (alert.Kind, alert.Subject));
        Assert.Contains("jordan@acme.io in Acme: revoke decided by owner@acme.io", Assert.Single(alert.Details));
        Assert.Empty(Evaluate(Inputs(reviews: new ReviewState([review])), first.Held).Alerts);

        // Within the SLA: nothing.
        Assert.Empty(Evaluate(Inputs(reviews: new ReviewState([Campaign(null, Now.AddDays(-2))])), []).Alerts);
    }

    [Fact]
    public void Undecided_items_raise_once_when_due_in_three_days_and_once_more_when_overdue()
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        Assert.Empty(Evaluate(Inputs(reviews: new ReviewState([Campaign(today.AddDays(4), null)])), []).Alerts);

        var soon = Evaluate(Inputs(reviews: new ReviewState([Campaign(today.AddDays(3), null)])), []);
        var alert = Assert.Single(soon.Alerts);
        Assert.Equal(AlertKinds.ReviewDueSoon, alert.Kind);
        Assert.Contains("in 3 days", alert.Title);
        Assert.Equal(["reviewer@acme.io: 1 undecided item"], alert.Details);
        Assert.Empty(Evaluate(Inputs(reviews: new ReviewState([Campaign(today.AddDays(3), null)])), soon.Held).Alerts);

        var overdue = Evaluate(Inputs(reviews: new ReviewState([Campaign(today.AddDays(-1), null)])), soon.Held);
        Assert.Equal(AlertKinds.ReviewOverdue, Assert.Single(overdue.Alerts).Kind);
        Assert.Equal(["review-due:camp-1"], overdue.Cleared);
    }

    private AlertPlan Evaluate(AlertInputs inputs, IReadOnlyList<AlertCondition> previous) =>
        AlertRules.Evaluate(inputs, previous, () => $"alert-{++_ids}");

    private static AlertInputs Inputs(Evaluation? evaluation = null, SyncRun? run = null, ReviewState? reviews = null) =>
        new(evaluation, run, reviews, TimeSpan.FromDays(7), TimeZoneInfo.Utc, Now);

    private static SyncRun Run(string id, SyncStatus status) => new(id, "schedule", Now, Now, status, status == SyncStatus.Failed ? "HTTP 500" : null, SyncCounts.Zero, [], []);

    // One campaign with one item: revoked at revokedAt (null: undecided).
    private static ReviewCampaign Campaign(DateOnly? due, DateTimeOffset? revokedAt)
    {
        var campaign = new Campaign("camp-1", "cloudflare", "Q4 review", CampaignStatus.Open, Now.AddDays(-20), due, "owner@acme.io", [],
            "run-0", Now.AddDays(-20), false, null, null, []);
        var item = new ReviewItem("camp-1", "acc-1", "Acme", "m-1", "u-1", "jordan@acme.io", "accepted", true, null, null, null, null, [],
            null, [], "reviewer@acme.io", ItemChange.New, []);
        var decisions = revokedAt is { } at
            ? new[] { new ReviewDecision("d-1", "camp-1", "acc-1", "m-1", DecisionKind.Revoke, [], "owner@acme.io", at, "left the company", "run-0", 1) }
            : [];
        return new ReviewCampaign(campaign, [item], decisions, []);
    }
}
