using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Cloudflare;
using Vigil.Cloudflare.Sync;
using Vigil.Core;
using Vigil.Core.Checks;
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

            var previous = (await store.LoadCurrentSnapshotAsync(ct))!;

            // 30 minutes later: 20 logged zone changes and 10 logged membership changes, spread over the accounts.
            time.Offset += TimeSpan.FromMinutes(30);
            var active = scenario.Accounts.SelectMany(a => a.Zones).Where(z => z.Status == "active" && !z.Paused).ToList();
            var changedZones = new HashSet<string>(StringComparer.Ordinal);
            var changedAccounts = new HashSet<string>(StringComparer.Ordinal);
            var logEntries = scenario.Accounts.ToDictionary(a => a.Id, _ => 0, StringComparer.Ordinal);
            for (var i = 0; i < 20; i++)
            {
                var zone = active[i * active.Count / 20];
                sim.SetZoneSetting(zone.Id, "ssl", zone.Settings.Ssl == "flexible" ? "strict" : "flexible");
                changedZones.Add(zone.Id);
                logEntries[scenario.Accounts.First(a => a.Zones.Contains(zone)).Id]++;
            }
            for (var i = 0; i < 10; i++)
            {
                var account = scenario.Accounts[i * scenario.Accounts.Count / 10];
                changedAccounts.Add(account.Id);
                logEntries[account.Id]++;
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

            // What the incremental sync must re-read, by the freshness rule itself, and the calls the plan gives for it.
            var maxAge = TimeSpan.FromHours(24);
            var expected = Expected(scenario, previous, full, changedZones, changedAccounts, logEntries, time.GetUtcNow(), maxAge);
            var planned = SelectedSyncPlan.Incremental(SyncBound.PlanOf(scenario), CheckCatalog.All, batchSettingsAvailable: true, expected.Reads);

            var (incremental, incrementalTime) = await MeasureAsync(sync, new SyncRequest(ConnectionPurpose.Both, "bench"), ct);
            var mode = incremental.Stages.All(s => s.Read?.Mode == StageReadMode.Incremental) ? "incremental" : "full";
            var share = 100.0 * incremental.Counts.ApiCalls / Math.Max(1, full.Counts.ApiCalls);
            Console.WriteLine($"  incremental sync 1 h later   {incremental.Status,-9} {incremental.Counts.ApiCalls,7:N0} calls  {incrementalTime.TotalSeconds,7:0.0} s  ({mode})");
            // Both stages read the same accounts' logs (one read per account, shared): the entries of one stage are the run's.
            var entriesRead = incremental.Stages.Max(s => s.Read?.LogEntries ?? 0);
            Console.WriteLine($"    log entries read: {entriesRead}; re-read: " +
                string.Join(", ", incremental.Stages.SelectMany(s => s.Read?.ReRead ?? []).Select(r => $"{r.Count} {r.ResourceType} ({r.Why})")));
            var planHolds = planned.Total == incremental.Counts.ApiCalls && entriesRead == logEntries.Values.Sum();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  incremental plan (SyncCallPlan.Incremental): {planned.Total:N0} calls ({planned.Access:N0} access and audit log + {planned.Infra:N0} infra) for " +
                $"{expected.Reads.ZonesReRead.Count} zones ({expected.FreshZones} for freshness), {expected.Reads.AccessAccountsInFull.Count} accounts' access data in full " +
                $"({expected.FreshAccounts} for freshness), {expected.Reads.AccountsReRead.Count} accounts' rulesets, {logEntries.Values.Sum()} log entries: " +
                $"{(planHolds ? "equals the measured count" : $"MISMATCH (measured {incremental.Counts.ApiCalls:N0} calls, {entriesRead} entries)")}"));
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
            Project(scenario, previous, full, maxAge);
            return share < 5 && incrementalTime < TimeSpan.FromSeconds(60) && incremental.Status == SyncStatus.Complete && planHolds ? 0 : 1;
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

    /// <summary>What the incremental sync re-reads, for the plan: the logged changes, and what the freshness rule makes due.</summary>
    private sealed record ExpectedReads(PlannedIncremental Reads, int FreshZones, int FreshAccounts);

    private static ExpectedReads Expected(Scenario scenario, Snapshot previous, SyncRun full, IReadOnlySet<string> changedZones, IReadOnlySet<string> changedAccounts,
        IReadOnlyDictionary<string, int> logEntries, DateTimeOffset now, TimeSpan maxAge)
    {
        var access = full.Stages.Single(s => s.Stage == SyncStageKind.Access);
        var infra = full.Stages.Single(s => s.Stage == SyncStageKind.Infra);
        var accessObserved = access.Read!.AccountsObservedAt!;
        var freshAccounts = FreshnessRule.Due([.. scenario.Accounts.Where(a => !changedAccounts.Contains(a.Id)).Select(a => (a.Id, accessObserved[a.Id]))],
            now - access.CommittedAt!.Value, maxAge, now);
        var inFull = changedAccounts.Concat(freshAccounts).ToHashSet(StringComparer.Ordinal);

        var monitored = scenario.Accounts.SelectMany(a => a.Zones.Where(z => z.Status == "active" && !z.Paused).Select(z => (Account: a, Zone: z))).ToList();
        var zoneObserved = previous.Zones.ToDictionary(z => z.Id, z => z.ObservedAt ?? previous.InfraSyncedAt!.Value, StringComparer.Ordinal);
        var freshZones = FreshnessRule.Due([.. monitored.Where(m => !changedZones.Contains(m.Zone.Id)).Select(m => (m.Zone.Id, zoneObserved[m.Zone.Id]))],
            now - infra.CommittedAt!.Value, maxAge, now);
        var reRead = changedZones.Concat(freshZones).ToHashSet(StringComparer.Ordinal);
        var infraObserved = infra.Read!.AccountsObservedAt!;
        var owners = monitored.Select(m => m.Account).Distinct().ToList();
        var accountsReRead = FreshnessRule.Due([.. owners.Select(a => (a.Id, infraObserved[a.Id]))], now - infra.CommittedAt!.Value, maxAge, now)
            .ToHashSet(StringComparer.Ordinal);

        var plan = SyncBound.PlanOf(scenario); // its monitored zones come in the same order as `monitored`
        var zones = plan.MonitoredZones.Where((_, i) => reRead.Contains(monitored[i].Zone.Id)).ToList();
        var weighed = ScenarioRulesetReads.ManagedRulesetsWeighedBy(monitored.Where(m => reRead.Contains(m.Zone.Id)).Select(m => m.Zone),
            owners.Where(a => accountsReRead.Contains(a.Id)));
        var reads = new PlannedIncremental([.. scenario.Accounts.Select(a => logEntries[a.Id])],
            [.. scenario.Accounts.Select((a, i) => (a, i)).Where(x => inFull.Contains(x.a.Id)).Select(x => x.i)], zones, accountsReRead, weighed);
        return new ExpectedReads(reads, freshZones.Count, freshAccounts.Count);
    }

    /// <summary>
    /// The steady state by the plan (no sync is run): hourly incremental syncs for three days after the full one, each after
    /// 20 zone changes and 10 membership changes (random zones and accounts, logged), with the freshness rule choosing the
    /// rest. Prints the calls per sync (mean and highest, from the second day on, and the highest of the first day) as a
    /// share of the full sync, and the oldest row ever left.
    /// </summary>
    private static void Project(Scenario scenario, Snapshot previous, SyncRun full, TimeSpan maxAge)
    {
        var random = new Random(21);
        var start = full.Stages.Max(s => s.CommittedAt!.Value);
        var plan = SyncBound.PlanOf(scenario);
        var monitored = scenario.Accounts.SelectMany(a => a.Zones.Where(z => z.Status == "active" && !z.Paused).Select(z => (Account: a, Zone: z))).ToList();
        var zoneRead = monitored.ToDictionary(m => m.Zone.Id, _ => start, StringComparer.Ordinal);
        var accessRead = scenario.Accounts.ToDictionary(a => a.Id, _ => start, StringComparer.Ordinal);
        var owners = monitored.Select(m => m.Account).Distinct().ToList();
        var rulesetsRead = owners.ToDictionary(a => a.Id, _ => start, StringComparer.Ordinal);
        var perSync = new List<int>();
        var oldest = TimeSpan.Zero;
        for (var hour = 1; hour <= 72; hour++)
        {
            var now = start + TimeSpan.FromHours(hour);
            var elapsed = TimeSpan.FromHours(1);
            var changedZones = Enumerable.Range(0, 20).Select(_ => monitored[random.Next(monitored.Count)].Zone.Id).ToHashSet(StringComparer.Ordinal);
            var changedAccounts = Enumerable.Range(0, 10).Select(_ => scenario.Accounts[random.Next(scenario.Accounts.Count)].Id).ToHashSet(StringComparer.Ordinal);
            var zones = changedZones.Concat(FreshnessRule.Due([.. zoneRead.Where(z => !changedZones.Contains(z.Key)).Select(z => (z.Key, z.Value))], elapsed, maxAge, now))
                .ToHashSet(StringComparer.Ordinal);
            var accounts = changedAccounts.Concat(FreshnessRule.Due([.. accessRead.Where(a => !changedAccounts.Contains(a.Key)).Select(a => (a.Key, a.Value))], elapsed, maxAge, now))
                .ToHashSet(StringComparer.Ordinal);
            var rulesets = FreshnessRule.Due([.. rulesetsRead.Select(a => (a.Key, a.Value))], elapsed, maxAge, now).ToHashSet(StringComparer.Ordinal);
            var reads = new PlannedIncremental([.. scenario.Accounts.Select(_ => 1)],
                [.. scenario.Accounts.Select((a, i) => (a, i)).Where(x => accounts.Contains(x.a.Id)).Select(x => x.i)],
                [.. plan.MonitoredZones.Where((_, i) => zones.Contains(monitored[i].Zone.Id))], rulesets,
                ScenarioRulesetReads.ManagedRulesetsWeighedBy(monitored.Where(m => zones.Contains(m.Zone.Id)).Select(m => m.Zone), owners.Where(a => rulesets.Contains(a.Id))));
            perSync.Add(SelectedSyncPlan.Incremental(plan, CheckCatalog.All, batchSettingsAvailable: true, reads).Total);
            foreach (var id in zones)
            {
                zoneRead[id] = now;
            }
            foreach (var id in accounts)
            {
                accessRead[id] = now;
            }
            foreach (var id in rulesets)
            {
                rulesetsRead[id] = now;
            }
            oldest = new[] { oldest, now - zoneRead.Values.Min(), now - accessRead.Values.Min(), now - rulesetsRead.Values.Min() }.Max();
        }
        var steady = perSync.Skip(24).ToList();
        var fullCalls = (double)full.Counts.ApiCalls;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  projected by the plan, hourly syncs with 20 zone + 10 membership changes each: first day highest {perSync.Take(24).Max():N0} calls ({100 * perSync.Take(24).Max() / fullCalls:0.0}%); " +
            $"days 2-3 mean {steady.Average():N0} ({100 * steady.Average() / fullCalls:0.0}%), highest {steady.Max():N0} ({100 * steady.Max() / fullCalls:0.0}%); " +
            $"oldest row after any sync {oldest.TotalHours:0.#} h (max {maxAge.TotalHours:0} h)"));
    }
}
