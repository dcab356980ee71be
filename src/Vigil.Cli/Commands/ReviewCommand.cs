using System.CommandLine;
using Vigil.App.Reviews;
using Vigil.Core.Checks;
using Vigil.Storage;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil review start|list|show|decide|reassign|complete</c>: access-review campaigns with a closed revocation loop.
/// Each verb is its own class; this one groups them and holds what they share.
/// </summary>
internal static class ReviewCommand
{
    public static Command Build() => new("review", "Access reviews: campaigns, decisions, sign-off, and proof that revocations were applied")
    {
        ReviewStartCommand.Build(),
        ReviewListCommand.Build(),
        ReviewShowCommand.Build(),
        ReviewDecideCommand.Build(),
        ReviewReassignCommand.Build(),
        ReviewCompleteCommand.Build(),
    };

    internal static Argument<string> CampaignArgument() => new("CAMPAIGN") { Description = "The campaign id (from 'vigil review start' or 'vigil review list')" };

    internal static Option<string> ByOption() => new("--by") { Description = "Your email: who records this (the item's reviewer, the system owner or an admin)", Required = true };

    /// <summary>The review operations over the command's store.</summary>
    internal static ReviewService Service(IVigilStore store) => new(store, TimeProvider.System);

    internal static string Time(DateTimeOffset at) => ReviewJson.Time(at);

    internal static string? Time(DateTimeOffset? at) => ReviewJson.Time(at);

    /// <summary>The system under review is always Cloudflare today.</summary>
    internal const string SystemName = ComplianceEvaluator.CloudflareSystem;
}
