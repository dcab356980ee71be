using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Vigil.Storage;
using Vigil.Web;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil serve [--urls URLS] [--cert FILE [--cert-key FILE] [--cert-password-env VAR]] [--insecure-http]</c>: the web
/// app and the API over this Vigil database (every organisation; each user sees their own). Loopback by default; any
/// other address needs HTTPS or an explicit --insecure-http.
/// </summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var options = new ServeCommandOptions();
        var noJobs = new Option<bool>("--no-jobs")
        {
            Description = "Only schedule and enqueue syncs; 'vigil worker' processes run them (PostgreSQL)",
        };
        var command = new Command("serve", "Serve the web app and the REST API (sign in with a user from 'vigil users add')");
        options.AddTo(command);
        command.Options.Add(noJobs);
        command.SetAction(async (parse, ct) =>
        {
            var serve = options.Read(parse);
            await using var store = await CliStore.OpenDatabaseAsync(ct);
            return await ServeWithSchedulerAsync(store, serve, parse.GetValue(noJobs), ct);
        });
        return command;
    }

    // The same scheduler as 'vigil worker': on PostgreSQL this server joins the workers' cluster (and with --no-jobs only
    // keeps the schedules and enqueues); on SQLite it runs the schedule in this process, in memory.
    private static async Task<int> ServeWithSchedulerAsync(IVigilStore store, ServeOptions options, bool noJobs, CancellationToken ct)
    {
        var url = Environment.GetEnvironmentVariable(VigilDatabase.EnvironmentVariable);
        var postgres = string.IsNullOrWhiteSpace(url) ? null : VigilDatabase.PostgresConnectionString(url);
        using var logging = Cluster.Logging();
        var time = TimeProvider.System;
        var (requests, window) = Cluster.Budget();
        await using var budget = postgres is null ? null : new Vigil.App.Scheduling.PostgresCredentialBudget(postgres, requests, window, time);
        var metrics = new Vigil.App.Scheduling.VigilMetrics(store, time);
        var runner = new Vigil.App.Scheduling.SyncJobRunner(store, logging, metrics, o =>
        {
            o.BudgetRequests = requests;
            o.BudgetWindow = window;
        }, budget, time);
        await using var scheduler = await Vigil.App.Scheduling.VigilScheduler.StartAsync(store, postgres,
            Vigil.App.Scheduling.SchedulerSettings.FromEnvironment(4, runJobs: !noJobs), runner, logging, time, keepSchedules: true, ct);
        var host = new VigilWebHostOptions
        {
            ConfigureServices = services => services.AddSingleton(scheduler),
            // Signed in like every page (the metrics name each organisation): Prometheus scrapes with a user's API key as a
            // Bearer token (authorization: credentials in its scrape config). Workers' --metrics-urls listener stays open.
            ConfigureApp = app => app.MapMetrics("/metrics", metrics.Registry),
        };
        Console.WriteLine(noJobs
            ? "scheduler: schedules and enqueues only (--no-jobs); 'vigil worker' processes run the syncs"
            : $"scheduler: runs scheduled syncs in this process ({(postgres is null ? "SQLite: in memory" : "PostgreSQL: with the cluster of workers")})");
        return await ServeAsync(store, options, onStarted: null, ct, host);
    }

    /// <summary>Starts the server, prints where it listens (and any warning), and runs until Ctrl+C.</summary>
    internal static async Task<int> ServeAsync(IVigilStore store, ServeOptions options, Action<VigilWebServer>? onStarted, CancellationToken ct,
        VigilWebHostOptions? host = null)
    {
        await using var server = VigilWebServer.Create(store, options, host);
        await server.StartAsync(ct);
        Console.WriteLine(server.Banner);
        onStarted?.Invoke(server);
        Console.WriteLine("Press Ctrl+C to stop.");
        await server.RunUntilCancelledAsync(ct);
        Console.Error.WriteLine("vigil: the server stopped");
        // Ctrl+C is how a server is meant to stop: not an error.
        return ExitCodes.Ok;
    }
}

/// <summary>The listening options shared by <c>vigil serve</c> and <c>vigil demo --serve</c>.</summary>
internal sealed class ServeCommandOptions
{
    private readonly Option<string> _urls = new("--urls")
    {
        Description = $"Where to listen, ';'-separated (default {ServeOptions.DefaultUrls}); a non-loopback address needs https with --cert, or --insecure-http",
        DefaultValueFactory = _ => ServeOptions.DefaultUrls,
    };

    private readonly Option<FileInfo?> _cert = new("--cert") { Description = "The HTTPS certificate: a PFX (.pfx/.p12) or PEM file with its private key" };

    private readonly Option<FileInfo?> _certKey = new("--cert-key") { Description = "The PEM private key, when --cert is a PEM certificate without its key" };

    private readonly Option<string> _certPasswordEnv = new("--cert-password-env")
    {
        Description = $"The environment variable holding the certificate's password (default {ServeOptions.DefaultCertificatePasswordVariable}); never pass a password as an argument",
        DefaultValueFactory = _ => ServeOptions.DefaultCertificatePasswordVariable,
    };

    private readonly Option<bool> _insecure = new("--insecure-http")
    {
        Description = "Allow plain HTTP on a non-loopback address (only behind a TLS-terminating reverse proxy on a trusted network)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_urls);
        command.Options.Add(_cert);
        command.Options.Add(_certKey);
        command.Options.Add(_certPasswordEnv);
        command.Options.Add(_insecure);
    }

    public ServeOptions Read(ParseResult parse)
    {
        var passwordVariable = parse.GetValue(_certPasswordEnv)!;
        var password = Environment.GetEnvironmentVariable(passwordVariable);
        return new ServeOptions
        {
            Urls = parse.GetValue(_urls)!,
            CertificatePath = parse.GetValue(_cert)?.FullName,
            CertificateKeyPath = parse.GetValue(_certKey)?.FullName,
            CertificatePassword = string.IsNullOrEmpty(password) ? null : password,
            InsecureHttp = parse.GetValue(_insecure),
        };
    }
}
