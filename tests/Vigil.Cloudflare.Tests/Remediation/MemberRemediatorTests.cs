using Microsoft.Extensions.Options;
using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Remediation;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Remediation;

/// <summary>
/// Member writes are made once: unlike reads, a 5xx, a dropped connection or a 429 is answered, recorded by the caller
/// and never retried (a write may have been applied; a 429 asks to wait), and a 429 does not freeze later calls.
/// </summary>
public sealed class MemberRemediatorTests
{
    private const string JordanMemberId = "6e3f3880cebaa07367a1f4781ddfc04a";
    private static readonly CloudflareCredential Writer = CloudflareCredential.UserToken(new Secret(DemoCredentials.RemediateToken));

    [Theory]
    [InlineData(FaultKind.ServerError, "HTTP 500")]
    [InlineData(FaultKind.DropConnection, "may or may not have been made")]
    public async Task A_failed_write_is_reported_once_and_not_retried(FaultKind fault, string explained)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var host = new TestHost(sim.BaseUrl);
        sim.Faults.Add(FaultRule.Next(1, fault, "/members/", "DELETE"));

        var result = await Remediator(host, sim).RemoveAsync(Writer, sim.BaseUrl, DemoCredentials.ProductionAccountId, JordanMemberId, CancellationToken.None);

        Assert.Equal(MemberWriteOutcome.Failed, result.Outcome);
        Assert.Contains(explained, result.Explanation);
        Assert.Contains("not retried", result.Explanation);
        Assert.Single(sim.Stats.Requests, r => r.StartsWith("DELETE ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_is_reported_with_its_wait_not_retried_and_does_not_hold_up_the_next_call()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var host = new TestHost(sim.BaseUrl);
        sim.Faults.Add(new FaultRule { Kind = FaultKind.RateLimited, Method = "DELETE", PathPattern = "/members/", Times = 1, RetryAfter = TimeSpan.FromSeconds(120) });
        var remediator = Remediator(host, sim);

        var limited = await remediator.RemoveAsync(Writer, sim.BaseUrl, DemoCredentials.ProductionAccountId, JordanMemberId, CancellationToken.None);
        Assert.Equal((MemberWriteOutcome.RateLimited, 429), (limited.Outcome, limited.HttpStatus!.Value));
        Assert.Contains("after 120 s", limited.Explanation);
        Assert.Single(sim.Stats.Requests, r => r.StartsWith("DELETE ", StringComparison.Ordinal));

        // Asked again by a person: made at once (no 120 s freeze of the budget), and applied.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var applied = await remediator.RemoveAsync(Writer, sim.BaseUrl, DemoCredentials.ProductionAccountId, JordanMemberId, CancellationToken.None);
        Assert.Equal(MemberWriteOutcome.Applied, applied.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the second call waited {clock.Elapsed}");
        var gone = await remediator.RemoveAsync(Writer, sim.BaseUrl, DemoCredentials.ProductionAccountId, JordanMemberId, CancellationToken.None);
        Assert.Equal((MemberWriteOutcome.NotFound, 404), (gone.Outcome, gone.HttpStatus!.Value));
    }

    [Fact]
    public async Task Preflight_for_remediation_names_the_missing_write_permission_and_changes_nothing()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var host = new TestHost(sim.BaseUrl);
        var members = sim.Scenario.Accounts.Sum(a => a.Members.Count);

        var read = await host.Preflight.RunAsync(
            new PreflightRequest(CloudflareCredential.UserToken(new Secret(DemoCredentials.ReadAllToken)), sim.BaseUrl, ConnectionPurpose.Remediate, null), CancellationToken.None);
        Assert.False(read.IsReady(ConnectionPurpose.Remediate));
        Assert.Equal([CloudflarePermissions.AccountSettingsWrite], read.MissingPermissions);

        var write = await host.Preflight.RunAsync(new PreflightRequest(Writer, sim.BaseUrl, ConnectionPurpose.Remediate, null), CancellationToken.None);
        Assert.True(write.IsReady(ConnectionPurpose.Remediate));
        Assert.Equal(members, sim.Scenario.Accounts.Sum(a => a.Members.Count));
        Assert.All(sim.Stats.Requests.Where(r => r.StartsWith("DELETE ", StringComparison.Ordinal)), r => Assert.EndsWith("/members/00000000000000000000000000000000", r));
    }

    private static MemberRemediator Remediator(TestHost host, CloudflareSimulator sim) =>
        new(host.Client, Options.Create(new CloudflareOptions { BaseUrl = sim.BaseUrl }));
}
