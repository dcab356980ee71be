using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests;

/// <summary>No credential value may appear in logs, exception messages, reasons, evidence or any ToString.</summary>
public sealed class SecretLeakTests
{
    private static readonly string[] Secrets =
    [
        TestScenario.ReadAll, TestScenario.Revocable, TestScenario.AccountToken, TestScenario.Expired, TestScenario.IpRestricted,
        TestScenario.NoDnsRead, TestScenario.GlobalKey, "cfk_wrong_key_value", "cfut_unknown_token_value",
    ];

    [Fact]
    public async Task No_secret_appears_anywhere_a_person_or_a_log_can_see()
    {
        await using var sim = await TestScenario.StartAsync(TestScenario.Build((2, 8, 6)));
        using var host = new TestHost(sim.BaseUrl);
        var seen = new List<string>();

        foreach (var credential in new[]
        {
            CloudflareCredential.UserToken(new Secret(TestScenario.ReadAll)),
            CloudflareCredential.UserToken(new Secret(TestScenario.AccountToken)),
            CloudflareCredential.UserToken(new Secret(TestScenario.Expired)),
            CloudflareCredential.UserToken(new Secret(TestScenario.IpRestricted)),
            CloudflareCredential.UserToken(new Secret(TestScenario.NoDnsRead)),
            CloudflareCredential.UserToken(new Secret("cfut_unknown_token_value")),
            CloudflareCredential.GlobalKey(TestScenario.GlobalKeyEmail, new Secret(TestScenario.GlobalKey)),
            CloudflareCredential.GlobalKey(TestScenario.GlobalKeyEmail, new Secret("cfk_wrong_key_value")),
        })
        {
            seen.Add(credential.ToString());
            seen.Add($"{credential}");
            var report = await host.Preflight.RunAsync(new PreflightRequest(credential, sim.BaseUrl, ConnectionPurpose.Both, null), CancellationToken.None);
            seen.Add(report.ToString());
            seen.Add(report.Summary);
            seen.AddRange(report.Problems.Select(p => p.ToString()));
            seen.AddRange(report.Probes.Select(p => p.ToString()));
            try
            {
                await host.Client.GetUserAsync(new ApiSession(sim.BaseUrl, credential), CancellationToken.None);
            }
            catch (CloudflareApiException ex)
            {
                seen.Add(ex.ToString());
            }
        }

        var connection = InMemoryConnectionStore.NewConnection("main", sim.BaseUrl);
        await host.Connections.SaveAsync(connection, new Secret(TestScenario.Revocable), CancellationToken.None);
        sim.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, PathPattern = "/dnssec$", Times = 2 });
        sim.Faults.Add(new FaultRule { Kind = FaultKind.MalformedJson, PathPattern = "/roles$", Times = 1 });
        var runs = new List<SyncRun> { await host.Sync.RunAsync() };
        runs.Add(await host.Sync.RunAsync(progress: new ProgressSpy(p =>
        {
            if (p.ZonesDone == 1)
            {
                sim.RevokeToken(TestScenario.Revocable);
            }
        })));
        foreach (var run in runs)
        {
            seen.Add(run.ToString());
            seen.Add(run.Reason ?? "");
            seen.AddRange(run.Stages.Select(s => s.ToString()));
            seen.AddRange(run.Skipped.Select(g => g.ToString()));
        }
        var access = host.Store.Access[connection.Id].Data;
        seen.AddRange(access.Evidence.Select(e => e.Request + e.Body));
        seen.AddRange(host.Logs.Lines);

        Assert.Contains(ConnectionProblems.InvalidToken.Message, runs[1].Reason); // the revocation was noticed
        Assert.True(host.Logs.Lines.Count > 10);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(seen, text => text.Contains(secret, StringComparison.Ordinal));
        }
    }
}
