using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Access;

/// <summary>Every member who can sign in has two-factor authentication on their Cloudflare user.</summary>
internal sealed class Member2faEnabled : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.member-2fa-enabled",
        Title: "Every Cloudflare member has two-factor authentication enabled",
        Severity: Severity.High,
        Asserts: "Every accepted membership's user has two-factor authentication enabled, as reported by Cloudflare, or signs in through dashboard SSO for an email domain declared with `vigil accounts sso`. A missing flag is not taken as enabled (unknown). Pending invitations are judged once accepted.",
        Remediation: "Have the user enable 2FA (Cloudflare dashboard > My Profile > Authentication), or enforce it for the account (see cloudflare.account-2fa-enforced).",
        Frameworks: [Soc2.CC6_1, Iso27001.A5_17, Iso27001.A8_5, PciDss.R8_4_1, PciDss.R8_4_3],
        Needs: DataNeeds.Members);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => Memberships.Evaluate(context, member => Judge(context, member));

    private static Finding Judge(EvaluationContext context, AccountMember member)
    {
        var who = Memberships.Describe(context, member);
        if (member.Status == MembershipStatus.Pending)
        {
            return member.Skip($"{who} is not accepted yet; two-factor authentication is judged once the user joins");
        }

        if (SsoCoverage.Of(context, member) is { } sso)
        {
            return member.Pass($"{who} is {sso.Reason}");
        }

        string Remediation() =>
            $"Ask {member.Label} to enable two-factor authentication (Cloudflare dashboard > My Profile > Authentication > Two-Factor Authentication), " +
            $"or enforce it for {context.DescribeAccount(member.AccountId)} (Manage Account > Configurations > Preferences > Enforce Two-Factor Authentication); then run `vigil sync`.";
        return member.TwoFactorEnabled switch
        {
            true => member.Pass($"{who} has two-factor authentication enabled"),
            false => member.Fail($"{who} has two-factor authentication disabled", Remediation()),
            null => member.Unknown($"Cloudflare did not report 2FA for this member: {who}; a missing flag is not taken as enabled",
                $"Check the member's 2FA in the Cloudflare dashboard (Manage Account > Members), or declare dashboard SSO for their email domain with `vigil accounts sso`. {Remediation()}"),
        };
    }
}
