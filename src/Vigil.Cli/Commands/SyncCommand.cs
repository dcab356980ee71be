using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vigil.App;
using Vigil.Cli.Output;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Checks;
using Vigil.Core.Sync;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil sync [--purpose access|infra] [--format json]</c>: the access stage, then the infrastructure stage, each
/// committed on its own and followed at once by a check evaluation. Exit 0 complete, 4 partial, 1 failed.
/// </summary>
internal static class SyncCommand
{
    public static Command Build()
    {
        var purpose = new Option<string?>("--purpose") { Description = "Run only the access or the infra stage (default: both)" };
        purpose.AcceptOnlyFromAmong("access", "infra");
        var format = ChecksCommand.FormatOption();
        var grace = ChecksCommand.GraceOption();
        var checks = ChecksCommand.ChecksOption();
        var full = new Option<bool>("--full") { Description = "Read everything from Cloudflare in full, even where the audit log allows an incremental sync" };
        var enqueue = new Option<bool>("--enqueue") { Description = "Put the sync on the cluster's queue for 'vigil worker' to run, and return at once (PostgreSQL)" };
        var allOrgs = new Option<bool>("--all-orgs") { Description = "With --enqueue: one sync for every organisation" };
        var command = new Command("sync", "Sync Cloudflare members and zones into a new snapshot and evaluate the checks") { purpose, format, grace, checks, full, enqueue, allOrgs };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(enqueue))
            {
                if (parse.GetValue(purpose) is not null || parse.GetValue(grace) is not null || parse.GetValue(checks) is not null)
                {
                    throw new UsageException("--enqueue queues a whole sync with the organisation's own settings; leave out --purpose, --offboarding-grace-days and --checks");
                }
                return await EnqueueAsync(parse.GetValue(allOrgs), ct);
            }
            if (parse.GetValue(allOrgs))
            {
                throw new UsageException("--all-orgs needs --enqueue: the workers sync the organisations, one worker per organisation at a time");
            }
            await using var services = await CliServices.StartAsync(ct);
            var which = parse.GetValue(purpose) is { } p ? ConnectCommand.ParsePurpose(p) : ConnectionPurpose.Both;
            var options = await ChecksCommand.OptionsAsync(services.Store, parse.GetValue(grace), ct, parse.GetValue(checks));
            return await SyncAsync(services, which, "cli", parse.GetValue(format) == "json", options, ct, parse.GetValue(full));
        });
        return command;
    }

    // One sync per organisation on the cluster's queue; the workers run them. Returns at once.
    private static async Task<int> EnqueueAsync(bool allOrganisations, CancellationToken ct)
    {
        if (allOrganisations && !string.IsNullOrWhiteSpace(CliStore.OrganisationOption))
        {
            throw new UsageException("--all-orgs queues every organisation; leave out --org");
        }
        var postgres = Cluster.RequirePostgres("vigil sync --enqueue", "On SQLite run 'vigil sync', which syncs now in this process.");
        await using var database = await CliStore.OpenDatabaseAsync(ct);
        IReadOnlyList<Vigil.Core.Organisations.Organisation> targets;
        if (allOrganisations)
        {
            targets = await database.ListOrganisationsAsync(ct);
        }
        else
        {
            await using var selected = await CliStore.OpenAsync(ct);
            targets = [selected.Organisation];
        }

        using var logging = Cluster.Logging();
        await using var scheduler = await Vigil.App.Scheduling.VigilScheduler.StartAsync(database, postgres,
            Vigil.App.Scheduling.SchedulerSettings.FromEnvironment(1, runJobs: false), null, logging, TimeProvider.System, keepSchedules: false, ct);
        var queued = 0;
        foreach (var organisation in targets)
        {
            if (await database.CountConnectionsAsync(organisation.Id, ct) == 0)
            {
                Console.WriteLine($"organisation '{organisation.Name}': no Cloudflare connection, nothing queued");
                continue;
            }
            if (await scheduler.EnqueueAsync(organisation, ct))
            {
                queued++;
                Console.WriteLine($"organisation '{organisation.Name}': sync queued");
            }
            else
            {
                Console.WriteLine($"organisation '{organisation.Name}': a sync is already queued or running from the queue; not queued twice");
            }
        }
        Console.WriteLine($"{queued} sync(s) queued; 'vigil worker' processes run them ('vigil runs --all-orgs' shows them)");
        return ExitCodes.Ok;
    }

    internal static async Task<int> SyncAsync(VigilServices services, ConnectionPurpose purpose, string trigger, bool json, CheckOptions checkOptions, CancellationToken ct,
        bool full = false)
    {
        var display = new SyncProgressDisplay(interactive: !json && Render.IsInteractive);
        var outcome = await display.RunAsync(() => SyncOperation.RunAsync(services, purpose, trigger, checkOptions, display,
            (stage, evaluation, _) =>
            {
                var failing = evaluation?.Results.Count(r => r.Status == CheckStatus.Fail) ?? 0;
                SyncProgressDisplay.StageCommitted(stage, $"checks evaluated: {failing} failing");
                return Task.CompletedTask;
            },
            ct, full));

        if (outcome.Retention is { } retention)
        {
            var line = $"retention: pruned the snapshot data of {retention.Pruned.Runs} run(s) started over {retention.Days} days ago ({retention.Pruned.Commits} stage commit(s), " +
                $"{retention.Pruned.EvidenceBodies} evidence body(ies) no longer used); held and current snapshots were kept";
            (json ? Console.Error : Console.Out).WriteLine(line);
        }

        if (outcome.Alerts is { } alerts)
        {
            PrintAlerts(alerts, json);
        }

        var run = outcome.Run;
        var report = SyncReport.From(run, outcome.ConnectionNames);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Readable.SyncReport));
        }
        else
        {
            PrintSummary(report);
        }

        return run.Status switch
        {
            SyncStatus.Complete => ExitCodes.Ok,
            SyncStatus.Partial => ExitCodes.SyncPartial,
            _ => ExitCodes.Error,
        };
    }

    // Alerts never change the exit code: a delivery that failed is a note on stderr and a line in 'vigil alerts log'.
    private static void PrintAlerts(Vigil.App.Alerts.AlertsOutcome alerts, bool json)
    {
        if (alerts.Error is { } error)
        {
            Console.Error.WriteLine($"vigil: note: the alert step failed ({error}); the sync stands");
        }

        // Without a channel the alerts are only logged (no_channel): nothing to say on every sync.
        if (alerts.Deliveries.Any(d => d.Status != Vigil.App.Alerts.AlertDeliveryResult.NoChannel))
        {
            var sent = alerts.Deliveries.Count(d => d.Status == Vigil.App.Alerts.AlertDeliveryResult.Sent);
            var failed = alerts.Deliveries.Count(d => d.Status == Vigil.App.Alerts.AlertDeliveryResult.Failed);
            var line = $"alerts: {alerts.Raised.Count} raised, {sent} delivery(ies) sent" + (failed > 0 ? $", {failed} failed (see 'vigil alerts log')" : "");
            (json || failed > 0 ? Console.Error : Console.Out).WriteLine(line);
        }

        if (alerts.Retried is { Count: > 0 } retried)
        {
            var resent = retried.Count(d => d.Status == Vigil.App.Alerts.AlertDeliveryResult.Sent);
            var still = retried.Count - resent;
            var line = $"alerts: {retried.Count} pending delivery(ies) tried again, {resent} sent" + (still > 0 ? $", {still} failed (see 'vigil alerts log')" : "");
            (json || still > 0 ? Console.Error : Console.Out).WriteLine(line);
        }
    }

    private static void PrintSummary(SyncReport report)
    {
        AnsiConsole.WriteLine($"Sync {report.Status}: snapshot {report.SnapshotId}");
        if (report.Reason is { Length: > 0 } reason)
        {
            AnsiConsole.WriteLine($"  reason: {reason}");
        }
        AnsiConsole.WriteLine($"  {report.Accounts} accounts, {report.Members} memberships, {report.Zones} zones; {report.ApiCalls} API calls ({report.RateLimited} rate-limited) in {report.DurationMs / 1000.0:0.0} s");
        AnsiConsole.WriteLine($"  mode: {SyncReport.DescribeMode(report)}");
        foreach (var fallback in report.Fallbacks)
        {
            AnsiConsole.WriteLine($"  fallback: {fallback}");
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("stage").AddColumn("connection").AddColumn("status").AddColumn("API calls").AddColumn("duration").AddColumn("note");
        foreach (var stage in report.Stages)
        {
            table.AddRow(stage.Name, stage.Connection, stage.Status, stage.ApiCalls.ToString(), $"{stage.DurationMs / 1000.0:0.0} s", stage.Reason ?? "");
        }
        AnsiConsole.Write(table);
        if (report.Skipped.Count > 0)
        {
            AnsiConsole.WriteLine($"{report.Skipped.Count} read(s) skipped; checks that need them report 'unknown':");
            foreach (var group in report.Skipped.GroupBy(s => (s.What, s.MissingPermission, s.Reason)).Take(20))
            {
                var fix = group.Key.MissingPermission is { } permission ? $" (add the \"{permission}\" permission)" : "";
                AnsiConsole.WriteLine($"  {group.Count()} x {group.Key.What}: {group.Key.Reason}{fix}");
            }
        }
    }
}
