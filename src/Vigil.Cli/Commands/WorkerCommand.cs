using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Vigil.App.Scheduling;
using Vigil.Cloudflare;
using Vigil.Storage;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil worker [--concurrency N] [--metrics-urls URL]</c>: joins the cluster of processes that share the PostgreSQL
/// database and runs the scheduled and enqueued syncs, each organisation on one worker at a time, until SIGTERM or Ctrl+C.
/// </summary>
internal static class WorkerCommand
{
    public static Command Build()
    {
        var concurrency = new Option<int>("--concurrency") { Description = "Organisations this worker syncs at the same time (default 4)", DefaultValueFactory = _ => 4 };
        var metricsUrls = new Option<string?>("--metrics-urls") { Description = "Serve /health and /metrics (Prometheus) on these URLs, e.g. http://127.0.0.1:9464" };
        var command = new Command("worker", "Run scheduled and enqueued syncs as one worker of the cluster sharing the PostgreSQL database (VIGIL_DATABASE)")
        {
            concurrency, metricsUrls,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(concurrency), parse.GetValue(metricsUrls), ct));
        return command;
    }

    private static async Task<int> RunAsync(int concurrency, string? metricsUrls, CancellationToken ct)
    {
        if (concurrency < 1)
        {
            throw new UsageException("--concurrency must be at least 1");
        }
        var postgres = Cluster.RequirePostgres("vigil worker",
            "On SQLite the schedule runs inside 'vigil serve', and 'vigil sync' syncs now.");

        using var logging = Cluster.Logging();
        var time = TimeProvider.System;
        await using var database = await CliStore.OpenDatabaseAsync(ct);
        // A worker without the master key could open no credential: stop now rather than fail every sync.
        database.RequireMasterKey();

        var (requests, window) = Cluster.Budget();
        await using var budget = new PostgresCredentialBudget(postgres, requests, window, time);
        var metrics = new VigilMetrics(database, time);
        var runner = new SyncJobRunner(database, logging, metrics, o =>
        {
            o.BudgetRequests = requests;
            o.BudgetWindow = window;
        }, budget, time);

        await using var endpoint = metricsUrls is { Length: > 0 } urls
            ? await OperationsEndpoint.StartAsync(urls, metrics, database, logging, ct)
            : null;
        var scheduler = await VigilScheduler.StartAsync(database, postgres, SchedulerSettings.FromEnvironment(concurrency, runJobs: true), runner, logging, time,
            keepSchedules: true, ct);
        Console.WriteLine($"worker {scheduler.InstanceId} started: up to {concurrency} organisation(s) at a time; " +
            $"budget {requests} requests per {window.TotalSeconds:0} s per Cloudflare credential, shared by the cluster" +
            (endpoint is null ? "" : $"; /health and /metrics on {string.Join(", ", endpoint.Urls)}"));
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // SIGTERM or Ctrl+C: a normal stop.
        }

        Console.WriteLine($"worker {scheduler.InstanceId} stopping: syncs in flight are cancelled (no stage is half-written) and go back to the cluster");
        await scheduler.DisposeAsync();
        Console.WriteLine($"worker {scheduler.InstanceId} stopped");
        return ExitCodes.Ok;
    }
}

/// <summary>What the cluster commands (worker, sync --enqueue) share.</summary>
internal static class Cluster
{
    /// <summary>The Npgsql connection string of VIGIL_DATABASE; refuses on SQLite.</summary>
    public static string RequirePostgres(string command, string instead)
    {
        var url = Environment.GetEnvironmentVariable(VigilDatabase.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new CliException($"{command} needs the PostgreSQL database that the workers share (set VIGIL_DATABASE); " +
                $"this Vigil home uses SQLite, which one process owns. {instead}");
        }
        return VigilDatabase.PostgresConnectionString(url);
    }

    /// <summary>
    /// Structured log lines (JSON, one per line, on stderr) with their scopes: the organisation and the run id on every
    /// line of a sync. VIGIL_LOG_LEVEL sets the level (default Information).
    /// </summary>
    public static ILoggerFactory Logging() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(Environment.GetEnvironmentVariable("VIGIL_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Information)
        .AddFilter("Quartz", LogLevel.Warning)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("System.Net.Http", LogLevel.Warning)
        .AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    /// <summary>Each Cloudflare credential's budget: VIGIL_BUDGET_REQUESTS per VIGIL_BUDGET_WINDOW_SECONDS (default 600 per 300 s).</summary>
    public static (int Requests, TimeSpan Window) Budget()
    {
        var defaults = new CloudflareOptions();
        var requests = int.TryParse(Environment.GetEnvironmentVariable("VIGIL_BUDGET_REQUESTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0
            ? r : defaults.BudgetRequests;
        var window = int.TryParse(Environment.GetEnvironmentVariable("VIGIL_BUDGET_WINDOW_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w > 0
            ? TimeSpan.FromSeconds(w) : defaults.BudgetWindow;
        return (requests, window);
    }
}
