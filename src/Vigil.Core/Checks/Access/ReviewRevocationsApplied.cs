using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Reviews;
using Vigil.Core.Systems;

namespace Vigil.Core.Checks.Access;

/// <summary>Every revocation an access review decided was seen applied in Cloudflare within the SLA, and stayed applied.</summary>
internal sealed class ReviewRevocationsApplied : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.review-revocations-applied",
        Title: "Access-review revocations are applied in Cloudflare within the SLA",
        Severity: Severity.High,
        Asserts: "Every revoke or change-role decision of a Cloudflare access review decided more than revocation_sla_days ago (default 7; 0: at once) was seen applied by a later access sync (the membership gone, or holding exactly the decided roles), and no verified revocation has reappeared since.",
        Remediation: "Remove the member (or change its roles as decided) in the Cloudflare dashboard under Manage Account > Members, then run `vigil sync`; `vigil review show CAMPAIGN` lists every pending revocation.",
        Frameworks: [Soc2.CC6_2, Soc2.CC6_3, Iso27001.A5_18, PciDss.R7_2_4],
        Needs: DataNeeds.Members | DataNeeds.CriticalSystem);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        var sla = context.Options.RevocationSla;
        var judged = 0;
        foreach (var campaign in context.Reviews.Of(CriticalSystem.CloudflareName).Where(c => c.Campaign.Status != CampaignStatus.Cancelled))
        {
            foreach (var item in campaign.Items)
            {
                var verification = campaign.VerificationOf(item, context.Now, sla);
                if (verification.Decision is not { } decision)
                {
                    continue;
                }

                judged++;
                yield return Judge(context, campaign, item, decision, verification, sla);
            }
        }

        if (judged == 0)
        {
            yield return new Finding(FindingStatus.Skipped, ResourceTypes.System, CriticalSystem.CloudflareName, null, CriticalSystem.CloudflareName,
                "no Cloudflare access review has decided a revocation or role change, so there is nothing to verify", null);
        }
    }

    private static Finding Judge(EvaluationContext context, ReviewCampaign campaign, ReviewItem item, ReviewDecision decision, ItemVerification verification, TimeSpan sla)
    {
        var what = decision.Decision == DecisionKind.Revoke
            ? $"revocation of {item.Label} in account {item.AccountName}"
            : $"role change of {item.Label} in account {item.AccountName} to {string.Join(", ", decision.Roles)}";
        var decided = $"decided by {decision.By} on {Time(decision.At)} in campaign {campaign.Id}";
        var remove = decision.Decision == DecisionKind.Revoke
            ? $"Remove {item.Label} from account {item.AccountName} ({item.AccountId}): Cloudflare dashboard > Manage Account > Members > {item.Label} > Remove; then run `vigil sync`."
            : $"Set the roles of {item.Label} in account {item.AccountName} ({item.AccountId}) to {string.Join(", ", decision.Roles)}: Cloudflare dashboard > Manage Account > Members > {item.Label} > Edit; then run `vigil sync`.";
        switch (verification.State)
        {
            case VerificationState.Verified:
                var elapsed = verification.VerifiedAt!.Value - decision.At;
                return Finding(FindingStatus.Pass, item,
                    $"{what} ({decided}) verified: access data read at {Time(verification.VerifiedAt.Value)} (snapshot {verification.Event!.SnapshotId}), {Elapsed(elapsed)} after the decision, shows {verification.Event.Detail}", null);
            case VerificationState.Reappeared:
                return Finding(FindingStatus.Fail, item,
                    $"{what} ({decided}) was verified, then reappeared: access data read at {Time(verification.Event!.ObservedAt)} (snapshot {verification.Event.SnapshotId}) shows {verification.Event.Detail}", remove);
            case VerificationState.Overdue:
                return Finding(FindingStatus.Fail, item,
                    $"{what} ({decided}) is not verified after {Elapsed(context.Now - decision.At)}; the SLA is {Days(sla)} (revocation_sla_days)", remove);
            default:
                return Finding(FindingStatus.Pass, item,
                    $"{what} ({decided}) is pending removal, within the SLA of {Days(sla)}: due verified by {Time(decision.At + sla)}", null);
        }
    }

    private static Finding Finding(FindingStatus status, ReviewItem item, string reason, string? remediation) =>
        new(status, ResourceTypes.Member, item.MemberId, item.AccountId, item.Label, reason, remediation);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Days(TimeSpan sla) => sla == TimeSpan.Zero ? "0 days (any unverified revocation fails)" : $"{sla.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days";

    /// <summary>"3 h 12 min", "2 d 4 h".</summary>
    internal static string Elapsed(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalDays >= 1
            ? $"{(int)span.TotalDays} d {span.Hours} h"
            : $"{(int)span.TotalHours} h {span.Minutes} min";
    }
}
