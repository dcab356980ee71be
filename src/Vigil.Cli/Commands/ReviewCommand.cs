using System.CommandLine;
using Vigil.Core.Checks;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Core.Settings;
using Vigil.Core.Storage;

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

    /// <summary>The campaign, or a clear error naming how to find one.</summary>
    internal static async Task<ReviewCampaign> LoadAsync(IReviewStore reviews, string campaignId, CancellationToken ct) =>
        await reviews.LoadCampaignAsync(campaignId, ct)
        ?? throw new CliException($"there is no review campaign '{campaignId}'; 'vigil review list' shows them");

    internal static async Task<StaffDirectory> StaffAsync(IDirectoryStore directory, CancellationToken ct) => new(await directory.ListPeopleAsync(ct));

    /// <summary>The store's review tables; every Vigil database has them (typed loosely so the command does not depend on the engine).</summary>
    internal static IReviewStore Reviews(object store) =>
        store as IReviewStore ?? throw new InvalidOperationException("access reviews are stored on the embedded SQLite database only for now; this Vigil database (PostgreSQL) has no access-review tables yet");

    /// <summary>The revocation SLA from the organisation's settings (revocation_sla_days).</summary>
    internal static async Task<TimeSpan> SlaAsync(ISettingsStore settings, CancellationToken ct) =>
        (await OrganisationSettings.LoadAsync(settings, ct)).ToCheckOptions().RevocationSla;

    /// <summary>Runs a review action; a refused rule becomes one plain error line (exit 1).</summary>
    internal static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ReviewRuleException e)
        {
            throw new CliException(e.Message);
        }
    }

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    internal static string? Time(DateTimeOffset? at) => at is { } value ? Time(value) : null;

    internal static string StatusText(CampaignStatus status) => Render.Lower(status);

    internal static string VerificationText(VerificationState state) => Render.Lower(state);

    /// <summary>The system under review is always Cloudflare today.</summary>
    internal const string SystemName = ComplianceEvaluator.CloudflareSystem;
}
