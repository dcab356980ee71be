using Vigil.Core.Checks;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks;

public sealed class CheckRunnerTests
{
    private static Finding F(FindingStatus status) => new(status, "zone", "z", "a", "shop.example", "reason", status == FindingStatus.Fail ? "fix" : null);

    [Theory]
    [InlineData(new[] { FindingStatus.Pass, FindingStatus.Fail, FindingStatus.Unknown }, CheckStatus.Fail)]
    [InlineData(new[] { FindingStatus.Pass, FindingStatus.Unknown, FindingStatus.Skipped }, CheckStatus.Unknown)]
    [InlineData(new[] { FindingStatus.Pass, FindingStatus.Skipped }, CheckStatus.Pass)]
    [InlineData(new[] { FindingStatus.Skipped }, CheckStatus.Pass)]
    [InlineData(new FindingStatus[0], CheckStatus.Unknown)]
    public void Status_is_fail_then_unknown_then_pass(FindingStatus[] statuses, CheckStatus expected)
    {
        Assert.Equal(expected, CheckRunner.StatusOf(statuses.Select(F).ToList()));
    }

    [Fact]
    public void Evaluates_every_catalogued_check_against_the_snapshot()
    {
        const string super = Vigil.Core.Checks.Access.SuperAdminsBounded.SuperAdminName;
        var snapshot = new SnapshotBuilder().Member("jane@acme.test", roles: [super]).Member("sam@acme.test", roles: [super])
            .Token("deploy", creator: "jane@acme.test")
            .DnsZone("shop.example", DnsSpec.Compliant("shop.example"), configure: s => s with { MinTlsVersion = "1.0" }).Build();
        var now = SnapshotBuilder.SyncedAt.AddHours(6);
        // Incremental syncs have read the account's audit log, so cloudflare.admin-changes-reviewed can vouch for it.
        snapshot = snapshot with { AuditLogRead = [new(SnapshotBuilder.DefaultAccountId, now.AddDays(-30), SnapshotBuilder.SyncedAt)] };
        // Access was reviewed (and signed off) recently, so cloudflare.access-reviewed passes too.
        var people = new[] { Active("jane@acme.test"), Active("sam@acme.test") };
        var review = Campaigns.Start(Context(snapshot, people))
            .Decide("jane@acme.test", Vigil.Core.Reviews.DecisionKind.Keep, now.AddDays(-2), comment: null)
            .Decide("sam@acme.test", Vigil.Core.Reviews.DecisionKind.Keep, now.AddDays(-2), comment: null).Completed(now.AddDays(-1));
        var evaluation = CheckRunner.Evaluate(EvaluationContext.Create(snapshot, people, [], Cloudflare("engineer"), now,
            reviews: new Vigil.Core.Reviews.ReviewState([review])));

        Assert.Equal(snapshot.Id, evaluation.SnapshotId);
        Assert.Equal(now, evaluation.EvaluatedAt);
        Assert.Equal(CheckCatalog.All.Select(c => c.Definition.Id), evaluation.Results.Select(r => r.CheckId));
        Assert.Equal(CheckStatus.Fail, evaluation.Results.Single(r => r.CheckId == "cloudflare.zone-min-tls-1-2").Status);
        Assert.All(evaluation.Results.Where(r => r.CheckId != "cloudflare.zone-min-tls-1-2"), r => Assert.Equal(CheckStatus.Pass, r.Status));
    }

    [Fact]
    public void A_check_that_throws_is_unknown_and_does_not_stop_the_others()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example").Build();
        var evaluation = CheckRunner.Evaluate(Context(snapshot), [new Throwing(), new Vigil.Core.Checks.Zones.ZoneDnssec()]);

        var broken = evaluation.Results[0];
        Assert.Equal(CheckStatus.Unknown, broken.Status);
        Assert.Contains("could not be evaluated", Assert.Single(broken.Findings).Reason);
        Assert.Equal(CheckStatus.Pass, evaluation.Results[1].Status);
    }

    [Fact]
    public void Evaluation_is_deterministic_for_the_same_snapshot()
    {
        var snapshot = new SnapshotBuilder().Member("x@y.test", twoFactor: null).Zone("a.example", s => s with { Ssl = "flexible" }).Build();
        var first = CheckRunner.Evaluate(Context(snapshot));
        var second = CheckRunner.Evaluate(Context(snapshot));

        Assert.Equal(first.Results.SelectMany(r => r.Findings), second.Results.SelectMany(r => r.Findings));
    }

    private sealed class Throwing : ICheck
    {
        public CheckDefinition Definition { get; } = new("cloudflare.throwing", "Throws", Severity.Low, "nothing", "none", [], DataNeeds.Zones);

        public IEnumerable<Finding> Evaluate(EvaluationContext context) => throw new InvalidOperationException("boom");
    }
}
