using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Sync;

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

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        Memberships.Evaluate(context, member => Judge(context, member)).Concat(Removed(context));

    /// <summary>
    /// Memberships of offboarded people that the audit log shows removed (and that are gone from the snapshot): passing
    /// findings that say when and by whom, e.g. "access removed 3 h 12 min after offboarding, by admin@example.com".
    /// </summary>
    private static IEnumerable<Finding> Removed(EvaluationContext context)
    {
        if (context.Snapshot.AuditLog is not { Count: > 0 })
        {
            yield break;
        }
        var present = context.Snapshot.Members.Select(m => (m.AccountId, m.Id)).ToHashSet();
        var removals = (context.Snapshot.AuditLog ?? [])
            .Select(AuditLogMembership.Read)
            .OfType<AuditLogMembership.Change>()
            .Where(c => c.Kind == AuditChangeKind.MemberRemoved && c.MemberId is not null && c.Entry.SubjectEmail is { Length: > 0 } && !present.Contains((c.AccountId, c.MemberId!)))
            .GroupBy(c => (c.AccountId, c.MemberId!))
            .Select(g => g.MaxBy(c => c.Entry.Time)!);
        foreach (var removal in removals)
        {
            if (context.Identities.Resolve(removal.Entry.SubjectEmail!) is not MemberIdentity.Identified { Person: { Status: PersonStatus.Offboarded, OffboardedOn: { } on } person })
            {
                continue;
            }
            var offboarded = OffboardingDeadline.Resolve(on.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), context.Options.TimeZone);
            if (removal.Entry.Time < offboarded.AddDays(-7))
            {
                continue; // removed long before offboarding: not part of it
            }
            var deadline = OffboardingDeadline.For(on, context.Options.TimeZone, context.Options.OffboardingGracePeriod);
            var late = removal.Entry.Time > deadline.Due ? $"; later than due ({deadline.Description})" : "";
            var account = context.FindAccount(removal.AccountId)?.Name ?? removal.AccountId;
            yield return new Finding(FindingStatus.Pass, ResourceTypes.Member, removal.MemberId!, removal.AccountId, $"{removal.Entry.SubjectEmail} in {account}",
                $"{removal.Entry.SubjectEmail} belongs to {person.Name} <{person.Email}>, offboarded on {on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: access removed " +
                $"{AuditLogMembership.Elapsed((removal.Entry.Time - offboarded).Duration())} {(removal.Entry.Time >= offboarded ? "after" : "before")} offboarding, " +
                $"by {removal.Entry.Actor} at {removal.Entry.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC (audit log){late}", null, removal.Entry.Time);
        }
    }

    private static Finding Judge(EvaluationContext context, AccountMember member)
    {
        var who = Memberships.Describe(context, member);
        switch (Memberships.Identity(context, member))
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
