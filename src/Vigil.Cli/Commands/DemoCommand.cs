using System.CommandLine;
using Spectre.Console;
using Vigil.Cli.Output;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Simulation;
using Vigil.Storage;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil demo</c>: the whole product path on a realistic company, offline. Starts the built-in Cloudflare simulator,
/// connects, imports the staff directory, registers Cloudflare as a critical system, lays down the company's history
/// (<see cref="DemoHistory"/>: earlier syncs, an access review, changes logged in Cloudflare), syncs, evaluates and prints
/// the results, in a throw-away VIGIL_HOME unless one is set.
/// </summary>
internal static class DemoCommand
{
    private const string StaffResource = "demo-staff.csv";

    /// <summary>Requests per second the demo's syncs send to the simulator.</summary>
    private const int DemoRequestsPerSecond = 100;

    public static Command Build()
    {
        var command = new Command("demo", "Run Vigil end to end against the built-in Cloudflare simulator (demo company \"Acme Analytics\")");
        var serve = new Option<bool>("--serve") { Description = "Then open the web app on the demo data: prints its URL and a one-time admin password; Ctrl+C stops it" };
        var serveOptions = new ServeCommandOptions();
        command.Options.Add(serve);
        serveOptions.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(serve) ? serveOptions.Read(parse) : null, ct));
        return command;
    }

    private static async Task<int> RunAsync(Vigil.Web.ServeOptions? serve, CancellationToken ct)
    {
        var throwAway = Environment.GetEnvironmentVariable(VigilHome.EnvironmentVariable) is not { Length: > 0 };
        var home = throwAway ? Directory.CreateTempSubdirectory("vigil-demo-").FullName : VigilHome.Resolve();
        Environment.SetEnvironmentVariable(VigilHome.EnvironmentVariable, home);
        try
        {
            Step($"Vigil home: {home}{(throwAway ? " (throw-away; set VIGIL_HOME to keep the data)" : "")}");

            // One clock for Vigil and the simulator, set back to the demo company's first sync and moved only forward (rate
            // limit windows and pacing never see time run backwards) until it is back at now for the demo's own sync.
            var clock = new DemoHistory.DemoClock { Offset = -DemoHistory.FirstSync };
            await using var simulator = await CloudflareSimulator.StartAsync(Scenario.Demo(), new SimulatorOptions { TimeProvider = clock }, ct);
            Step($"Cloudflare API simulator listening on {simulator.BaseUrl} (demo company: {simulator.Scenario.Name})");

            // The demo's Cloudflare is the loopback simulator (200 requests/s per IP, like Cloudflare): its three syncs are paced
            // at 100/s rather than the 20/s Vigil keeps to against Cloudflare, so the history costs no waiting; calls stay
            // within the same 5-minute budget.
            await using var services = await CliServices.StartAsync(ct, o => o.MaxRequestsPerSecond = DemoRequestsPerSecond, clock);
            // The demo is a sync too: with VIGIL_HOME set it refuses before connecting (which would replace a connection
            // a running sync is reading).
            await services.Store.EnsureNoSyncRunningAsync(ct);
            // The history is laid down in a home that has never synced; in a kept home that has (a second demo), runs dated
            // 100 days ago after newer ones would be no history anyone had: the demo then syncs once, now.
            var layDownHistory = (await services.Store.ListRunsAsync(1, ct)).Count == 0;
            if (!layDownHistory)
            {
                clock.Offset = TimeSpan.Zero;
            }

            Step("vigil connect cloudflare --name acme --api-url <simulator>");
            var connected = await ConnectCommand.ConnectAsync(services,
                new Vigil.App.Administration.ConnectRequest("acme", ConnectionPurpose.Both, simulator.BaseUrl, null, new Secret(DemoCredentials.ReadAllToken)), ct);
            if (connected == ExitCodes.Error)
            {
                return ExitCodes.Error;
            }

            Step("vigil staff import demo-staff.csv");
            var staffFile = Path.Combine(home, StaffResource);
            await using (var resource = typeof(DemoCommand).Assembly.GetManifestResourceStream(StaffResource)
                ?? throw new CliException("the demo staff file is missing from this build"))
            await using (var file = File.Create(staffFile))
            {
                await resource.CopyToAsync(file, ct);
            }
            if (await StaffCommand.ImportAsync(new FileInfo(staffFile), "csv", skipInvalid: false, ct) != ExitCodes.Ok)
            {
                return ExitCodes.Error;
            }

            async Task RegisterCloudflareAsync()
            {
                Step($"vigil systems add cloudflare --org-role cto --org-role sre --org-role engineer --org-role security --org-role finance --owner {DemoHistory.Owner}");
                await SystemsCommand.AddAsync("cloudflare", ["cto", "sre", "engineer", "security", "finance"], ct, DemoHistory.Owner, clock);
                // Least privilege beyond what peers hold: engineers may not administer, finance only sees billing.
                Step("vigil systems allow cloudflare --org-role engineer --cloudflare-role \"Administrator Read Only\" --cloudflare-role DNS --cloudflare-role Analytics --cloudflare-role \"Cache Purge\" --cloudflare-role Firewall");
                await SystemsCommand.AllowAsync("cloudflare", "engineer", ["Administrator Read Only", "DNS", "Analytics", "Cache Purge", "Firewall"], ct);
                Step("vigil systems allow cloudflare --org-role finance --cloudflare-role Billing");
                await SystemsCommand.AllowAsync("cloudflare", "finance", ["Billing"], ct);
            }

            // In a new home the company registers Cloudflare as a critical system after its first sync, as a team does on
            // reading that sync's "Critical system access control should be configured" failure (the history does it).
            if (!layDownHistory)
            {
                await RegisterCloudflareAsync();
            }

            Step("vigil map ci-bot@acme-analytics.io --service-account \"CI deploy bot, owned by the platform team\"");
            await MapCommand.RunAsync("ci-bot@acme-analytics.io", null, "CI deploy bot, owned by the platform team", clear: false, ct);

            // Staging signs its acme-analytics.io users in through Okta (dashboard SSO): they cannot enrol Cloudflare 2FA.
            const string ssoEvidence = "Okta dashboard SSO with MFA required (policy OKTA-MFA-01)";
            Step($"vigil accounts sso \"Acme Analytics Staging\" --domain acme-analytics.io --evidence \"{ssoEvidence}\"");
            await AccountsCommand.SsoAsync("Acme Analytics Staging", ["acme-analytics.io"], ssoEvidence, clear: false, ct);

            var checkOptions = await ChecksCommand.OptionsAsync(services.Store, null, ct);
            if (layDownHistory)
            {
                await DemoHistory.LayDownAsync(services, simulator, clock, checkOptions, Step, RegisterCloudflareAsync, ct);
            }
            else
            {
                Step("History skipped: this Vigil home has synced before, so the demo's history (laid down only in a new home) is not added again");
            }

            Step("vigil sync (now: reads the audit log since the last sync)");
            var syncExit = await SyncCommand.SyncAsync(services, ConnectionPurpose.Both, "demo", json: false, checkOptions, ct);
            if (syncExit == ExitCodes.Error)
            {
                return ExitCodes.Error;
            }

            Step("vigil checks");
            // The sync evaluated the checks as its last stage committed; print that stored result rather than evaluate again.
            var snapshot = await services.Store.LoadCurrentSnapshotAsync(ct) ?? throw new CliException("the demo sync committed nothing");
            var evaluation = await services.Store.LoadLatestEvaluationAsync(snapshot.Id, ct)
                ?? throw new CliException($"no evaluation is stored for snapshot {snapshot.Id}");
            EvaluationPrinter.Print(evaluation, snapshot);

            AnsiConsole.WriteLine();
            if (layDownHistory)
            {
                AnsiConsole.WriteLine($"Demo complete. The findings above judge the demo company's history too: its first sync {DemoHistory.FirstSync.TotalDays:0} days ago, " +
                    "an access review right after it, and the changes its audit log recorded since (all laid down by the steps above).");
            }
            else
            {
                AnsiConsole.WriteLine("Demo complete.");
            }
            AnsiConsole.WriteLine("The failing findings are the demo company's real problems, each with its fix.");
            AnsiConsole.WriteLine("Connect your own account: export CLOUDFLARE_API_TOKEN=...; ./vigil connect cloudflare --token-env CLOUDFLARE_API_TOKEN");
            if (serve is not null)
            {
                return await ServeDemoAsync(services.Store, serve, ct);
            }

            return ExitCodes.Ok;
        }
        finally
        {
            if (throwAway)
            {
                TryDelete(home);
            }
        }
    }

    // The demo's dashboard: a one-time admin, then the server on the demo data until Ctrl+C (the simulator stays up, so
    // syncs from the web app work too).
    private static async Task<int> ServeDemoAsync(IVigilStore store, Vigil.Web.ServeOptions serve, CancellationToken ct)
    {
        const string admin = "admin@acme-analytics.io";
        Step($"vigil users add {admin} --role admin");
        var users = new Vigil.App.Users.UserAccounts(TimeProvider.System);
        Core.Secret? password;
        if (await Vigil.App.Users.UserAccounts.Users(store).FindUserAsync(admin, ct) is null)
        {
            (_, password) = await users.AddAsync(store, admin, Core.Users.UserRole.Admin, null, ct);
        }
        else
        {
            password = await users.ResetPasswordAsync(store, admin, null, ct);
        }

        Step("vigil serve");
        return await ServeCommand.ServeAsync(store, serve, server =>
        {
            var url = server.Addresses.FirstOrDefault() ?? serve.Urls;
            Console.WriteLine($"Dashboard: {url}/");
            Console.WriteLine($"email: {admin}");
            Console.WriteLine($"password: {password!.Reveal()}");
        }, ct);
    }

    private static void Step(string text)
    {
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[bold blue]==>[/] {Markup.Escape(text)}");
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A throw-away folder left behind in the temp directory is harmless.
        }
    }
}
