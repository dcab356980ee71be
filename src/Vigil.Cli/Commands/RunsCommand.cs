using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs [--limit N]</c>: sync history, newest first.</summary>
internal static class RunsCommand
{
    public static Command Build()
    {
        var limit = new Option<int>("--limit") { Description = "How many runs to show (default 20)", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "Show the history of sync runs") { limit };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await CliStore.OpenAsync(ct);
            var runs = await store.ListRunsAsync(Math.Max(1, parse.GetValue(limit)), ct);
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
}
