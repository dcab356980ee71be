using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Reviews;
using Vigil.Core.Systems;

namespace Vigil.Core.Checks.Access;

/// <summary>Access to Cloudflare was reviewed and signed off recently enough.</summary>
internal sealed class AccessReviewed : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.access-reviewed",
        Title: "Cloudflare access was reviewed and signed off within the review interval",
        Severity: Severity.High,
        Asserts: "A Cloudflare access review campaign was completed (every membership decided and signed off by the system owner or an admin) within review_interval_days (default 90; PCI DSS 7.2.4 asks for 180 at most).",
        Remediation: "Run an access review: `vigil review start cloudflare`, have the reviewers decide every item (`vigil review decide`), then sign it off with `vigil review complete CAMPAIGN --by OWNER --statement TEXT`.",
        Frameworks: [Soc2.CC6_2, Soc2.CC6_3, Iso27001.A5_18, PciDss.R7_2_4],
        Needs: DataNeeds.CriticalSystem);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        var interval = context.Options.ReviewInterval;
        var days = interval.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
        var campaigns = context.Reviews.Of(CriticalSystem.CloudflareName).ToList();
        var last = campaigns.Where(c => c.Campaign is { Status: CampaignStatus.Completed, SignOff: not null }).MaxBy(c => c.Campaign.SignOff!.At);
        var open = campaigns.LastOrDefault(c => c.Campaign.Status == CampaignStatus.Open);
        var inProgress = open is null ? "" : $"; campaign {open.Id} ({open.Campaign.Name}) is {Render(open.Status)} with {open.DecidedCount} of {open.Items.Count} items decided";
        var remediation = open is null
            ? Definition.Remediation
            : $"Finish campaign {open.Id}: decide the remaining items (`vigil review show {open.Id}`), then `vigil review complete {open.Id} --by OWNER --statement TEXT`.";

        if (last is null)
        {
            yield return Finding(FindingStatus.Fail, $"no Cloudflare access review has been completed{inProgress}; one is due every {days} days (review_interval_days)", remediation);
            yield break;
        }

        var signOff = last.Campaign.SignOff!;
        var age = context.Now - signOff.At;
        var described = $"the last completed Cloudflare access review is campaign {last.Id} ({last.Campaign.Name}), signed off by {signOff.By} on {Date(signOff.At)}, {(int)Math.Max(0, age.TotalDays)} days ago";
        yield return age <= interval
            ? Finding(FindingStatus.Pass, $"{described}, within the review interval of {days} days", null)
            : Finding(FindingStatus.Fail, $"{described}; reviews are due every {days} days (review_interval_days){inProgress}", remediation);
    }

    private static Finding Finding(FindingStatus status, string reason, string? remediation) =>
        new(status, ResourceTypes.System, CriticalSystem.CloudflareName, null, CriticalSystem.CloudflareName, reason, remediation);

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Render(CampaignStatus status) => status switch
    {
        CampaignStatus.InReview => "in review",
        CampaignStatus.AwaitingSignoff => "awaiting sign-off",
        _ => "open",
    };
}
