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
        Asserts: "Every accepted membership's user has two-factor authentication enabled, as reported by Cloudflare. A missing flag is not taken as enabled. Pending invitations are judged once accepted.",
        Remediation: "Have the user enable 2FA (Cloudflare dashboard > My Profile > Authentication), or enforce it for the account (see cloudflare.account-2fa-enforced).",
        Frameworks: [Soc2.CC6_1, Iso27001.A5_17, Iso27001.A8_5],
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

        var remediation =
            $"Ask {member.Email} to enable two-factor authentication (Cloudflare dashboard > My Profile > Authentication > Two-Factor Authentication), " +
            $"or enforce it for {context.DescribeAccount(member.AccountId)} (Manage Account > Configurations > Preferences > Enforce Two-Factor Authentication); then run `vigil sync`.";
        return member.TwoFactorEnabled switch
        {
            true => member.Pass($"{who} has two-factor authentication enabled"),
            false => member.Fail($"{who} has two-factor authentication disabled", remediation),
            null => member.Fail($"the Cloudflare API did not report whether {who} has two-factor authentication enabled; a missing flag is not taken as enabled", remediation),
        };
    }
}
