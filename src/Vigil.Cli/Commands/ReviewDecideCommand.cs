using System.CommandLine;
using Vigil.App.Reviews;
using Vigil.Core.Reviews;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil review decide CAMPAIGN MEMBER_EMAIL --keep|--revoke|--change-role "ROLE" [--role "ROLE" ...]|--defer --by EMAIL [--comment TEXT] [--account ACCOUNT]</c>,
/// or in bulk <c>vigil review decide CAMPAIGN --from FILE.csv --by EMAIL</c> (all or nothing). Decisions are only ever added.
/// </summary>
internal static class ReviewDecideCommand
{
    public static Command Build()
    {
        var campaign = ReviewCommand.CampaignArgument();
        var member = new Argument<string?>("MEMBER_EMAIL") { Description = "The member's email as Cloudflare shows it (not with --from)", Arity = ArgumentArity.ZeroOrOne };
        var keep = new Option<bool>("--keep") { Description = "Keep the access as it is" };
        var revoke = new Option<bool>("--revoke") { Description = "Remove the membership (needs --comment)" };
        var changeRole = new Option<string?>("--change-role") { Description = "Keep the membership with only this Cloudflare role (needs --comment; add more with --role)" };
        var roles = new Option<string[]>("--role") { Description = "Another Cloudflare role to keep with --change-role (repeat for several)" };
        var defer = new Option<bool>("--defer") { Description = "Decide later (the item stays undecided)" };
        var by = ReviewCommand.ByOption();
        var comment = new Option<string?>("--comment") { Description = "Why (required for --revoke and --change-role)" };
        var account = new Option<string?>("--account") { Description = "The account id or name, when the member belongs to several accounts" };
        var from = new Option<FileInfo?>("--from") { Description = "A CSV file with the columns member_email,account_id,decision,role,comment: every line is recorded, or none" };
        var command = new Command("decide", "Record a review decision (or many from a CSV file)") { campaign, member, keep, revoke, changeRole, roles, defer, by, comment, account, from };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(from);
            var email = parse.GetValue(member);
            var chosen = new List<DecisionKind>();
            if (parse.GetValue(keep)) chosen.Add(DecisionKind.Keep);
            if (parse.GetValue(revoke)) chosen.Add(DecisionKind.Revoke);
            if (parse.GetValue(changeRole) is not null) chosen.Add(DecisionKind.ChangeRole);
            if (parse.GetValue(defer)) chosen.Add(DecisionKind.Defer);
            var extraRoles = parse.GetValue(roles) ?? [];
            if (file is not null)
            {
                if (email is not null || chosen.Count > 0 || extraRoles.Length > 0 || parse.GetValue(comment) is not null || parse.GetValue(account) is not null)
                {
                    throw new UsageException("--from FILE takes every decision from the file: give no MEMBER_EMAIL, decision, --role, --comment or --account with it");
                }
                return await BulkAsync(parse.GetValue(campaign)!, file, parse.GetValue(by)!, ct);
            }

            if (email is null)
            {
                throw new UsageException("name the member (MEMBER_EMAIL), or give --from FILE.csv");
            }
            if (chosen.Count != 1)
            {
                throw new UsageException("give exactly one decision: --keep, --revoke, --change-role \"ROLE\" or --defer");
            }
            if (extraRoles.Length > 0 && chosen[0] != DecisionKind.ChangeRole)
            {
                throw new UsageException("--role adds roles to --change-role; give --change-role \"ROLE\" first");
            }

            var decidedRoles = parse.GetValue(changeRole) is { } first ? extraRoles.Prepend(first).ToList() : [];
            return await DecideAsync(new DecideRequest(parse.GetValue(campaign)!, email, chosen[0], decidedRoles, parse.GetValue(by)!, parse.GetValue(comment), parse.GetValue(account)), ct);
        });
        return command;
    }

    private static async Task<int> DecideAsync(DecideRequest request, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var (item, decision, previous) = await ReviewCommand.Service(store).DecideAsync(request, ct);
        var what = ReviewRules.Name(decision.Decision) + (decision.Roles.Count > 0 ? $" ({string.Join(", ", decision.Roles)})" : "");
        Console.WriteLine($"Recorded {what} for {item.Label} in {item.AccountName} by {decision.By}" +
            (previous is null ? "." : $"; it supersedes {ReviewRules.Name(previous.Decision)} by {previous.By} at {ReviewCommand.Time(previous.At)}."));
        if (decision.Decision is DecisionKind.Revoke or DecisionKind.ChangeRole)
        {
            Console.WriteLine("  pending removal until an access sync ('vigil sync') shows it applied in Cloudflare; 'vigil review apply' can make the change with a remediate credential.");
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> BulkAsync(string campaignId, FileInfo file, string by, CancellationToken ct)
    {
        if (!file.Exists)
        {
            throw new CliException($"{file.FullName}: no such file");
        }

        await using var store = await CliStore.OpenAsync(ct);
        IReadOnlyList<ReviewDecision> decisions;
        try
        {
            using var reader = new StreamReader(file.FullName);
            decisions = await ReviewCommand.Service(store).DecideBulkAsync(campaignId, reader, by, file.Name, ct);
        }
        catch (BulkDecisionsRejectedException e)
        {
            foreach (var error in e.Errors)
            {
                Console.Error.WriteLine($"{file.Name}: {error}");
            }
            throw;
        }

        Console.WriteLine($"Recorded {decisions.Count} decision{(decisions.Count == 1 ? "" : "s")} from {file.Name} by {by.Trim()}: " +
            string.Join(", ", decisions.GroupBy(d => d.Decision).Select(g => $"{g.Count()} {ReviewRules.Name(g.Key)}")));
        return ExitCodes.Ok;
    }
}
