using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.App.Reviews;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil review show CAMPAIGN [--format json]</c>: progress (decided / total, by reviewer), overdue items, what changed
/// since the previous campaign, and every item with its latest decision and verification state.
/// </summary>
internal static class ReviewShowCommand
{
    public static Command Build()
    {
        var campaign = ReviewCommand.CampaignArgument();
        var format = ChecksCommand.FormatOption();
        var command = new Command("show", "Show a campaign's progress and every item with its decision and verification") { campaign, format };
        command.SetAction((parse, ct) => ShowAsync(parse.GetValue(campaign)!, parse.GetValue(format) == "json", ct));
        return command;
    }

    private static async Task<int> ShowAsync(string campaignId, bool json, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var view = await ReviewCommand.Service(store).ShowAsync(campaignId, ct);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(view, ReviewJson.Options));
            return ExitCodes.Ok;
        }

        Print(view);
        return ExitCodes.Ok;
    }

    private static void Print(CampaignView c)
    {
        Console.WriteLine($"Campaign {c.CampaignId}: {c.Name} ({c.Status})");
        Console.WriteLine($"  system {c.System}, owner {c.Owner ?? "none"}, due {c.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "not set"}, snapshot {c.SnapshotId} (access data read {ReviewCommand.Time(c.AccessSyncedAt)})");
        if (c.AllowStale)
        {
            Console.WriteLine($"  started with --allow-stale: {c.StaleReason}");
        }
        Console.WriteLine($"  progress: {c.Progress.Decided}/{c.Progress.Total} decided; {c.OverdueItems} overdue");
        if (c.PreviousCampaignId is { } previous)
        {
            Console.WriteLine($"  since campaign {previous}: {c.Items.Count(i => i.Change == "new")} new, {c.Items.Count(i => i.Change == "changed")} changed, {c.RemovedSincePrevious.Count} removed" +
                (c.RemovedSincePrevious.Count == 0 ? "" : $" ({string.Join(", ", c.RemovedSincePrevious.Take(10).Select(r => r.MemberEmail))})"));
        }
        if (c.SignOff is { } signOff)
        {
            Console.WriteLine($"  signed off by {signOff.By} at {ReviewCommand.Time(signOff.At)}: {signOff.Statement}");
        }

        var reviewers = Render.Table("reviewer", "decided", "total");
        foreach (var row in c.Progress.ByReviewer ?? [])
        {
            reviewers.AddRow(row.Reviewer, row.Decided.ToString(CultureInfo.InvariantCulture), row.Total.ToString(CultureInfo.InvariantCulture));
        }
        Render.Write(reviewers);

        var table = Render.Table("member", "account", "roles", "flags", "reviewer", "change", "decision", "verification");
        foreach (var item in c.Items)
        {
            var decision = item.Decision;
            var decided = decision is null ? "" : $"{decision.Decision}{(decision.Roles.Count > 0 ? $" ({string.Join(", ", decision.Roles)})" : "")} by {decision.By}";
            var verified = item.Verification == "none" ? "" : item.Verification + (item.VerifiedAt is { } at ? $" {ReviewCommand.Time(at)}" : "");
            var label = item.MemberEmail.Length > 0 ? item.MemberEmail : $"member {item.MemberId}";
            table.AddRow(label, item.AccountName, string.Join(", ", item.Roles.Select(g => g.Name).Distinct(StringComparer.OrdinalIgnoreCase)),
                string.Join(", ", item.RiskFlags), item.Reviewer, item.Change, decided, verified);
        }
        Render.Write(table);
    }
}
