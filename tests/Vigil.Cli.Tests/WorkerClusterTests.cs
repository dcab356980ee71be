using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Vigil.Core;
using Vigil.Core.Organisations;
using Vigil.Core.Sync;
using Vigil.Simulation;
using Vigil.Storage;

namespace Vigil.Cli.Tests;

/// <summary>
/// Issue 19: 'vigil worker' processes on one PostgreSQL run the syncs of many organisations through Quartz's clustered
/// job store: each organisation once per enqueue even when a worker is SIGKILLed mid-sync, within each Cloudflare
/// credential's budget across workers, with /health and /metrics; 'vigil sync --enqueue' and 'vigil runs --all-orgs'.
/// </summary>
public sealed partial class WorkerClusterTests
{
    [Fact]
    public async Task Worker_and_enqueue_refuse_on_sqlite_with_what_to_do_instead()
    {
        using var cli = new CliProcess();
        var worker = (await cli.RunAsync("worker")).ShouldExit(1);
        Assert.Contains("needs the PostgreSQL database", worker.Stderr);
        Assert.Contains("vigil serve", worker.Stderr);
        var enqueue = (await cli.RunAsync("sync", "--enqueue")).ShouldExit(1);
        Assert.Contains("VIGIL_DATABASE", enqueue.Stderr);
        Assert.Contains("vigil sync", enqueue.Stderr);
        (await cli.RunAsync("sync", "--all-orgs")).ShouldExit(2);
    }

    [Fact]
    public async Task Three_workers_sync_fifty_organisations_once_each_though_one_is_killed_mid_sync()
    {
        const int organisations = 50;
        var tokens = Enumerable.Range(1, organisations).Select(i => $"cfut_ClusterTestToken{i:D2}xQ7mV2kP9wL4zT8bH6dF1sJ5").ToList();
        // A small organisation (about 30 calls a sync) keeps fifty of them quick on a 2-core machine.
        await using var sim = await CloudflareSimulator.StartAsync(ScenarioGenerator.Generate(1, 20, 4), new SimulatorOptions
        {
            Latency = TimeSpan.FromMilliseconds(20),
            ExtraTokens = tokens,
            PerIpRequestsPerSecond = 0,
        });
        using var cli = new CliProcess().With("VIGIL_CLUSTER_CHECKIN_MS", "1000");
        await using var database = await TestPostgres.CreateAsync();
        cli.With("VIGIL_DATABASE", database.Url);
        var names = await AddOrganisationsAsync(cli, database, sim, tokens);

        var workers = new Dictionary<string, RunningCli>();
        try
        {
            foreach (var name in new[] { "w1", "w2", "w3" })
            {
                workers[name] = cli.With("VIGIL_WORKER_NAME", name).Start("worker", "--concurrency", "2");
            }
            var queued = (await cli.RunAsync("sync", "--enqueue", "--all-orgs")).ShouldExit(0);
            Assert.Contains($"{organisations} sync(s) queued", queued.Stdout);

            // Kill w2 while it is in the middle of a sync: SIGKILL, no chance to clean up.
            await using var admin = await database.OpenAdminAsync();
            var killedOrganisations = await WaitForAsync(async () =>
            {
                var running = await QueryAsync(admin, "SELECT organisation_id FROM sync_runs WHERE status = 'running' AND worker = 'w2';");
                return running.Count > 0 ? running : null;
            }, TimeSpan.FromMinutes(2), "w2 never started a sync");
            workers["w2"].Signal("KILL");
            await workers["w2"].WaitAsync();

            await WaitForAsync(async () =>
            {
                var done = await QueryAsync(admin, "SELECT DISTINCT organisation_id FROM sync_runs WHERE status = 'complete';");
                return done.Count == organisations ? done : null;
            }, TimeSpan.FromMinutes(4), "not every organisation got a complete sync");

            var listed = (await cli.RunAsync("runs", "--all-orgs", "--format", "json")).ShouldExit(0);
            var runs = JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("runs").EnumerateArray().ToList();
            var first = runs.First(r => r.GetProperty("status").GetString() == "complete");
            var (members, zones) = (first.GetProperty("members").GetInt32(), first.GetProperty("zones").GetInt32());
            Assert.Equal(4, zones);
            foreach (var name in names)
            {
                var mine = runs.Where(r => r.GetProperty("organisation").GetString() == name).ToList();
                var complete = mine.Where(r => r.GetProperty("status").GetString() == "complete").ToList();
                Assert.True(complete.Count == 1, $"{name}: {complete.Count} complete runs, expected exactly one:\n{listed.Stdout}");
                Assert.Equal("enqueue", complete[0].GetProperty("trigger").GetString());
                Assert.Equal(zones, complete[0].GetProperty("zones").GetInt32());
                Assert.Equal(members, complete[0].GetProperty("members").GetInt32());
                // Anything else is the run the kill interrupted: marked failed, on the killed worker.
                foreach (var other in mine.Except(complete))
                {
                    Assert.Equal("failed", other.GetProperty("status").GetString());
                    Assert.Equal("w2", other.GetProperty("worker").GetString());
                }
                Assert.True(mine.Count <= 2, $"{name}: {mine.Count} runs for one enqueue:\n{listed.Stdout}");
            }

            // The organisations w2 was syncing were recovered by another worker.
            var killedIds = killedOrganisations.ToHashSet();
            var recovered = await QueryAsync(admin,
                "SELECT organisation_id || ' ' || status || ' ' || worker FROM sync_runs WHERE organisation_id = ANY(@ids);", killedIds.ToArray());
            foreach (var id in killedIds)
            {
                Assert.Contains(recovered, r => r.StartsWith(id + " complete ", StringComparison.Ordinal) && !r.EndsWith(" w2", StringComparison.Ordinal));
                Assert.Contains(recovered, r => r.StartsWith(id + " failed ", StringComparison.Ordinal) && r.EndsWith(" w2", StringComparison.Ordinal));
            }

            // No half stage: every stage commit in the database, the killed runs' included, holds the whole organisation.
            var halfStages = await QueryAsync(admin, $"""
                SELECT c.stage || ' ' || c.run_id FROM stage_commits c
                WHERE (c.stage = 'access' AND (SELECT COUNT(*) FROM snapshot_members m WHERE m.commit_id = c.id) <> {members})
                   OR (c.stage = 'infra' AND (SELECT COUNT(*) FROM snapshot_zones z WHERE z.commit_id = c.id) <> {zones});
                """);
            Assert.Empty(halfStages);
            // And each complete run committed each stage exactly once: no duplicate snapshot.
            var duplicates = await QueryAsync(admin, """
                SELECT r.id FROM sync_runs r JOIN stage_commits c ON c.organisation_id = r.organisation_id AND c.run_id = r.id
                WHERE r.status = 'complete' GROUP BY r.id HAVING COUNT(*) <> 2;
                """);
            Assert.Empty(duplicates);

            foreach (var name in new[] { "w1", "w3" })
            {
                workers[name].Signal("TERM");
                var stopped = await workers[name].WaitAsync();
                stopped.ShouldExit(0);
                Assert.Contains($"worker {name} stopped", stopped.Stdout);
            }
        }
        finally
        {
            foreach (var worker in workers.Values)
            {
                worker.Dispose();
            }
        }
    }

