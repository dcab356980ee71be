using Vigil.Core.Checks;

namespace Vigil.Storage.Tests.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task An_evaluation_round_trips_and_the_latest_one_per_snapshot_wins()
    {
        await using var store = await OpenAsync();
        var first = new Evaluation("run-1", Sample.Start,
        [
            new CheckResult("zone_min_tls_secure", CheckStatus.Fail,
            [
                new Finding(FindingStatus.Fail, "zone", "z-1", "acc-1", "shop.example", "zone shop.example accepts TLS 1.0; minimum is 1.2",
                    "Set Minimum TLS Version to 1.2 in SSL/TLS > Edge Certificates."),
                new Finding(FindingStatus.Skipped, "zone", "z-2", "acc-1", "paused.example", "zone paused.example is paused", null),
            ]),
            new CheckResult("member_two_factor", CheckStatus.Unknown,
                [new Finding(FindingStatus.Unknown, "member", "m-2", null, "invitee@example.com", "2FA not reported", null)]),
        ]);
        await store.Evaluations.SaveEvaluationAsync(first, Ct);
        Sample.AssertDeepEqual(first, await store.Evaluations.LoadLatestEvaluationAsync("run-1", Ct));

        var second = first with { EvaluatedAt = Sample.Start.AddMinutes(5), Results = [new CheckResult("zone_min_tls_secure", CheckStatus.Pass, [])] };
        await store.Evaluations.SaveEvaluationAsync(second, Ct);

        Sample.AssertDeepEqual(second, await store.Evaluations.LoadLatestEvaluationAsync("run-1", Ct));
        Assert.Null(await store.Evaluations.LoadLatestEvaluationAsync("run-2", Ct));
    }
}
