using System.Diagnostics;
using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Bench;

/// <summary>Runs each case: a fresh simulator and VIGIL_HOME, the sync in a child process, then the report.</summary>
internal static class BenchDriver
{
    public static async Task<int> RunAsync(BenchArguments args, CancellationToken ct)
    {
        Console.WriteLine($"Vigil sync benchmark — {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine($"Every call answered after {BenchSize.Latency.TotalMilliseconds:0} ms; client: {BenchSize.Concurrency} zones at once (default), "
            + $"{BenchSize.PerIpPerSecond} requests/s (default 20, raised: at 20/s the bound is out of reach), budget = half the simulator's limit.");
        var misses = 0;
        foreach (var benchCase in args.Cases)
        {
            var scenario = ScenarioGenerator.Generate(benchCase.Size.Accounts, benchCase.Size.Members, benchCase.Size.Zones);
            scenario.Quirks.BatchSettingsEnded = benchCase.BatchEnded;
            var bound = SyncBound.For(benchCase, scenario);
            Console.WriteLine();
            Console.WriteLine($"== {benchCase.Name}: running (bound {bound.Bound.TotalSeconds:0.0} s) ...");
            var (result, simTotal, simRateLimited) = await RunCaseAsync(benchCase, scenario, ct);
            misses += Report.Print(benchCase, bound, result, simTotal, simRateLimited);
        }
        Console.WriteLine();
        Console.WriteLine(misses == 0 ? "All targets met." : $"{misses} target(s) missed.");
        return misses == 0 ? 0 : 1;
    }

    private static async Task<(CaseResult? Result, long SimRequests, long SimRateLimited)> RunCaseAsync(BenchCase benchCase, Scenario scenario, CancellationToken ct)
    {
        var size = benchCase.Size;
        await using var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions
        {
            Latency = BenchSize.Latency,
            RateLimitRequests = size.SimulatorLimit,
            RateLimitWindow = size.Window,
            PerIpRequestsPerSecond = BenchSize.PerIpPerSecond,
        }, ct);
        var home = Directory.CreateTempSubdirectory("vigil-bench-");
        try
        {
            var child = new ChildArguments(benchCase.Name, sim.BaseUrl, home.FullName, size.ClientBudget, size.Window, BenchSize.PerIpPerSecond, BenchSize.Concurrency, size.Members);
            var output = await RunChildAsync(child, home.FullName, ct);
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
            var result = line is null ? null : JsonSerializer.Deserialize(line, BenchJsonContext.Default.CaseResult);
            return (result, sim.Stats.TotalRequests, sim.Stats.RateLimited);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static async Task<string> RunChildAsync(ChildArguments child, string home, CancellationToken ct)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(BenchDriver).Assembly.Location);
        }
        foreach (var arg in child.ToArgs())
        {
            start.ArgumentList.Add(arg);
        }
        // A temp home per case: ~/.vigil is never read or written.
        start.Environment["VIGIL_HOME"] = home;
        start.Environment[CaseRunner.TokenVariable] = ScenarioGenerator.AllReadToken;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The case process did not start.");
        try
        {
            var output = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return output;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
