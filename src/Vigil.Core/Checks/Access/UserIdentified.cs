using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;
using Vigil.Core.People;

namespace Vigil.Core.Checks.Access;

/// <summary>Every membership belongs to someone the organisation knows: a person in the staff directory or a justified service account.</summary>
internal sealed class UserIdentified : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.user-identified",
        Title: "Every Cloudflare member is a known person or a justified service account",
        Severity: Severity.High,
        Asserts: "Each membership and pending invitation in every synced account resolves, by identity mapping, email or alias, to a person in the staff directory, or is mapped to a service account with a written justification.",
        Remediation: "Import the staff directory (`vigil staff import FILE`), map the member by hand (`vigil map MEMBER_EMAIL --person EMAIL`), or remove the member from the Cloudflare account.",
        Frameworks: [Soc2.CC6_1, Soc2.CC6_2, Iso27001.A5_16, Iso27001.A5_18, PciDss.R8_2_1, PciDss.R8_2_2],
        Needs: DataNeeds.Members | DataNeeds.People);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => Memberships.Evaluate(context, member => Judge(context, member));

    private static Finding Judge(EvaluationContext context, AccountMember member)
    {
        var who = Memberships.Describe(context, member);
        if (!member.HasEmail)
        {
            return member.Fail($"{who} is unidentified: Cloudflare returned no email for member {member.Id} (user id {member.UserId ?? "not sent"})",
                $"Find the user of member {member.Id} in the Cloudflare dashboard (Manage Account > Members); if nobody should hold this access: {Remedies.RemoveMember(context, member)}");
        }

        return Memberships.Identity(context, member) switch
        {
            MemberIdentity.Identified { Person: var person, MatchedBy: var match } =>
                member.Pass($"{who} is {person.Name} <{person.Email}> (matched by {MatchName(match)})"),
            MemberIdentity.ServiceAccount { Justification.Length: > 0 } service =>
                member.Pass($"{who} is a service account: {service.Justification}"),
            MemberIdentity.ServiceAccount =>
                member.Fail($"{who} is marked as a service account without a justification",
                    $"Record why it needs access: `vigil map {member.Email} --service-account \"<justification>\"`."),
            MemberIdentity.Unidentified unidentified =>
                member.Fail($"{who} is not identified: {unidentified.Reason}",
                    $"Add the person to the staff directory (`vigil staff import FILE`), map the member to a person (`vigil map {member.Email} --person <email>`) or to a service account (`vigil map {member.Email} --service-account \"<justification>\"`). If nobody should hold this access: {Remedies.RemoveMember(context, member)}"),
            _ => throw new InvalidOperationException("unreachable: MemberIdentity has three cases"),
        };
    }

    private static string MatchName(IdentityMatch match) => match switch
    {
        IdentityMatch.Mapping => "identity mapping",
        IdentityMatch.Alias => "alias",
        _ => "email",
    };
}
