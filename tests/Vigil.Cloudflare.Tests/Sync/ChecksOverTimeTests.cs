using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>
/// The demo company's checks that judge time between snapshots, which one sync cannot fail: two syncs of the demo under a
/// clock moved 15 days forward between them. cloudflare.zone-under-attack-not-permanent fails for acme-status.io (under
/// attack in both snapshots, more than 7 days apart) and cloudflare.invites-not-stale for the two pending invitations
/// (first seen 15 days before, the limit is 14); after the first sync both pass.
/// </summary>
public sealed class ChecksOverTimeTests
{
    private const string UnderAttack = "cloudflare.zone-under-attack-not-permanent";
    private const string Invites = "cloudflare.invites-not-stale";

    /// <summary>The system clock shifted by <see cref="Offset"/>: timers and delays stay real, so pacing and retries work as they do.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    [Fact]
    public async Task Two_demo_syncs_15_days_apart_fail_the_under_attack_and_stale_invitation_checks_that_the_first_passed()
    {
        var clock = new ShiftedClock();
        await using var sim = await TestScenario.StartAsync(Scenario.Demo());
        using var host = new TestHost(sim.BaseUrl, time: clock);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("acme", sim.BaseUrl), new Secret(DemoCredentials.ReadAllToken), CancellationToken.None);

        var first = await SyncAndEvaluateAsync(host, clock);
        first[UnderAttack].ShouldHave("acme-status.io", FindingStatus.Pass, "first seen on");
        Assert.DoesNotContain(first[UnderAttack].Findings, f => f.Status == FindingStatus.Fail);
        first[Invites].ShouldHave("noah.kim@acme-analytics.io", FindingStatus.Pass, "0 days ago");
        first[Invites].ShouldHave("mei.lin@acme-analytics.io", FindingStatus.Pass, "0 days ago");
        Assert.DoesNotContain(first[Invites].Findings, f => f.Status == FindingStatus.Fail);

        clock.Offset = TimeSpan.FromDays(15);
        var second = await SyncAndEvaluateAsync(host, clock);

        Assert.Equal(CheckStatus.Fail, second[UnderAttack].Status);
        var attack = Assert.Single(second[UnderAttack].Findings, f => f.Status == FindingStatus.Fail);
        Assert.Equal("acme-status.io", attack.Subject);
        Assert.Contains("15 days", attack.Reason);
        Assert.Equal(CheckStatus.Fail, second[Invites].Status);
        Assert.Equal(["mei.lin@acme-analytics.io", "noah.kim@acme-analytics.io"],
            second[Invites].Findings.Where(f => f.Status == FindingStatus.Fail).Select(f => f.Subject).Order(StringComparer.Ordinal));
        Assert.All(second[Invites].Findings.Where(f => f.Status == FindingStatus.Fail), f => Assert.Contains("15 days ago", f.Reason));
    }

    private static async Task<Dictionary<string, CheckResult>> SyncAndEvaluateAsync(TestHost host, TimeProvider clock)
    {
        var run = await host.Sync.RunAsync(new SyncRequest(ConnectionPurpose.Both, "test"), null, null, CancellationToken.None);
        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        var snapshot = (await host.Store.LoadCurrentSnapshotAsync(CancellationToken.None))!;
        var evaluation = CheckRunner.Evaluate(EvaluationContext.Create(snapshot, [], [], null, clock.GetUtcNow()));
        return evaluation.Results.ToDictionary(r => r.CheckId);
    }
}

internal static class CheckResultAssertions
{
    public static void ShouldHave(this CheckResult result, string subject, FindingStatus status, string containing)
    {
        var finding = Assert.Single(result.Findings, f => f.Subject == subject);
        Assert.Equal(status, finding.Status);
        Assert.Contains(containing, finding.Reason);
    }
}
