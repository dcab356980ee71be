using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Cloudflare;
using Vigil.Cloudflare.Sync;
using Vigil.Core;
using Vigil.Core.Storage;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.Bench;

/// <summary>
/// The child process of one case: stores a connection to the simulator in a fresh VIGIL_HOME, runs one sync exactly as
/// the CLI does, and measures it. Only the sync lives in this process, so its memory peaks are the sync's alone.
/// </summary>
internal static class CaseRunner
{
    public const string TokenVariable = "VIGIL_BENCH_TOKEN";

    public static async Task<int> RunAsync(ChildArguments args, CancellationToken ct)
    {
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            await Console.Error.WriteLineAsync($"{TokenVariable} is not set.");
            return 2;
        }

        // VIGIL_DATABASE (inherited from the parent) runs the case on PostgreSQL, as the CLI would; else SQLite in the case's home.
        await using var store = await VigilDatabase.OpenAsync(Environment.GetEnvironmentVariable(VigilDatabase.EnvironmentVariable), args.Home, TimeProvider.System, ct);
        var now = TimeProvider.System.GetUtcNow();
        await store.SaveAsync(
            new Connection(Guid.NewGuid().ToString("N"), "bench", ConnectionPurpose.Both, args.ApiUrl, null, CredentialKind.UserToken, null, now, now, null, new HashSet<string>()),
            new Secret(token), ct);

        var responses = new ResponseBytes();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton<IConnectionStore>(store);
        services.AddSingleton<ISyncStore>(store);
        services.AddVigilCloudflare(o =>
        {
            o.BaseUrl = args.ApiUrl;
            o.BudgetRequests = args.Budget;
            o.BudgetWindow = args.Window;
            o.MaxRequestsPerSecond = args.PerSecond;
            o.MaxConcurrency = args.Concurrency;
        });
        services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new CountingHandler(responses)));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var sync = provider.GetRequiredService<SyncService>();

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampler = new HeapSampler();
        var progress = new StageEndProbe(args.ExpectedMembers);
        var clock = Stopwatch.StartNew();
        double? accessCommitted = null;
        var run = await sync.RunAsync(new SyncRequest(ConnectionPurpose.Both, "bench"), progress, (stage, _) =>
        {
            if (stage == SyncStageKind.Access)
            {
                accessCommitted = (clock.Elapsed - progress.Paused).TotalSeconds;
            }
            return Task.CompletedTask;
        }, ct);
        var wall = (clock.Elapsed - progress.Paused).TotalSeconds;
        sampler.Stop();

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var result = new CaseResult(
            run.Status.ToString(), run.Reason, run.Counts.Accounts, run.Counts.Members, run.Counts.Zones, run.Counts.ApiCalls, run.Counts.RateLimited,
            accessCommitted ?? double.NaN, wall, progress.Paused.TotalSeconds, provider.GetRequiredService<Vigil.Cloudflare.Pacing.RequestBudget>().TimeWaited.TotalSeconds,
            baseline, progress.EarlyLiveHeap, progress.EarlyMembers, progress.AccessEndLiveHeap, progress.AccessMembers, progress.InfraEndLiveHeap, Math.Max(sampler.Peak, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes),
            self.PeakWorkingSet64, responses.Access, responses.Infra);
        Console.WriteLine(JsonSerializer.Serialize(result, BenchJsonContext.Default.CaseResult));
        return 0;
    }

    /// <summary>
    /// Takes the live heap (after a full collection) once a fifth of the members have arrived (one-off costs such as the
    /// HTTP connections and serializer caches are paid by then), when the last account is done and when the last zone is done:
    /// the moments the stage holds all its rows and evidence just before committing. The collections' time is left out of the timings.
    /// </summary>
    private sealed class StageEndProbe(int expectedMembers) : IProgress<SyncProgress>
    {
        private int _earlyTaken;
        private int _accessTaken;
        private int _infraTaken;
        private long _pausedTicks;

        public long EarlyLiveHeap { get; private set; }
        public int EarlyMembers { get; private set; }
        public long AccessEndLiveHeap { get; private set; }
        public int AccessMembers { get; private set; }
        public long InfraEndLiveHeap { get; private set; }
        public TimeSpan Paused => TimeSpan.FromTicks(Interlocked.Read(ref _pausedTicks));

        public void Report(SyncProgress value)
        {
            if (value.Stage == SyncStageKind.Access && value.Members >= expectedMembers / 5 && value.AccountsDone < value.AccountsTotal
                && Interlocked.Exchange(ref _earlyTaken, 1) == 0)
            {
                EarlyLiveHeap = Measure();
                EarlyMembers = value.Members;
            }
            else if (value.Stage == SyncStageKind.Access && value.AccountsTotal > 0 && value.AccountsDone == value.AccountsTotal
                && Interlocked.Exchange(ref _accessTaken, 1) == 0)
            {
                AccessEndLiveHeap = Measure();
                AccessMembers = value.Members;
            }
            else if (value.Stage == SyncStageKind.Infra && value.ZonesTotal > 0 && value.ZonesDone == value.ZonesTotal
                && Interlocked.Exchange(ref _infraTaken, 1) == 0)
            {
                InfraEndLiveHeap = Measure();
            }
        }

        private long Measure()
        {
            var started = Stopwatch.GetTimestamp();
            var live = GC.GetTotalMemory(forceFullCollection: true);
            Interlocked.Add(ref _pausedTicks, Stopwatch.GetElapsedTime(started).Ticks);
            return live;
        }
    }

    /// <summary>Highest managed heap size seen (garbage included), sampled every 10 ms.</summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stopped;
        private long _peak;

        public HeapSampler()
        {
            _thread = new Thread(Sample) { IsBackground = true, Name = "heap sampler" };
            _thread.Start();
        }

        public long Peak => Interlocked.Read(ref _peak);

        public void Stop()
        {
            _stopped = true;
            _thread.Join();
        }

        public void Dispose() => Stop();

        private void Sample()
        {
            while (!_stopped)
            {
                var heap = GC.GetTotalMemory(forceFullCollection: false);
                if (heap > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, heap);
                }
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>Bytes of response bodies per stage: the raw JSON the sync keeps as evidence until the stage commits.</summary>
    private sealed class ResponseBytes
    {
        private long _access;
        private long _infra;

        public long Access => Interlocked.Read(ref _access);
        public long Infra => Interlocked.Read(ref _infra);

        public void Add(Uri? uri, long bytes)
        {
            if (uri?.AbsolutePath.Contains("/zones", StringComparison.Ordinal) == true)
            {
                Interlocked.Add(ref _infra, bytes);
            }
            else
            {
                Interlocked.Add(ref _access, bytes);
            }
        }
    }

    private sealed class CountingHandler(ResponseBytes bytes) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            bytes.Add(request.RequestUri, response.Content.Headers.ContentLength ?? 0);
            return response;
        }
    }
}
