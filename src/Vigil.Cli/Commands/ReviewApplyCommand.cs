using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.App;
using Vigil.App.Reviews;
using Vigil.Core.Reviews;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil review apply CAMPAIGN [--yes] [--credential NAME] [--format json]</c>: shows each pending revocation and role
/// change as the Cloudflare call it will make; without --yes that is all (no call is made). With --yes it makes exactly
/// those calls with the remediate credential, records each answer beside its decision, then runs an access sync that
/// verifies them.
/// </summary>
internal static class ReviewApplyCommand
{
    public static Command Build()
    {
        var campaign = ReviewCommand.CampaignArgument();
        var yes = new Option<bool>("--yes") { Description = "Make the calls (without it: a dry run that makes none)" };
        var credential = new Option<string?>("--credential") { Description = "The remediate credential to use, when there are several" };
        var format = ChecksCommand.FormatOption();
        var command = new Command("apply", "Apply a campaign's revocations and role changes in Cloudflare (dry run unless --yes)") { campaign, yes, credential, format };
        command.SetAction((parse, ct) => ApplyAsync(parse.GetValue(campaign)!, parse.GetValue(yes), parse.GetValue(credential), parse.GetValue(format) == "json", ct));
        return command;
    }

    private static async Task<int> ApplyAsync(string campaignId, bool yes, string? credentialName, bool json, CancellationToken ct)
    {
        await using var services = await CliServices.StartAsync(ct);
        var plan = await ReviewRemediation.PlanAsync(services, campaignId, credentialName, ct);
        if (!yes)
        {
            if (json)
            {
                Console.WriteLine(new JsonObject
                {
                    ["campaign_id"] = plan.CampaignId,
                    ["dry_run"] = true,
                    ["credential"] = plan.Credential?.Name,
                    ["credential_problem"] = plan.CredentialProblem,
                    ["calls"] = Calls(plan.Calls),
                    ["skipped"] = Skipped(plan.Skipped),
                }.ToJsonString(ReviewJson.Options));
                return ExitCodes.Ok;
            }

            PrintPlan(plan);
            Console.WriteLine(plan.Calls.Count == 0
                ? "Nothing to apply."
                : $"Dry run: no call was made. Run 'vigil review apply {plan.CampaignId} --yes' to make {(plan.Calls.Count == 1 ? "it" : $"these {plan.Calls.Count} calls")}.");
            return ExitCodes.Ok;
        }

        if (plan.Calls.Count == 0)
        {
            if (json)
            {
                Console.WriteLine(new JsonObject { ["campaign_id"] = plan.CampaignId, ["dry_run"] = false, ["calls"] = new JsonArray(), ["skipped"] = Skipped(plan.Skipped) }.ToJsonString(ReviewJson.Options));
                return ExitCodes.Ok;
            }

            PrintPlan(plan);
            Console.WriteLine("Nothing to apply: no call was made.");
            return ExitCodes.Ok;
        }

        var options = await CheckConfiguration.OptionsAsync(services.Store, null, null, ct);
        if (!json)
        {
            PrintPlan(plan);
        }

        var result = await ReviewRemediation.ApplyAsync(services, plan, options, "review-apply", ct);
        var failed = result.Made.Count(m => m.Attempt.Outcome is not (RemediationOutcome.Applied or RemediationOutcome.NotFound)) + result.NotMade.Count;
        if (json)
        {
            var made = new JsonArray();
            foreach (var m in result.Made)
            {
                made.Add(new JsonObject
                {
                    ["member_email"] = m.Call.Item.MemberEmail,
                    ["account_id"] = m.Call.Item.AccountId,
                    ["decision"] = ReviewRules.Name(m.Call.Decision.Decision),
                    ["method"] = m.Attempt.Method,
                    ["path"] = m.Attempt.Path,
                    ["body"] = m.Attempt.RequestBody,
                    ["outcome"] = ReviewJson.Name(m.Attempt.Outcome),
                    ["http_status"] = m.Attempt.HttpStatus,
                    ["message"] = m.Attempt.Explanation,
                    ["verification"] = result.Campaign.Items.FirstOrDefault(i => i.AccountId == m.Call.Item.AccountId && i.MemberId == m.Call.Item.MemberId)?.Verification,
                });
            }
            Console.WriteLine(new JsonObject
            {
                ["campaign_id"] = plan.CampaignId,
                ["dry_run"] = false,
                ["credential"] = plan.Credential?.Name,
                ["calls"] = made,
                ["not_made"] = Calls(result.NotMade),
                ["skipped"] = Skipped(plan.Skipped),
                ["sync_run_id"] = result.Sync?.Run.Id,
                ["sync_problem"] = result.SyncProblem,
            }.ToJsonString(ReviewJson.Options));
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
        }

        Console.WriteLine($"Made {result.Made.Count} call{(result.Made.Count == 1 ? "" : "s")} with remediate credential '{plan.Credential!.Name}':");
        foreach (var m in result.Made)
        {
            var verification = result.Campaign.Items.FirstOrDefault(i => i.AccountId == m.Call.Item.AccountId && i.MemberId == m.Call.Item.MemberId)?.Verification;
            Console.WriteLine($"  {m.Attempt.Method} {m.Attempt.Path}: {(m.Attempt.HttpStatus is { } status ? $"HTTP {status}" : "no answer")} {ReviewJson.Name(m.Attempt.Outcome)}; {m.Attempt.Explanation}" +
                (verification is null ? "" : $" (verification: {verification})"));
        }
        foreach (var call in result.NotMade)
        {
            Console.WriteLine($"  not made: {call.Display} (Cloudflare rate-limited an earlier call; run 'vigil review apply {plan.CampaignId} --yes' again later)");
        }
        if (result.Sync is { } sync)
        {
            Console.WriteLine($"Access sync {sync.Run.Id}: {Render.Lower(sync.Run.Status)}; the verification above is what it showed.");
        }
        else if (result.SyncProblem is { } problem)
        {
            Console.WriteLine(problem);
        }
        if (failed > 0)
        {
            throw new CliException($"{failed} change{(failed == 1 ? " was" : "s were")} not applied; each answer is recorded and explained above ('vigil review show {plan.CampaignId}')");
        }
        return ExitCodes.Ok;
    }

