using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Simulation;
using Vigil.Storage;

namespace Vigil.Bench;

/// <summary>
/// Issue 19's worker bench: <see cref="Organisations"/> simulated organisations (each 2 accounts, 50 members, 20 zones)
/// synced by 1, 2 and 4 real <c>vigil worker</c> processes on one private PostgreSQL, against the simulator with 50 ms of
/// latency. Per worker count: organisations synced per minute (from the enqueue to the last run's end) and the ratio
/// to one worker. With <c>--shared</c>, all organisations use one Cloudflare credential and the cluster's shared budget
/// (B requests per window W, scaled: see README) sets the pace; the wall time is held to 1.1 × the rate-limit bound
/// floor((N − 1) / B) × W + (the last window's calls at the speed the same workers reached with their own credentials).
/// </summary>
internal static class WorkersBench
{
    private const int Accounts = 2;
    private const int Members = 50;
    private const int Zones = 20;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(50);

    private static int Organisations = 200;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var counts = new List<int> { 1, 2, 4 };
        var shared = false;
        var budget = 6000;
        var windowSeconds = 60;
        var concurrency = 4;
        double? unsharedRate = null;
        string? postgres = Environment.GetEnvironmentVariable("VIGIL_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("VIGIL_TEST_POSTGRES");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workers":
                    break;
                case "--counts":
                    counts = [.. args[++i].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
                    break;
                case "--orgs":
                    Organisations = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--shared":
                    shared = true;
                    break;
                case "--budget":
                    budget = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--window-seconds":
                    windowSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--concurrency":
                    concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--unshared-calls-per-second":
                    unsharedRate = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--database":
                    postgres = args[++i];
                    break;
                default:
                    throw new ArgumentException($"unknown option for --workers: {args[i]}");
            }
        }
        if (string.IsNullOrWhiteSpace(postgres))
        {
            throw new ArgumentException("--workers needs a PostgreSQL superuser URL: VIGIL_BENCH_POSTGRES, VIGIL_TEST_POSTGRES or --database " +
                "(source tests/postgres-cluster.sh && vigil_start_test_postgres starts a private one).");
        }

