using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.App.Reviews;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil review list [--format json]</c>: every campaign, newest last, with its status and progress.</summary>
internal static class ReviewListCommand
{
    public static Command Build()
    {
        var format = ChecksCommand.FormatOption();
        var command = new Command("list", "List the review campaigns") { format };
        command.SetAction((parse, ct) => ListAsync(parse.GetValue(format) == "json", ct));
        return command;
    }

    private static async Task<int> ListAsync(bool json, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var list = await ReviewCommand.Service(store).ListAsync(ct);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(list, ReviewJson.Options));
            return ExitCodes.Ok;
        }

        if (list.Campaigns.Count == 0)
        {
            Console.WriteLine("No review campaign yet. Start one: vigil review start cloudflare");
            return ExitCodes.Ok;
        }

        var table = Render.Table("campaign", "name", "status", "started", "due", "owner", "decided");
        foreach (var c in list.Campaigns)
        {
            table.AddRow(c.CampaignId, c.Name, c.Status, c.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                c.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", c.Owner ?? "", $"{c.Progress.Decided}/{c.Progress.Total}");
        }
        Render.Write(table);
        return ExitCodes.Ok;
    }
}