    private static void PrintPlan(ApplyPlan plan)
    {
        if (plan.Credential is { } credential)
        {
            Console.WriteLine($"Campaign {plan.CampaignId}: {plan.Calls.Count} call{(plan.Calls.Count == 1 ? "" : "s")} with remediate credential '{credential.Name}' ({credential.ApiUrl}):");
        }
        else
        {
            Console.WriteLine($"Campaign {plan.CampaignId}: {plan.Calls.Count} call{(plan.Calls.Count == 1 ? "" : "s")} to make; {plan.CredentialProblem}");
        }
        foreach (var call in plan.Calls)
        {
            var what = call.Decision.Decision == DecisionKind.Revoke
                ? $"revoke {call.Item.Label} in {call.Item.AccountName}"
                : $"change_role {call.Item.Label} in {call.Item.AccountName} to {string.Join(", ", call.RoleNames)}";
            Console.WriteLine($"  {call.Display}");
            Console.WriteLine($"      {what} (decided by {call.Decision.By} at {ReviewCommand.Time(call.Decision.At)})");
        }
        foreach (var skipped in plan.Skipped)
        {
            Console.WriteLine($"  skipped {skipped.Item.Label} in {skipped.Item.AccountName}: {skipped.Reason}");
        }
    }

    private static JsonArray Calls(IEnumerable<PlannedCall> calls) => new([.. calls.Select(c => (JsonNode)new JsonObject
    {
        ["member_email"] = c.Item.MemberEmail,
        ["account_id"] = c.Item.AccountId,
        ["decision"] = ReviewRules.Name(c.Decision.Decision),
        ["method"] = c.Method,
        ["path"] = c.Path,
        ["body"] = c.Body,
    })]);

    private static JsonArray Skipped(IEnumerable<SkippedChange> skipped) => new([.. skipped.Select(s => (JsonNode)new JsonObject
    {
        ["member_email"] = s.Item.MemberEmail,
        ["account_id"] = s.Item.AccountId,
        ["reason"] = s.Reason,
    })]);
}
