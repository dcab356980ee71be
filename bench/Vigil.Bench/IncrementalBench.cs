using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Cloudflare;
using Vigil.Cloudflare.Sync;
using Vigil.Core;
using Vigil.Core.Storage;
using Vigil.Core.Sync;
using Vigil.Simulation;
using Vigil.Storage;

namespace Vigil.Bench;

/// <summary>
/// <c>--incremental [--size large|medium|quick]</c>: a full sync of the organisation, then 20 logged zone changes and 10
/// logged membership changes, then an incremental sync one (simulated) hour after the full one, at the default
/// max_resource_age_hours (24, so its freshness refresh is included). Reports API calls, wall time and share of the budget
/// beside the full sync. Target (issue 21): under 60 s and under 5% of the full sync's calls.
/// </summary>
internal static class IncrementalBench
{
    /// <summary>System time shifted by an offset the bench moves forward: "one hour later" without waiting an hour. Timers and timestamps stay real.</summary>
    private sealed class ShiftedTime : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var size = args.SkipWhile(a => a != "--size").Skip(1).FirstOrDefault() ?? "large";
        var (accounts, members, zones) = size switch
        {
            "large" => (20, 10_000, 2_000),
            "medium" => (5, 2_000, 400),
            "quick" => (2, 100, 40),
            _ => throw new ArgumentException($"--size must be large, medium or quick for --incremental, got '{size}'"),
        };
        var time = new ShiftedTime();
        var scenario = ScenarioGenerator.Generate(accounts, members, zones);
        // The large case's Enterprise-style limit (bench/README.md): 12,000 per 60 s, Vigil's half of it as its budget.
        await using var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions
        {
            RateLimitRequests = 12_000,
            RateLimitWindow = TimeSpan.FromSeconds(60),
            PerIpRequestsPerSecond = 0,
            TimeProvider = time,
        }, ct);
        var home = Directory.CreateTempSubdirectory("vigil-bench-incremental-").FullName;
        try
        {
            await using var store = await VigilDatabase.OpenAsync(Environment.GetEnvironmentVariable(VigilDatabase.EnvironmentVariable), home, time, ct);
            var now = time.GetUtcNow();
            await store.SaveAsync(new Connection(Guid.NewGuid().ToString("N"), "bench", ConnectionPurpose.Both, sim.BaseUrl, null, CredentialKind.UserToken, null, now, now, null,
                new HashSet<string>()), new Secret(ScenarioGenerator.AllReadToken), ct);
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton<IConnectionStore>(store);
            services.AddSingleton<ISyncStore>(store);
            services.AddVigilCloudflare(o =>
            {
                o.BaseUrl = sim.BaseUrl;
                o.BudgetRequests = 6_000;
                o.BudgetWindow = TimeSpan.FromSeconds(60);
                o.MaxRequestsPerSecond = 200;
                o.MaxConcurrency = 8;
            });
            await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
            var sync = provider.GetRequiredService<SyncService>();

            Console.WriteLine($"incremental/{size}: {accounts} accounts, {members:N0} members, {zones:N0} zones");
            var (full, fullTime) = await MeasureAsync(sync, new SyncRequest(ConnectionPurpose.Both, "bench"), ct);
            Console.WriteLine($"  full sync                    {full.Status,-9} {full.Counts.ApiCalls,7:N0} calls  {fullTime.TotalSeconds,7:0.0} s");

            // 30 minutes later: 20 logged zone changes and 10 logged membership changes, spread over the accounts.
            time.Offset += TimeSpan.FromMinutes(30);
            var active = scenario.Accounts.SelectMany(a => a.Zones).Where(z => z.Status == "active" && !z.Paused).ToList();
            for (var i = 0; i < 20; i++)
            {
                var zone = active[i * active.Count / 20];
                sim.SetZoneSetting(zone.Id, "ssl", zone.Settings.Ssl == "flexible" ? "strict" : "flexible");
            }
            for (var i = 0; i < 10; i++)
            {
                var account = scenario.Accounts[i * scenario.Accounts.Count / 10];
                var member = account.Members[i + 1];
                switch (i % 3)
                {
                    case 0:
                        sim.RemoveMember(account.Id, member.Id, log: true);
                        break;
                    case 1:
                        sim.SetMemberRoles(account.Id, member.Id, [account.Roles[0].Id]);
                        break;
                    default:
                        var id = $"{i:x2}{member.Id[2..]}";
                        sim.AddMember(account.Id, new ScenarioMember { Id = id, User = new MemberUser { Id = id, Email = $"bench-new-{i}@example.com" }, Roles = [account.Roles[0].Id] }, log: true);
                        break;
                }
            }
            time.Offset += TimeSpan.FromMinutes(30);

            var (incremental, incrementalTime) = await MeasureAsync(sync, new SyncRequest(ConnectionPurpose.Both, "bench"), ct);
            var mode = incremental.Stages.All(s => s.Read?.Mode == StageReadMode.Incremental) ? "incremental" : "full";
            var share = 100.0 * incremental.Counts.ApiCalls / Math.Max(1, full.Counts.ApiCalls);
            Console.WriteLine($"  incremental sync 1 h later   {incremental.Status,-9} {incremental.Counts.ApiCalls,7:N0} calls  {incrementalTime.TotalSeconds,7:0.0} s  ({mode})");
            Console.WriteLine($"    log entries read: {incremental.Stages.Sum(s => s.Read?.LogEntries ?? 0)}; re-read: " +
                string.Join(", ", incremental.Stages.SelectMany(s => s.Read?.ReRead ?? []).Select(r => $"{r.Count} {r.ResourceType} ({r.Why})")));
            foreach (var fallback in incremental.Stages.SelectMany(s => s.Read?.Fallbacks ?? []))
            {
                Console.WriteLine($"    fallback: {fallback}");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  share of a full sync's calls  {share:0.00}% (target < 5%): {(share < 5 ? "PASS" : "FAIL")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  incremental wall time         {incrementalTime.TotalSeconds:0.0} s (target < 60 s): {(incrementalTime < TimeSpan.FromSeconds(60) ? "PASS" : "FAIL")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  share of Cloudflare's 1,200 calls / 5 min: incremental {100.0 * incremental.Counts.ApiCalls / 1200:0}%, full {100.0 * full.Counts.ApiCalls / 1200:0}%"));
            return share < 5 && incrementalTime < TimeSpan.FromSeconds(60) && incremental.Status == SyncStatus.Complete ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // A SQLite file still held by a pool: the temp directory is left to the system.
            }
        }
    }

    private static async Task<(SyncRun Run, TimeSpan Elapsed)> MeasureAsync(SyncService sync, SyncRequest request, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var run = await sync.RunAsync(request, null, null, ct);
        return (run, clock.Elapsed);
    }
}
