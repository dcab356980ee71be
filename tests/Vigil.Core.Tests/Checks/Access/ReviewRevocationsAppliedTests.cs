using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Reviews;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class ReviewRevocationsAppliedTests
{
    private readonly ReviewRevocationsApplied _check = new();

    private static ReviewCampaign Campaign() => Campaigns.Start(Context(new SnapshotBuilder()
        .Member("jane@acme.test", id: "m-jane").Member("sam@acme.test", id: "m-sam").Member("kim@acme.test", id: "m-kim").Build()));

    private static EvaluationContext At(DateTimeOffset now, ReviewCampaign campaign, CheckOptions? options = null, params string[] members)
    {
        var builder = new SnapshotBuilder();
        foreach (var email in members)
        {
            builder.Member(email, id: $"m-{email.Split('@')[0]}");
        }
        return EvaluationContext.Create(builder.ReadAt(now.AddMinutes(-5)).Build(), [], [], null, now, options, reviews: new ReviewState([campaign]));
    }

    [Fact]
    public void Fails_an_unverified_revocation_past_the_sla_and_passes_one_within_it()
    {
        var campaign = Campaign()
            .Decide("jane@acme.test", DecisionKind.Revoke, Now.AddDays(-8))
            .Decide("sam@acme.test", DecisionKind.Revoke, Now.AddDays(-1))
            .Decide("kim@acme.test", DecisionKind.Keep, Now.AddDays(-8), comment: null);

        var result = _check.Run(At(Now, campaign, null, "jane@acme.test", "sam@acme.test", "kim@acme.test"));

        var jane = result.ShouldFail("jane@acme.test", containing: "is not verified after 8 d 0 h; the SLA is 7 days");
        Assert.Contains("Remove jane@acme.test from account Acme", jane.Remediation);
        result.ShouldPass("sam@acme.test", containing: "pending removal, within the SLA of 7 days");
        Assert.DoesNotContain(result.Findings, f => f.Subject == "kim@acme.test");
    }

    [Fact]
    public void Zero_sla_fails_any_unverified_revocation_at_once()
    {
        var campaign = Campaign().Decide("sam@acme.test", DecisionKind.Revoke, Now.AddMinutes(-1));

        _check.Run(At(Now, campaign, CheckOptions.Default with { RevocationSla = TimeSpan.Zero }, "sam@acme.test"))
            .ShouldFail("sam@acme.test", containing: "the SLA is 0 days");
    }

    [Fact]
    public void Passes_a_verified_revocation_and_fails_a_reappeared_one()
    {
        var campaign = Campaign()
            .Decide("jane@acme.test", DecisionKind.Revoke, Now.AddDays(-10))
            .Decide("sam@acme.test", DecisionKind.Revoke, Now.AddDays(-10));
        campaign = campaign.Sync(new SnapshotBuilder().Member("kim@acme.test", id: "m-kim").ReadAt(Now.AddDays(-10).AddHours(3).AddMinutes(12)).Build(), Now.AddDays(-9));
        campaign = campaign.Sync(new SnapshotBuilder().Member("sam@acme.test", id: "m-sam").Member("kim@acme.test", id: "m-kim").ReadAt(Now.AddDays(-1)).Build(), Now.AddDays(-1));

        var result = _check.Run(At(Now, campaign, null, "sam@acme.test", "kim@acme.test"));

        result.ShouldPass("jane@acme.test", containing: "3 h 12 min after the decision");
        result.ShouldFail("sam@acme.test", containing: "was verified, then reappeared");
    }

    [Fact]
    public void Without_revocations_there_is_nothing_to_verify()
    {
        var result = _check.Run(At(Now, Campaign(), null, "sam@acme.test"));

        result.ShouldPassOverall();
        result.ShouldBeSkipped("cloudflare", containing: "nothing to verify");
    }

    [Fact]
    public void Stale_access_data_makes_it_unknown()
    {
        var campaign = Campaign().Decide("jane@acme.test", DecisionKind.Revoke, Now.AddDays(-8));
        var context = EvaluationContext.Create(new SnapshotBuilder().Member("jane@acme.test", id: "m-jane").ReadAt(Now.AddDays(-5)).Build(), [], [], null, Now,
            reviews: new ReviewState([campaign]));

        _check.Run(context).ShouldBeUnknown("jane@acme.test", containing: "older than 48 h");
    }
}
