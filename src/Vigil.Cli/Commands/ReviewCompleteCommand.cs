using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil review complete CAMPAIGN --by EMAIL --statement TEXT</c>: the management acknowledgement. Only when every
/// item is decided, by the system owner or a person with org role 'admin'.
/// </summary>
internal static class ReviewCompleteCommand
{
    public static Command Build()
    {
        var campaign = ReviewCommand.CampaignArgument();
        var by = ReviewCommand.ByOption();
        by.Description = "Your email: the system owner, or a person with org role 'admin' in the staff directory";
        var statement = new Option<string>("--statement") { Description = "The acknowledgement, e.g. \"I reviewed every membership of Cloudflare and approve the decisions.\"", Required = true };
        var command = new Command("complete", "Sign a campaign off once every item is decided") { campaign, by, statement };
        command.SetAction((parse, ct) => CompleteAsync(parse.GetValue(campaign)!, parse.GetValue(by)!, parse.GetValue(statement)!, ct));
        return command;
    }

    private static async Task<int> CompleteAsync(string campaignId, string by, string statement, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var completed = await ReviewCommand.Service(store).CompleteAsync(campaignId, by, statement, ct);
        Console.WriteLine($"Campaign {completed.CampaignId} completed: signed off by {completed.SignOff.By} at {ReviewCommand.Time(completed.SignOff.At)}.");
        var pending = completed.PendingChanges;
        if (pending > 0)
        {
            Console.WriteLine($"  {pending} revocation{(pending == 1 ? "" : "s")} or role change{(pending == 1 ? "" : "s")} to apply; cloudflare.review-revocations-applied follows them after each sync.");
        }
        return ExitCodes.Ok;
    }
}
