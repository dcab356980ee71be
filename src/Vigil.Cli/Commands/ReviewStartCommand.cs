using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.App.Reviews;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil review start cloudflare [--name TEXT] [--due YYYY-MM-DD] [--reviewer EMAIL ...] [--owner EMAIL] [--allow-stale] [--format json]</c>:
/// freezes the current access snapshot into a campaign. Refuses data older than 24 h or from a failed access sync unless --allow-stale.
/// </summary>
internal static class ReviewStartCommand
{
    public static Command Build()
    {
        var system = new Argument<string>("SYSTEM") { Description = "The system to review; today only 'cloudflare'" };
        system.AcceptOnlyFromAmong(ReviewCommand.SystemName);
        var name = new Option<string?>("--name") { Description = "A name for the campaign (default: 'cloudflare access review YYYY-MM-DD')" };
        var due = new Option<string?>("--due") { Description = "The day every item should be decided by, YYYY-MM-DD" };
        var reviewers = new Option<string[]>("--reviewer") { Description = "A reviewer for members with neither a manager nor a system owner other than themselves; used in turn (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var owner = new Option<string?>("--owner") { Description = "The system owner for this campaign (default: the one set with 'vigil systems add cloudflare --owner EMAIL')" };
        var allowStale = new Option<bool>("--allow-stale") { Description = "Start even on access data older than 24 h or from a failed access sync; recorded in the campaign" };
        var format = ChecksCommand.FormatOption();
        var command = new Command("start", "Freeze the current access snapshot into a review campaign") { system, name, due, reviewers, owner, allowStale, format };
        command.SetAction((parse, ct) => StartAsync(
            parse.GetValue(system)!, parse.GetValue(name), parse.GetValue(due), parse.GetValue(reviewers) ?? [], parse.GetValue(owner),
            parse.GetValue(allowStale), parse.GetValue(format) == "json", ct));
        return command;
    }

    private static async Task<int> StartAsync(
        string system, string? name, string? dueText, IReadOnlyList<string> reviewers, string? owner, bool allowStale, bool json, CancellationToken ct)
    {
        DateOnly? due = null;
        if (dueText is { } text)
        {
            due = DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : throw new UsageException($"--due '{text}' is not a date in the form YYYY-MM-DD");
        }

        await using var store = await CliStore.OpenAsync(ct);
        var (campaign, items, stale) = await ReviewCommand.Service(store).StartAsync(new StartCampaignRequest(system, name, due, reviewers, owner, allowStale), ct);
        if (json)
        {
            var result = new JsonObject
            {
                ["campaign_id"] = campaign.Id,
                ["items"] = items.Count,
                ["name"] = campaign.Name,
                ["snapshot_id"] = campaign.SnapshotId,
                ["allow_stale"] = campaign.AllowStale,
                ["stale_reason"] = campaign.StaleReason,
            };
            Console.WriteLine(result.ToJsonString(ReviewJson.Options));
            return ExitCodes.Ok;
        }

        Console.WriteLine($"Started campaign {campaign.Id}: {campaign.Name}, {items.Count} items on snapshot {campaign.SnapshotId} (access data read {ReviewCommand.Time(campaign.AccessSyncedAt)}).");
        if (stale is not null)
        {
            Console.WriteLine($"  started with --allow-stale: {stale}");
        }
        if (campaign.Owner is null)
        {
            Console.WriteLine("  no system owner: nobody can reassign or sign off; set one with 'vigil systems add cloudflare --owner EMAIL' for the next campaign");
        }
        var table = Render.Table("reviewer", "items");
        foreach (var group in items.GroupBy(i => i.Reviewer, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase))
        {
            table.AddRow(group.Key, group.Count().ToString(CultureInfo.InvariantCulture));
        }
        Render.Write(table);
        Console.WriteLine($"Next: 'vigil review show {campaign.Id}', then 'vigil review decide {campaign.Id} MEMBER_EMAIL --keep|--revoke|--change-role ROLE|--defer --by EMAIL'.");
        return ExitCodes.Ok;
    }
}
