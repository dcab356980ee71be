using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Access;

/// <summary>No invitation to a Cloudflare account stays open long: an old invitation is access nobody is watching.</summary>
/// <remarks>
/// Cloudflare's member objects carry no invitation date, so a pending invitation is dated from the first sync that saw
/// it (<see cref="AccountMember.FirstSeenAt"/>): its true age may be longer, never shorter.
/// </remarks>
internal sealed class InvitesNotStale : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.invites-not-stale",
        Title: "No Cloudflare invitation stays pending longer than allowed",
        Severity: Severity.Medium,
        Asserts: "No pending invitation in any synced account is older than max_invite_age_days (default 14). Cloudflare gives no invitation date, so an invitation's age is counted from the first Vigil sync that saw it; it may be older, never younger.",
        Remediation: "Revoke invitations that were not taken up: Cloudflare dashboard > Manage Account > Members > (invitation) > Revoke invite; invite again if the person still needs access.",
        Frameworks: [Soc2.CC6_2, Soc2.CC6_3, Iso27001.A5_16, Iso27001.A5_18, PciDss.R8_2_4, PciDss.R8_2_6],
        Needs: DataNeeds.Members);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => Memberships.Evaluate(context, member => Judge(context, member));

    private static Finding Judge(EvaluationContext context, AccountMember member)
    {
        var who = Memberships.Describe(context, member);
        if (member.Status != MembershipStatus.Pending)
        {
            return member.Skip($"{who} is accepted; it is not an invitation");
        }

        var maxDays = context.Options.MaxInviteAge.TotalDays.ToString("0.##", CultureInfo.InvariantCulture);
        if (member.FirstSeenAt is not { } firstSeen)
        {
            return member.Unknown($"{who}: Vigil has no record of when it first saw this invitation (the snapshot predates that record), so its age is unknown",
                "Run `vigil sync`: from then on Vigil dates each pending invitation from the first sync that sees it.");
        }

        var age = context.Now - firstSeen;
        var seen = firstSeen.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var days = Math.Max(0, Math.Floor(age.TotalDays)).ToString("0", CultureInfo.InvariantCulture);
        var dated = $"first seen pending by Vigil on {seen} ({days} day{(days == "1" ? "" : "s")} ago; Cloudflare gives no invitation date, so this is when Vigil first saw the invitation)";
        return age > context.Options.MaxInviteAge
            ? member.Fail($"{who} is still pending, {dated}; invitations may stay pending at most {maxDays} days (max_invite_age_days)",
                Remedies.RemoveMember(context, member))
            : member.Pass($"{who} is pending, {dated}; within {maxDays} days (max_invite_age_days)");
    }
}
