using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vigil.Cli.Output;
using Vigil.Core.Sync;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs [--limit N]</c>: sync history, newest first; <c>vigil runs show RUN [--format json]</c>: one run in full.</summary>
internal static class RunsCommand
{
    public static Command Build()
    {
        var limit = new Option<int>("--limit") { Description = "How many runs to show (default 20; with --all-orgs, per organisation)", DefaultValueFactory = _ => 20 };
        var allOrgs = new Option<bool>("--all-orgs") { Description = "List the runs of every organisation, with the organisation and the worker that ran each" };
        var format = ChecksCommand.FormatOption();
        var command = new Command("runs", "Show the history of sync runs") { limit, allOrgs, format, BuildShow() };
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(format) == "json";
            var count = Math.Max(1, parse.GetValue(limit));
            if (parse.GetValue(allOrgs))
            {
                if (!string.IsNullOrWhiteSpace(CliStore.OrganisationOption))
                {
                    throw new UsageException("--all-orgs lists every organisation's runs; leave out --org");
                }
                return await ListAllAsync(count, json, ct);
            }

            await using var store = await CliStore.OpenAsync(ct);
            var runs = await store.ListRunsAsync(count, ct);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new RunListReport([.. runs.Select(r => RunListItem.From(r, store.Organisation.Name))]), CliJson.Readable.RunListReport));
                return ExitCodes.Ok;
            }
            var table = Render.Table("run (snapshot id)", "trigger", "started", "status", "accounts", "members", "zones", "API calls", "429s", "reason");
            foreach (var run in runs)
            {
                table.AddRow(run.Id, run.Trigger, $"{run.StartedAt:yyyy-MM-dd HH:mm:ss}", Render.Lower(run.Status), run.Counts.Accounts.ToString(),
                    run.Counts.Members.ToString(), run.Counts.Zones.ToString(), run.Counts.ApiCalls.ToString(), run.Counts.RateLimited.ToString(), run.Reason ?? "");
            }
            Render.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    // Every organisation's latest runs, newest first: what an operator of many organisations (and the workers) reads.
    private static async Task<int> ListAllAsync(int perOrganisation, bool json, CancellationToken ct)
    {
        await using var database = await CliStore.OpenDatabaseAsync(ct);
        var items = new List<RunListItem>();
        foreach (var organisation in await database.ListOrganisationsAsync(ct))
        {
            await using var store = database.ForOrganisation(organisation);
            items.AddRange((await store.ListRunsAsync(perOrganisation, ct)).Select(r => RunListItem.From(r, organisation.Name)));
        }
        items.Sort((a, b) => b.StartedAt.CompareTo(a.StartedAt));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new RunListReport(items), CliJson.Readable.RunListReport));
            return ExitCodes.Ok;
        }
        var table = Render.Table("organisation", "run (snapshot id)", "trigger", "worker", "started", "ended", "status", "accounts", "members", "zones", "API calls");
        foreach (var run in items)
        {
            table.AddRow(run.Organisation, run.RunId, run.Trigger, run.Worker ?? "", $"{run.StartedAt:yyyy-MM-dd HH:mm:ss}", run.EndedAt is { } ended ? $"{ended:yyyy-MM-dd HH:mm:ss}" : "",
                run.Status, run.Accounts.ToString(), run.Members.ToString(), run.Zones.ToString(), run.ApiCalls.ToString());
        }
        Render.Write(table);
        return ExitCodes.Ok;
    }

    private static Command BuildShow()
    {
        var runId = new Argument<string>("RUN") { Description = "The run (snapshot) id, as 'vigil runs' lists it, or 'latest'" };
        var format = ChecksCommand.FormatOption();
        var show = new Command("show", "Show one sync run: its stages, the reads it skipped and what each list read could see") { runId, format };
        show.SetAction(async (parse, ct) =>
        {
            await using var store = await CliStore.OpenAsync(ct);
            var id = parse.GetValue(runId)!.Trim();
            var run = id == "latest"
                ? (await store.ListRunsAsync(1, ct)).FirstOrDefault()
                : await store.GetRunAsync(id, ct);
            if (run is null)
            {
                throw new CliException(id == "latest" ? "no sync run yet: run 'vigil sync' first" : $"there is no sync run '{id}': 'vigil runs' lists them");
            }
            var names = (await store.ListAsync(ct)).ToDictionary(c => c.Id, c => c.Name);
            var report = RunReport.From(run, names);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Readable.RunReport));
            }
            else
            {
                Print(report);
            }
            return ExitCodes.Ok;
        });
        return show;
    }

    private static void Print(RunReport run)
    {
        AnsiConsole.WriteLine($"Run {run.Id} ({run.Trigger}): {run.Status}");
        AnsiConsole.WriteLine($"  started {run.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {(run.EndedAt is { } end ? $"ended {end:yyyy-MM-dd HH:mm:ss} UTC" : "not ended")}");
        if (run.Reason is { Length: > 0 } reason)
        {
            AnsiConsole.WriteLine($"  reason: {reason}");
        }
        AnsiConsole.WriteLine($"  {run.Accounts} accounts, {run.Members} memberships, {run.Zones} zones; {run.ApiCalls} API calls ({run.RateLimited} rate-limited)");
        AnsiConsole.WriteLine($"  mode: {SyncReport.DescribeMode(new SyncReport(run.Id, run.Status, null, 0, 0, 0, 0, 0, 0, [], [], run.Mode, run.LogEntries, run.ResourcesReread, run.Reread, run.ResourcesCarried))}");
        foreach (var fallback in run.Fallbacks ?? [])
        {
            AnsiConsole.WriteLine($"  fallback: {fallback}");
        }

        AnsiConsole.WriteLine();
        AnsiConsole.WriteLine("Stages:");
        var stages = Render.Table("stage", "connection", "status", "API calls", "duration", "committed", "note");
        foreach (var stage in run.Stages)
        {
            stages.AddRow(stage.Name, stage.Connection, stage.Status, stage.ApiCalls.ToString(), $"{stage.DurationMs / 1000.0:0.0} s",
                stage.CommittedAt is { } at ? $"{at:yyyy-MM-dd HH:mm:ss}" : "not committed", stage.Reason ?? "");
        }
        Render.Write(stages);

        AnsiConsole.WriteLine();
        if (run.Skipped.Count == 0)
        {
            AnsiConsole.WriteLine("Skipped reads: none");
        }
        else
        {
            AnsiConsole.WriteLine($"Skipped reads ({run.Skipped.Count}); checks that need them report 'unknown':");
            var skipped = Render.Table("stage", "what", "reason", "missing permission");
            foreach (var gap in run.Skipped)
            {
                skipped.AddRow(gap.Stage, gap.What, gap.Reason, gap.MissingPermission ?? "");
            }
            Render.Write(skipped);
        }

        AnsiConsole.WriteLine();
        if (run.Coverage.Count == 0)
        {
            AnsiConsole.WriteLine("Coverage: no list reads recorded for this run");
            return;
        }
        // One line per list (not a table): list paths are long, and a line stays whole in a narrow terminal or a grep.
        AnsiConsole.WriteLine($"Coverage ({run.Coverage.Count} list reads; what the credentials could see):");
        foreach (var list in run.Coverage)
        {
            var counts = $"total_count {list.TotalCount?.ToString() ?? "not sent"}, total_pages {list.TotalPages?.ToString() ?? "not sent"}";
            AnsiConsole.WriteLine($"  [{list.Stage}, {list.Connection}] {list.List}: {list.Pages} page{(list.Pages == 1 ? "" : "s")}, {list.Items} item{(list.Items == 1 ? "" : "s")}; "
                + $"{counts}; stopped: {StopText(list.Stop)}{(list.Complete ? "" : "; INCOMPLETE")}");
        }
    }

    private static string StopText(string stop) => stop switch
    {
        ListStop.TotalPagesReached => "total_pages reached",
        ListStop.ShortPage => "short page (no counts sent)",
        ListStop.EmptyPage => "empty page (no counts sent)",
        ListStop.RepeatedPage => "repeated page (Cloudflare's /accounts quirk)",
        ListStop.EndedEarly => "ended early: empty page before total_pages",
        ListStop.FewerThanTotalCount => "fewer items than total_count",
        ListStop.PageCap => "page cap reached",
        ListStop.RequestFailed => "a request failed",
        ListStop.Abandoned => "abandoned (the stage stopped)",
        _ => stop,
    };
}

/// <summary><c>vigil runs [--all-orgs] --format json</c>: <c>{"runs": [...]}</c>, newest first.</summary>
internal sealed record RunListReport(IReadOnlyList<RunListItem> Runs);

/// <summary>One run as <c>vigil runs --format json</c> lists it (field names as issue 19 gives them).</summary>
internal sealed record RunListItem(
    string RunId, string Organisation, string Trigger, string? Worker, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    int Accounts, int Members, int Zones, int ApiCalls)
{
    public static RunListItem From(SyncRun run, string organisation) => new(
        run.Id, organisation, run.Trigger, run.Worker, Render.Lower(run.Status), run.StartedAt, run.EndedAt,
        run.Counts.Accounts, run.Counts.Members, run.Counts.Zones, run.Counts.ApiCalls);
}
