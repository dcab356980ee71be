using Vigil.Core.Storage;
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

    [Fact]
    public async Task An_evaluation_with_a_retired_check_still_reads_back()
    {
        // cloudflare.zone-security-level left the catalogue; evaluations stored before keep its results under its id.
        Assert.Contains("cloudflare.zone-security-level", CheckCatalog.Retired);
        Assert.Null(CheckCatalog.Find("cloudflare.zone-security-level"));
        await using var store = await OpenAsync();
        var old = new Evaluation("run-old", Sample.Start,
        [
            new CheckResult("cloudflare.zone-security-level", CheckStatus.Fail,
                [new Finding(FindingStatus.Fail, "zone", "z-1", "acc-1", "shop.example", "zone shop.example has security level essentially_off", "Raise it.")]),
            new CheckResult("cloudflare.zone-ssl-strict", CheckStatus.Pass, []),
        ]);
        await store.Evaluations.SaveEvaluationAsync(old, Ct);

        Sample.AssertDeepEqual(old, await store.Evaluations.LoadLatestEvaluationAsync("run-old", Ct));
    }
}

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Every_evaluation_streams_back_oldest_first_and_only_for_its_organisation()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        Assert.Empty(await store.StreamEvaluationsAsync(Ct).ToListAsync(Ct));

        Evaluation At(string snapshot, int minutes, CheckStatus status, FindingStatus finding) => new(snapshot, Sample.Start.AddMinutes(minutes),
            [new CheckResult("cloudflare.zone-min-tls-1-2", status, [new Finding(finding, "zone", "z-1", "acc-1", "shop.example", $"zone shop.example {finding}", null)])],
            new DataFreshness(new StageFreshness(Sample.Start, null), new StageFreshness(null, "infra failed")));
        var first = At("run-1", 0, CheckStatus.Fail, FindingStatus.Fail);
        var second = At("run-2", 10, CheckStatus.Pass, FindingStatus.Pass);
        var third = At("run-1", 20, CheckStatus.Pass, FindingStatus.Pass); // a re-evaluation of an older snapshot comes after, as stored
        foreach (var evaluation in new[] { first, second, third })
        {
            await store.SaveEvaluationAsync(evaluation, Ct);
        }
        var other = store.ForOrganisation(await store.AddOrganisationAsync("Other", Sample.Start, Ct));
        await other.SaveEvaluationAsync(At("run-x", 5, CheckStatus.Fail, FindingStatus.Fail), Ct);

        var streamed = await store.StreamEvaluationsAsync(Ct).ToListAsync(Ct);
        Assert.Equal(3, streamed.Count);
        Sample.AssertDeepEqual(first, streamed[0]);
        Sample.AssertDeepEqual(second, streamed[1]);
        Sample.AssertDeepEqual(third, streamed[2]);
        Assert.Equal(["run-x"], (await other.StreamEvaluationsAsync(Ct).ToListAsync(Ct)).Select(e => e.SnapshotId));
        await other.DisposeAsync();
    }
}

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Evaluation_summaries_list_the_newest_per_snapshot_with_its_failing_count_newest_first()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        Assert.Empty(await store.ListEvaluationSummariesAsync(30, Ct));

        static Finding Fail(string id) => new(FindingStatus.Fail, "zone", id, "acc-1", id + ".example", "fails", null);
        Evaluation At(string snapshot, int minutes, int failing) => new(snapshot, Sample.Start.AddMinutes(minutes),
        [
            new CheckResult("cloudflare.zone-min-tls-1-2", failing > 0 ? CheckStatus.Fail : CheckStatus.Pass,
                [.. Enumerable.Range(0, failing).Select(i => Fail("z" + i)), new Finding(FindingStatus.Pass, "zone", "ok", "acc-1", "ok.example", "passes", null)]),
            new CheckResult("cloudflare.member-2fa-enabled", CheckStatus.Fail, [Fail("m")]),
        ]);
        await store.SaveEvaluationAsync(At("run-1", 0, 3), Ct);
        await store.SaveEvaluationAsync(At("run-2", 10, 5), Ct);
        await store.SaveEvaluationAsync(At("run-2", 11, 0), Ct);
        await store.SaveEvaluationAsync(At("run-3", 20, 2), Ct);
        var other = store.ForOrganisation(await store.AddOrganisationAsync("Other Corp", Sample.Start, Ct));
        await using (other)
        {
            await other.SaveEvaluationAsync(At("run-9", 30, 7), Ct);
        }

        var summaries = await store.ListEvaluationSummariesAsync(30, Ct);
        Assert.Equal(
            [new EvaluationSummary("run-3", Sample.Start.AddMinutes(20), 3), new EvaluationSummary("run-2", Sample.Start.AddMinutes(11), 1), new EvaluationSummary("run-1", Sample.Start, 4)],
            summaries);
        Assert.Equal(["run-3", "run-2"], (await store.ListEvaluationSummariesAsync(2, Ct)).Select(s => s.SnapshotId));
    }
}
