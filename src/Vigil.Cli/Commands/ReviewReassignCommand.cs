using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil review reassign CAMPAIGN MEMBER_EMAIL --to EMAIL --by EMAIL [--account ACCOUNT]</c>: the system owner hands an item to another reviewer.</summary>
internal static class ReviewReassignCommand
{
    public static Command Build()
    {
        var campaign = ReviewCommand.CampaignArgument();
        var member = new Argument<string>("MEMBER_EMAIL") { Description = "The member whose item changes reviewer" };
        var to = new Option<string>("--to") { Description = "The new reviewer's email (never the member themselves)", Required = true };
        var by = ReviewCommand.ByOption();
        by.Description = "Your email: only the system owner may reassign";
        var account = new Option<string?>("--account") { Description = "The account id or name, when the member belongs to several accounts" };
        var command = new Command("reassign", "Give a review item to another reviewer (system owner only)") { campaign, member, to, by, account };
        command.SetAction((parse, ct) =>
            ReassignAsync(parse.GetValue(campaign)!, parse.GetValue(member)!, parse.GetValue(to)!, parse.GetValue(by)!, parse.GetValue(account), ct));
        return command;
    }

    private static async Task<int> ReassignAsync(string campaignId, string email, string to, string by, string? account, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var (item, reassignment) = await ReviewCommand.Service(store).ReassignAsync(campaignId, email, to, by, account, ct);
        Console.WriteLine($"{item.Label} in {item.AccountName}: reviewer {reassignment.From} -> {reassignment.To} (by {reassignment.By}).");
        return ExitCodes.Ok;
    }
}