    [Fact]
    public async Task Two_workers_sharing_one_credential_stay_within_its_budget_and_show_it_in_metrics()
    {
        const int budget = 20;
        var window = TimeSpan.FromSeconds(5);
        // The simulator allows exactly the budget: a single request over it in a window would be a 429.
        await using var sim = await CloudflareSimulator.StartAsync(ScenarioGenerator.Generate(1, 60, 6), new SimulatorOptions
        {
            RateLimitRequests = budget,
            RateLimitWindow = window,
            PerIpRequestsPerSecond = 0,
            Latency = TimeSpan.FromMilliseconds(10),
        });
        using var cli = new CliProcess()
            .With("VIGIL_CLUSTER_CHECKIN_MS", "1000")
            .With("VIGIL_BUDGET_REQUESTS", budget.ToString(CultureInfo.InvariantCulture))
            .With("VIGIL_BUDGET_WINDOW_SECONDS", ((int)window.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        await using var database = await TestPostgres.CreateAsync();
        cli.With("VIGIL_DATABASE", database.Url);
        // Two organisations, one Cloudflare credential.
        var names = await AddOrganisationsAsync(cli, database, sim, [ScenarioGenerator.AllReadToken, ScenarioGenerator.AllReadToken]);

        var port = FreePort();
        using var first = cli.With("VIGIL_WORKER_NAME", "b1").Start("worker", "--concurrency", "1", "--metrics-urls", $"http://127.0.0.1:{port}");
        using var second = cli.With("VIGIL_WORKER_NAME", "b2").Start("worker", "--concurrency", "1");
        (await cli.RunAsync("sync", "--enqueue", "--all-orgs")).ShouldExit(0);

        await using var admin = await database.OpenAdminAsync();
        await WaitForAsync(async () =>
        {
            var done = await QueryAsync(admin, "SELECT worker FROM sync_runs WHERE status = 'complete';");
            return done.Count == 2 ? done : null;
        }, TimeSpan.FromMinutes(3), "the two syncs did not complete");

        var workersUsed = await QueryAsync(admin, "SELECT DISTINCT worker FROM sync_runs;");
        Assert.Equal(["b1", "b2"], workersUsed.Order(StringComparer.Ordinal));
        AssertNeverOverBudget(sim, budget, window, $"the budget is {budget}");

        using var http = new HttpClient();
        var health = await http.GetAsync($"http://127.0.0.1:{port}/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var mine = (await QueryAsync(admin, "SELECT o.name FROM sync_runs r JOIN organisations o ON o.id = r.organisation_id WHERE r.worker = 'b1';")).Single();
        // The run's row says complete when its last stage commits; the worker counts it a moment later, once the
        // operation (retention, alerts) has returned, so the scrape waits for the count rather than racing it.
        var metrics = await WaitForAsync(async () =>
        {
            var scraped = ParseMetrics(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
            return scraped.ContainsKey($"vigil_syncs_succeeded_total{{organisation=\"{mine}\"}}") ? scraped : null;
        }, TimeSpan.FromSeconds(30), "the worker never counted its complete sync");
        Assert.Equal(1, metrics[$"vigil_syncs_succeeded_total{{organisation=\"{mine}\"}}"]);
        Assert.Equal(0, metrics[$"vigil_syncs_running{{organisation=\"{mine}\"}}"]);
        Assert.True(metrics[$"vigil_cloudflare_api_calls_total{{organisation=\"{mine}\",connection=\"cloudflare\"}}"] > budget);
        Assert.True(metrics[$"vigil_cloudflare_budget_wait_seconds_total{{organisation=\"{mine}\",connection=\"cloudflare\"}}"] > 0);
        Assert.Equal(0, metrics.GetValueOrDefault($"vigil_cloudflare_rate_limited_total{{organisation=\"{mine}\",connection=\"cloudflare\"}}"));
        // The data's age is read from the database: both organisations, both stages, whichever worker synced them.
        foreach (var name in names)
        {
            foreach (var stage in new[] { "access", "infra" })
            {
                var age = metrics[$"vigil_seconds_since_last_complete_sync{{organisation=\"{name}\",stage=\"{stage}\"}}"];
                Assert.InRange(age, 0, 600);
            }
        }

        first.Signal("TERM");
        second.Signal("TERM");
        (await first.WaitAsync()).ShouldExit(0);
        (await second.WaitAsync()).ShouldExit(0);
    }

    [Fact]
    public async Task Two_tokens_of_one_cloudflare_user_share_one_budget_across_workers_and_every_sync_log_line_names_organisation_and_run()
    {
        const int budget = 20;
        var window = TimeSpan.FromSeconds(5);
        const string first = "cfut_SameUserTokenOne7Qm2Xv9Kp4Lw8Zt3Hb6Df1";
        const string second = "cfut_SameUserTokenTwo7Qm2Xv9Kp4Lw8Zt3Hb6Df1";
        // Two different tokens of one user: Cloudflare (and here the simulator) counts them against one limit, exactly B.
        await using var sim = await CloudflareSimulator.StartAsync(ScenarioGenerator.Generate(1, 60, 6), new SimulatorOptions
        {
            RateLimitRequests = budget,
            RateLimitWindow = window,
            PerIpRequestsPerSecond = 0,
            Latency = TimeSpan.FromMilliseconds(10),
            ExtraTokens = [first, second],
            ExtraTokenUsers = new Dictionary<string, string> { [first] = "dana@example.com", [second] = "dana@example.com" },
        });
        using var cli = new CliProcess()
            .With("VIGIL_CLUSTER_CHECKIN_MS", "1000")
            .With("VIGIL_BUDGET_REQUESTS", budget.ToString(CultureInfo.InvariantCulture))
            .With("VIGIL_BUDGET_WINDOW_SECONDS", ((int)window.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        await using var database = await TestPostgres.CreateAsync();
        cli.With("VIGIL_DATABASE", database.Url);

        // Connected as a user would: preflight reads the user behind each token (GET /user) and stores it with the connection.
        (await cli.RunAsync("org", "add", "north")).ShouldExit(0);
        (await cli.RunAsync("org", "add", "south")).ShouldExit(0);
        var userIds = new List<string>();
        foreach (var (organisation, token) in new[] { ("north", first), ("south", second) })
        {
            var connected = (await cli.With("SAME_USER_TOKEN", token).RunAsync("--org", organisation, "connect", "cloudflare", "--name", "cloudflare",
                "--api-url", sim.BaseUrl, "--token-env", "SAME_USER_TOKEN")).ShouldExit(0);
            var line = connected.Stdout.Split('\n').Single(l => l.StartsWith("Cloudflare user: ", StringComparison.Ordinal));
            userIds.Add(line["Cloudflare user: ".Length..].Split(' ')[0]);
            Assert.DoesNotContain(token, connected.Stdout + connected.Stderr);
        }
        Assert.Equal(userIds[0], userIds[1]);
        await using var admin = await database.OpenAdminAsync();
        Assert.Equal([userIds[0], userIds[0]], await QueryAsync(admin, "SELECT cloudflare_user_id FROM connections ORDER BY organisation_id;"));
        // Preflight's calls leave the simulator's window before the syncs begin (the budget counts the syncs' own).
        await Task.Delay(window);
        sim.Stats.Reset();

        var workers = new[] { "u1", "u2" }.Select(name => cli.With("VIGIL_WORKER_NAME", name).Start("worker", "--concurrency", "1")).ToList();
        try
        {
            (await cli.RunAsync("sync", "--enqueue", "--all-orgs")).ShouldExit(0);
            await WaitForAsync(async () =>
            {
                var done = await QueryAsync(admin, "SELECT worker FROM sync_runs WHERE status = 'complete';");
                return done.Count == 2 ? done : null;
            }, TimeSpan.FromMinutes(3), "the two syncs did not complete");
            Assert.Equal(["u1", "u2"], (await QueryAsync(admin, "SELECT DISTINCT worker FROM sync_runs;")).Order(StringComparer.Ordinal));

            AssertNeverOverBudget(sim, budget, window, $"the two tokens' user has {budget}");
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Signal("TERM");
            }
        }

        // Structured logs: every line of a sync carries the organisation and the run id (JSON on stderr, with scopes).
        var syncLines = 0;
        foreach (var worker in workers)
        {
            var stopped = await worker.WaitAsync();
            stopped.ShouldExit(0);
            foreach (var line in stopped.Stderr.Split('\n').Where(l => l.StartsWith('{')))
            {
                using var entry = JsonDocument.Parse(line);
                var category = entry.RootElement.GetProperty("Category").GetString()!;
                var message = entry.RootElement.GetProperty("Message").GetString()!;
                // The sync's own lines and the runner's lines about it (not the scheduler's "scheduled sync every N h").
                if (category != "Vigil.Cloudflare.Sync.SyncService" && !(category.StartsWith("Vigil.", StringComparison.Ordinal) && message.StartsWith("Sync ", StringComparison.Ordinal)))
                {
                    continue;
                }
                syncLines++;
                var scopes = entry.RootElement.TryGetProperty("Scopes", out var s) ? s.EnumerateArray().ToList() : [];
                Assert.True(scopes.Any(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("organisation", out var o) && o.GetString() is "north" or "south"),
                    $"no organisation on: {line}");
                Assert.True(scopes.Any(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("run_id", out var r) && r.GetString() is { Length: > 0 }),
                    $"no run id on: {line}");
            }
            worker.Dispose();
        }
        // Per sync at least: started, each stage committed, finished, ended.
        Assert.True(syncLines >= 2 * 4, $"only {syncLines} sync log lines");
    }

    [Fact]
    public async Task Workers_sync_an_organisation_every_sync_interval_hours_never_two_at_once_and_stop_at_zero()
    {
        await using var sim = await CloudflareSimulator.StartAsync(ScenarioGenerator.Generate(1, 5, 2), new SimulatorOptions { PerIpRequestsPerSecond = 0 });
        // One "hour" of sync_interval_hours lasts 3 s here; schedules are re-read every 0.5 s.
        using var cli = new CliProcess()
            .With("VIGIL_CLUSTER_CHECKIN_MS", "1000")
            .With("VIGIL_SCHEDULE_HOUR_SECONDS", "3")
            .With("VIGIL_SCHEDULE_RECONCILE_MS", "500");
        await using var database = await TestPostgres.CreateAsync();
        cli.With("VIGIL_DATABASE", database.Url);
        var name = (await AddOrganisationsAsync(cli, database, sim, [ScenarioGenerator.AllReadToken])).Single();
        (await cli.RunAsync("--org", name, "settings", "set", "sync_interval_hours", "1")).ShouldExit(0);

        using var first = cli.With("VIGIL_WORKER_NAME", "s1").Start("worker");
        using var second = cli.With("VIGIL_WORKER_NAME", "s2").Start("worker");
        await using var admin = await database.OpenAdminAsync();
        await WaitForAsync(async () =>
        {
            var done = await QueryAsync(admin, "SELECT id FROM sync_runs WHERE status = 'complete' AND trigger = 'schedule';");
            return done.Count >= 3 ? done : null;
        }, TimeSpan.FromMinutes(2), "three scheduled syncs did not happen");

        // Off: the schedule is removed, and no further sync starts.
        (await cli.RunAsync("--org", name, "settings", "set", "sync_interval_hours", "0")).ShouldExit(0);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = JsonDocument.Parse((await cli.RunAsync("runs", "--all-orgs", "--format", "json")).ShouldExit(0).Stdout).RootElement.GetProperty("runs").GetArrayLength();
        await Task.Delay(TimeSpan.FromSeconds(7));
        var listed = (await cli.RunAsync("runs", "--all-orgs", "--format", "json")).ShouldExit(0);
        var runs = JsonDocument.Parse(listed.Stdout).RootElement.GetProperty("runs").EnumerateArray()
            .OrderBy(r => r.GetProperty("started_at").GetDateTimeOffset()).ToList();
        Assert.Equal(before, runs.Count);

        // Every run came from the schedule, and none started before the previous one ended (one sync at a time).
        for (var i = 0; i < runs.Count; i++)
        {
            Assert.Equal("schedule", runs[i].GetProperty("trigger").GetString());
            Assert.Equal(name, runs[i].GetProperty("organisation").GetString());
            if (i > 0)
            {
                Assert.True(runs[i].GetProperty("started_at").GetDateTimeOffset() >= runs[i - 1].GetProperty("ended_at").GetDateTimeOffset(),
                    $"two syncs of one organisation overlapped:\n{listed.Stdout}");
            }
        }

        first.Signal("TERM");
        second.Signal("TERM");
        (await first.WaitAsync()).ShouldExit(0);
        (await second.WaitAsync()).ShouldExit(0);
    }

    // Organisations with one connection each, added through the library (the CLI's 'org add' and 'connect' are tested
    // elsewhere; fifty of each as processes would take minutes here).
    private static async Task<List<string>> AddOrganisationsAsync(CliProcess cli, TestPostgres database, CloudflareSimulator sim, IReadOnlyList<string> tokens)
    {
        (await cli.RunAsync("org", "list")).ShouldExit(0); // creates the schema and the master key
        await using var store = await VigilDatabase.OpenAsync(database.Url, cli.Home, TimeProvider.System, CancellationToken.None);
        var names = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var organisation = await store.AddOrganisationAsync($"org-{i + 1:D2}", TimeProvider.System.GetUtcNow(), CancellationToken.None);
            await using var view = store.ForOrganisation(organisation);
            await view.SaveAsync(new Connection(Guid.NewGuid().ToString(), "cloudflare", ConnectionPurpose.Both, sim.BaseUrl, null, CredentialKind.UserToken, null,
                TimeProvider.System.GetUtcNow(), null, null, new HashSet<string>()), new Secret(tokens[i]), CancellationToken.None);
            names.Add(organisation.Name);
        }
        return names;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string failure) where T : class
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException(failure);
    }

    private static async Task<List<string>> QueryAsync(NpgsqlConnection admin, string sql, string[]? ids = null)
    {
        await using var command = new NpgsqlCommand(sql, admin);
        if (ids is not null)
        {
            command.Parameters.AddWithValue("ids", ids);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    /// <summary>Prometheus text format: "name{labels} value" per sample; comments (# HELP, # TYPE) skipped.</summary>
    /// <summary>No 429, the budget actually limited the run, and no window of the simulator saw more than the budget.</summary>
    private static void AssertNeverOverBudget(CloudflareSimulator sim, int budget, TimeSpan window, string budgetIs)
    {
        Assert.Equal(0, sim.Stats.RateLimited);
        var times = sim.Stats.CountedRequestTimes.Order().ToList();
        Assert.True(times.Count > 2 * budget, $"only {times.Count} requests: the budget was never the limit");
        for (var i = 0; i < times.Count; i++)
        {
            var inWindow = times.Skip(i).TakeWhile(t => t - times[i] < window).Count();
            Assert.True(inWindow <= budget, $"{inWindow} requests within {window.TotalSeconds} s from {times[i]:HH:mm:ss.fff}; {budgetIs}");
        }
    }

    private static Dictionary<string, double> ParseMetrics(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: {line}");
            Assert.StartsWith("vigil_", match.Groups["name"].Value);
            samples[match.Groups["name"].Value + match.Groups["labels"].Value] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
