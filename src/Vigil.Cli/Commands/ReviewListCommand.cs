using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

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
        var reviews = ReviewCommand.Reviews(store);
        var state = await reviews.LoadReviewStateAsync(ct);
        if (json)
        {
            var campaigns = new JsonArray();
            foreach (var c in state.Campaigns)
            {
                campaigns.Add(new JsonObject
                {
                    ["campaign_id"] = c.Id,
                    ["name"] = c.Campaign.Name,
                    ["system"] = c.Campaign.System,
                    ["status"] = ReviewCommand.StatusText(c.Status),
                    ["created_at"] = ReviewCommand.Time(c.Campaign.CreatedAt),
                    ["due"] = c.Campaign.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["owner"] = c.Campaign.Owner,
                    ["progress"] = new JsonObject { ["decided"] = c.DecidedCount, ["total"] = c.Items.Count },
                });
            }
            Console.WriteLine(new JsonObject { ["campaigns"] = campaigns }.ToJsonString(ReviewShowCommand.Indented));
            return ExitCodes.Ok;
        }

        if (state.Campaigns.Count == 0)
        {
            Console.WriteLine("No review campaign yet. Start one: vigil review start cloudflare");
            return ExitCodes.Ok;
        }

        var table = Render.Table("campaign", "name", "status", "started", "due", "owner", "decided");
        foreach (var c in state.Campaigns)
        {
            table.AddRow(c.Id, c.Campaign.Name, ReviewCommand.StatusText(c.Status), c.Campaign.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                c.Campaign.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", c.Campaign.Owner ?? "", $"{c.DecidedCount}/{c.Items.Count}");
        }
        Render.Write(table);
        return ExitCodes.Ok;
    }
}
