using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Reviews;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class AccessReviewedTests
{
    private readonly AccessReviewed _check = new();

    private static ReviewCampaign Campaign(string id = "camp-1") =>
        Campaigns.Start(Context(new SnapshotBuilder().Member("jane@acme.test").Build()), id: id);

    private static EvaluationContext With(CheckOptions? options = null, params ReviewCampaign[] campaigns) =>
        EvaluationContext.Create(new SnapshotBuilder().Build(), [], [], null, Now, options, reviews: new ReviewState(campaigns));

    [Fact]
    public void Fails_when_no_review_was_ever_completed_naming_the_one_in_progress()
    {
        _check.Run(With()).ShouldFail("cloudflare", containing: "no Cloudflare access review has been completed; one is due every 90 days");

        var open = Campaign().Decide("jane@acme.test", DecisionKind.Keep, Now, comment: null);
        var finding = _check.Run(With(null, open)).ShouldFail("cloudflare", containing: "campaign camp-1");
        Assert.Contains("is awaiting sign-off with 1 of 1 items decided", finding.Reason);
        Assert.Contains("vigil review complete camp-1", finding.Remediation);
    }

    [Fact]
    public void Passes_within_the_interval_and_fails_after_it_naming_the_last_completed()
    {
        var completed = Campaign().Decide("jane@acme.test", DecisionKind.Keep, Now.AddDays(-100), comment: null).Completed(Now.AddDays(-89));

        _check.Run(With(null, completed)).ShouldPass("cloudflare", containing: "campaign camp-1");

        var old = Campaign().Decide("jane@acme.test", DecisionKind.Keep, Now.AddDays(-100), comment: null).Completed(Now.AddDays(-91));
        _check.Run(With(null, old)).ShouldFail("cloudflare", containing: "signed off by owner@acme.test on 2025-03-03, 91 days ago; reviews are due every 90 days");
        _check.Run(With(CheckOptions.Default with { ReviewInterval = TimeSpan.FromDays(180) }, old)).ShouldPass("cloudflare", containing: "within the review interval of 180 days");
    }

    [Fact]
    public void Is_never_unknown_or_skipped_for_lack_of_synced_data_because_its_evidence_is_vigils_own_review_record()
    {
        // Reviews are Vigil's own records, always readable: with no sync at all the check still answers pass or fail.
        var nothingSynced = new SnapshotBuilder().WithoutAccessSync().WithoutInfraSync().Build();
        var completed = Campaign().Decide("jane@acme.test", DecisionKind.Keep, Now.AddDays(-3), comment: null).Completed(Now.AddDays(-2));

        var passing = _check.Run(EvaluationContext.Create(nothingSynced, [], [], null, Now, null, reviews: new ReviewState([completed])));
        var failing = _check.Run(EvaluationContext.Create(nothingSynced, [], [], null, Now, null, reviews: new ReviewState([])));

        passing.ShouldPass("cloudflare", containing: "campaign camp-1");
        failing.ShouldFail("cloudflare", containing: "no Cloudflare access review has been completed");
        Assert.All(passing.Findings.Concat(failing.Findings), f => Assert.DoesNotContain(f.Status, new[] { FindingStatus.Unknown, FindingStatus.Skipped }));
    }

    [Fact]
    public void A_cancelled_campaign_or_one_never_signed_off_is_not_a_completed_review()
    {
        var decided = Campaign().Decide("jane@acme.test", DecisionKind.Keep, Now.AddDays(-3), comment: null);
        var cancelled = new ReviewCampaign(decided.Campaign with { Status = CampaignStatus.Cancelled }, decided.Items, decided.Decisions, decided.Verifications);
        var unsigned = new ReviewCampaign(decided.Campaign with { Status = CampaignStatus.Completed, SignOff = null }, decided.Items, decided.Decisions, decided.Verifications);

        _check.Run(With(null, cancelled)).ShouldFail("cloudflare", containing: "no Cloudflare access review has been completed");
        _check.Run(With(null, unsigned)).ShouldFail("cloudflare", containing: "no Cloudflare access review has been completed");
    }
}