        var credentials = shared
            ? string.Create(CultureInfo.InvariantCulture, $"ONE shared credential, budget B = {budget} per W = {windowSeconds} s (simulator limit {2 * budget} per {windowSeconds} s)")
            : "a credential per organisation (budget 600 per 300 s each, Cloudflare's real limit 1,200 per 5 min in the simulator)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Worker bench: {Organisations} organisations of {Accounts} accounts, {Members} members, {Zones} zones; simulator latency {Latency.TotalMilliseconds:0} ms; {Environment.ProcessorCount} cores; each worker --concurrency {concurrency}; {credentials}"));
        Console.WriteLine("workers  orgs  complete  wall s   orgs/min  ratio   API calls  calls/s  429s  CPU busy  load(1m)  worker CPU s  sim CPU s");
        double? first = null;
        var failures = 0;
        foreach (var workers in counts)
        {
            var result = await RunOnceAsync(postgres, workers, concurrency, shared, budget, windowSeconds, ct);
            first ??= result.OrgsPerMinute;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{workers,7}  {Organisations,4}  {result.Complete,8}  {result.Wall.TotalSeconds,6:F1}  {result.OrgsPerMinute,8:F1}  {result.OrgsPerMinute / first,5:F2}  {result.ApiCalls,10}  {result.ApiCalls / result.Wall.TotalSeconds,7:F1}  {result.RateLimited,4}  {result.CpuBusy,7:P0}  {result.LoadAverage,8}  {result.WorkerCpu.TotalSeconds,12:F1}  {result.SimulatorCpu.TotalSeconds,9:F1}"));
            if (result.Complete != Organisations || result.RateLimited != 0)
            {
                failures++;
            }
            if (shared)
            {
                var window = TimeSpan.FromSeconds(windowSeconds);
                var fullWindows = result.ApiCalls > budget ? (result.ApiCalls - 1) / budget : 0;
                var lastWindowCalls = result.ApiCalls - fullWindows * budget;
                // The last window's calls at the speed these workers reach when the budget does not bind.
                var rate = unsharedRate ?? throw new ArgumentException("--shared needs --unshared-calls-per-second R (calls/s of the same worker count with a credential per organisation)");
                var bound = fullWindows * window + TimeSpan.FromSeconds(lastWindowCalls / rate);
                var ratio = result.Wall / bound;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  rate-limit bound: floor(({result.ApiCalls} - 1) / {budget}) = {fullWindows} windows x {windowSeconds} s + {lastWindowCalls} calls / {rate:F1} per s = {bound.TotalSeconds:F1} s; " +
                    $"wall {result.Wall.TotalSeconds:F1} s = {ratio:F3} x bound {(ratio <= 1.1 ? "PASS" : "MISS")} (target <= 1.1); most requests in any {windowSeconds} s: {result.MostInWindow} (B = {budget})"));
                if (ratio > 1.1 || result.MostInWindow > budget)
                {
                    failures++;
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private sealed record Result(int Complete, TimeSpan Wall, long ApiCalls, long RateLimited, double CpuBusy, string LoadAverage,
        TimeSpan WorkerCpu, TimeSpan SimulatorCpu, int MostInWindow)
    {
        public double OrgsPerMinute => Complete / Wall.TotalMinutes;
    }

    private static async Task<Result> RunOnceAsync(string postgres, int workerCount, int concurrency, bool shared, int budget, int windowSeconds, CancellationToken ct)
    {
        var tokens = Enumerable.Range(1, Organisations).Select(i => $"cfut_WorkerBench{i:D4}Qm2Xv9Kp4Lw8Zt3Hb6Df1Sj5").ToList();
        var window = TimeSpan.FromSeconds(windowSeconds);
        await using var sim = await CloudflareSimulator.StartAsync(ScenarioGenerator.Generate(Accounts, Members, Zones), new SimulatorOptions
        {
            Latency = Latency,
            ExtraTokens = shared ? [] : tokens,
            // Cloudflare's limit per credential: the real one with a credential each, twice the scaled budget when shared.
            RateLimitRequests = shared ? 2 * budget : 1200,
            RateLimitWindow = shared ? window : TimeSpan.FromMinutes(5),
            // Workers on several machines come from several addresses: the per-IP ceiling is not this bench's subject.
            PerIpRequestsPerSecond = 0,
        });

        var home = Directory.CreateTempSubdirectory("vigil-worker-bench-").FullName;
        var uri = new Uri(postgres);
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Username = Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]),
            Database = uri.AbsolutePath.Trim('/') is { Length: > 0 } db ? db : "postgres",
            Pooling = false,
        };
        var name = "vigil_bench_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(admin.ConnectionString, $"CREATE DATABASE {name};", ct);
        var url = $"postgres://{Uri.EscapeDataString(admin.Username ?? "postgres")}@{admin.Host}:{admin.Port}/{name}";
        var env = new Dictionary<string, string>
        {
            ["VIGIL_HOME"] = home,
            ["VIGIL_DATABASE"] = url,
            ["VIGIL_LOG_LEVEL"] = "Warning",
        };
        if (shared)
        {
            env["VIGIL_BUDGET_REQUESTS"] = budget.ToString(CultureInfo.InvariantCulture);
            env["VIGIL_BUDGET_WINDOW_SECONDS"] = windowSeconds.ToString(CultureInfo.InvariantCulture);
        }
        var workers = new List<Process>();
        try
        {
            await RunVigilAsync(env, ct, "org", "list"); // the schema and the master key
            await using (var store = await VigilDatabase.OpenAsync(url, home, TimeProvider.System, ct))
            {
                for (var i = 0; i < Organisations; i++)
                {
                    var organisation = await store.AddOrganisationAsync($"org-{i + 1:D3}", TimeProvider.System.GetUtcNow(), ct);
                    await using var view = store.ForOrganisation(organisation);
                    await view.SaveAsync(new Connection(Guid.NewGuid().ToString(), "cloudflare", ConnectionPurpose.Both, sim.BaseUrl, null, CredentialKind.UserToken, null,
                        TimeProvider.System.GetUtcNow(), null, null, new HashSet<string>()), new Secret(shared ? ScenarioGenerator.AllReadToken : tokens[i]), ct);
                }
            }

            for (var w = 1; w <= workerCount; w++)
            {
                var worker = Start(env, w, "worker", "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture));
                workers.Add(worker);
                var line = await worker.StandardOutput.ReadLineAsync(ct);
                if (line is null || !line.Contains("started", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"worker {w} did not start: {line} {await worker.StandardError.ReadToEndAsync(ct)}");
                }
                _ = worker.StandardError.ReadToEndAsync(ct);
                _ = worker.StandardOutput.ReadToEndAsync(ct);
            }

            var cpuBefore = ReadCpu();
            var simCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var started = TimeProvider.System.GetUtcNow();
            await RunVigilAsync(env, ct, "sync", "--enqueue", "--all-orgs");
            var peakLoad = 0.0;
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name }.ConnectionString);
            await connection.OpenAsync(ct);
            while (true)
            {
                await Task.Delay(500, ct);
                peakLoad = Math.Max(peakLoad, LoadAverage().One);
                await using var count = new NpgsqlCommand("SELECT COUNT(DISTINCT organisation_id) FROM sync_runs WHERE status IN ('complete', 'partial', 'failed');", connection);
                if ((long)(await count.ExecuteScalarAsync(ct))! >= Organisations)
                {
                    break;
                }
            }
            var cpuAfter = ReadCpu();
            var simCpu = Process.GetCurrentProcess().TotalProcessorTime - simCpuBefore;
            var workerCpu = TimeSpan.Zero;
            foreach (var worker in workers)
            {
                worker.Refresh();
                workerCpu += worker.TotalProcessorTime;
            }

            await using var runs = new NpgsqlCommand("SELECT status, api_calls, ended_at FROM sync_runs;", connection);
            await using var reader = await runs.ExecuteReaderAsync(ct);
            var complete = 0;
            long calls = 0;
            var last = started;
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetString(0) == "complete")
                {
                    complete++;
                }
                calls += reader.GetInt64(1);
                if (!reader.IsDBNull(2) && DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture) is var ended && ended > last)
                {
                    last = ended;
                }
            }
            var times = sim.Stats.CountedRequestTimes.Order().ToList();
            var most = 0;
            for (int i = 0, j = 0; i < times.Count; i++)
            {
                while (times[i] - times[j] >= window)
                {
                    j++;
                }
                most = Math.Max(most, i - j + 1);
            }
            var busy = 1 - (double)(cpuAfter.Idle - cpuBefore.Idle) / Math.Max(1, cpuAfter.Total - cpuBefore.Total);
            var load = LoadAverage();
            return new Result(complete, last - started, calls, sim.Stats.RateLimited, busy,
                string.Create(CultureInfo.InvariantCulture, $"{load.One:F2} (peak {peakLoad:F2})"), workerCpu, simCpu, shared ? most : 0);
        }
        finally
        {
            foreach (var worker in workers)
            {
                try
                {
                    worker.Kill(entireProcessTree: true);
                    await worker.WaitForExitAsync(CancellationToken.None);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
                worker.Dispose();
            }
            await ExecuteAsync(admin.ConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE);", CancellationToken.None);
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static Process Start(Dictionary<string, string> env, int worker, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }
        start.Environment.Remove("VIGIL_ORG");
        if (worker > 0)
        {
            start.Environment["VIGIL_WORKER_NAME"] = $"bench-w{worker}";
        }
        return Process.Start(start)!;
    }

    private static async Task RunVigilAsync(Dictionary<string, string> env, CancellationToken ct, params string[] args)
    {
        using var process = Start(env, 0, args);
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"vigil {string.Join(' ', args)} exited {process.ExitCode}: {await stdout} {await stderr}");
        }
    }

    /// <summary>Total and idle jiffies of all cores (/proc/stat).</summary>
    private static (long Total, long Idle) ReadCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields.Sum(), fields[3] + fields[4]);
    }

    private static (double One, double Five) LoadAverage()
    {
        var parts = File.ReadAllText("/proc/loadavg").Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
