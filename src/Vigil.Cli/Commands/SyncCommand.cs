using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
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
        var command = new Command("sync", "Sync Cloudflare members and zones into a new snapshot and evaluate the checks") { purpose, format, grace, checks };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = await CliServices.StartAsync(ct);
            var which = parse.GetValue(purpose) is { } p ? ConnectCommand.ParsePurpose(p) : ConnectionPurpose.Both;
            var options = await ChecksCommand.OptionsAsync(services.Store, parse.GetValue(grace), ct, parse.GetValue(checks));
            return await SyncAsync(services, which, "cli", parse.GetValue(format) == "json", options, ct);
        });
        return command;
    }

    internal static async Task<int> SyncAsync(CliServices services, ConnectionPurpose purpose, string trigger, bool json, CheckOptions checkOptions, CancellationToken ct)
    {
        var connections = await services.Store.ListAsync(ct);
        if (connections.Count == 0)
        {
            throw new CliException("no Cloudflare connection yet: run 'vigil connect cloudflare --token-env CLOUDFLARE_API_TOKEN' first");
        }
        // A missing key file fails here, with its fix, rather than as every stage's reason in a failed run.
        services.Store.RequireMasterKey();

        var display = new SyncProgressDisplay(interactive: !json && Render.IsInteractive);
        var run = await display.RunAsync(() => services.Sync.RunAsync(
            // Only the data the enabled checks need is read: a family turned off costs no call.
            new SyncRequest(purpose, trigger, CheckCatalog.NeedsOf(CliConfig.Enabled(checkOptions)), CliConfig.Enabled(checkOptions)),
            display,
            async (stage, token) =>
            {
                // Checks run as soon as a stage commits: access results arrive before the zones are even listed.
                var evaluation = await services.Evaluator.EvaluateCurrentAsync(checkOptions, token);
                var failing = evaluation?.Results.Count(r => r.Status == CheckStatus.Fail) ?? 0;
                SyncProgressDisplay.StageCommitted(stage, $"checks evaluated: {failing} failing");
            },
            ct));

        if (run.Stages.Any(s => s.Status == SyncStatus.Failed))
        {
            // A failed stage commits nothing, so no evaluation followed it: evaluate once more so the stored results say it failed.
            await services.Evaluator.EvaluateCurrentAsync(checkOptions, ct);
        }

        await ApplyRetentionAsync(services, json, ct);

        var names = connections.ToDictionary(c => c.Id, c => c.Name);
        var report = SyncReport.From(run, names);
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

    // Retention runs after the sync so that the snapshot it just took is current and never a candidate.
    private static async Task ApplyRetentionAsync(CliServices services, bool json, CancellationToken ct)
    {
        var days = (await SettingsCommand.LoadAsync(services.Store, ct)).RetentionDays;
        if (days <= 0 || services.Store.IsReadOnly)
        {
            return;
        }

        var pruned = await services.Store.PruneSnapshotsAsync(TimeProvider.System.GetUtcNow().AddDays(-days), ct);
        if (pruned.Commits > 0)
        {
            var line = $"retention: pruned the snapshot data of {pruned.Runs} run(s) started over {days} days ago ({pruned.Commits} stage commit(s), " +
                $"{pruned.EvidenceBodies} evidence body(ies) no longer used); held and current snapshots were kept";
            (json ? Console.Error : Console.Out).WriteLine(line);
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
