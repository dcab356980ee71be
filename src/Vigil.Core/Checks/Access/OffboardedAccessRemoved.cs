using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;
using Vigil.Core.People;

namespace Vigil.Core.Checks.Access;

/// <summary>Nobody who has left the organisation keeps a membership or an open invitation.</summary>
internal sealed class OffboardedAccessRemoved : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.offboarded-access-removed",
        Title: "Offboarded people hold no Cloudflare access",
        Severity: Severity.Critical,
        Asserts: "No membership or pending invitation in any synced account resolves to a person whose status is offboarded, once the end of their offboarding date in the organisation's time zone (default UTC) plus the configured grace period (default: none) has passed.",
        Remediation: "Remove the member (or revoke the invitation) in the Cloudflare dashboard under Manage Account > Members, then run `vigil sync`.",
        Frameworks: [Soc2.CC6_2, Soc2.CC6_3, Iso27001.A5_18, Iso27001.A6_5, PciDss.R8_2_4, PciDss.R8_2_5],
        Needs: DataNeeds.Members | DataNeeds.People);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => Memberships.Evaluate(context, member => Judge(context, member));

    private static Finding Judge(EvaluationContext context, AccountMember member)
    {
        var who = Memberships.Describe(context, member);
        switch (context.Identities.Resolve(member))
        {
            case MemberIdentity.Identified { Person.Status: PersonStatus.Active, Person: var person }:
                return member.Pass($"{who} is {person.Name} <{person.Email}>, who is active");
            case MemberIdentity.Identified { Person: var person }:
                return JudgeOffboarded(context, member, who, person);
            case MemberIdentity.ServiceAccount:
                return member.Pass($"{who} is a service account, not a person");
            default:
                return member.Skip($"{who} is not identified, so whether its owner left cannot be told; cloudflare.user-identified reports it");
        }
    }

    private static Finding JudgeOffboarded(EvaluationContext context, AccountMember member, string who, Person person)
    {
        if (person.OffboardedOn is not { } offboardedOn)
        {
            return member.Fail($"{who} belongs to {person.Name} <{person.Email}>, who is offboarded (no offboarding date recorded)",
                Remedies.RemoveMember(context, member));
        }

        var date = offboardedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var deadline = OffboardingDeadline.For(offboardedOn, context.Options.TimeZone, context.Options.OffboardingGracePeriod);
        return context.Now < deadline.Due
            ? member.Pass($"{who} belongs to {person.Name} <{person.Email}>, offboarded on {date}; within the grace period: due removed by {deadline.Description}")
            : member.Fail($"{who} belongs to {person.Name} <{person.Email}>, offboarded on {date}; access was due removed by {deadline.Description}",
                Remedies.RemoveMember(context, member));
    }
}
