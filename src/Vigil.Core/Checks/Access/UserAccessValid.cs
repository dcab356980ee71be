using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Systems;

namespace Vigil.Core.Checks.Access;

/// <summary>Each active person's Cloudflare access matches what their org role allows on the Cloudflare critical system.</summary>
internal sealed class UserAccessValid : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.user-access-valid",
        Title: "Active people hold only the Cloudflare access their org role allows",
        Severity: Severity.High,
        Asserts: "For every membership of an active person, the person's org role is allowed on the Cloudflare critical system, and, when that org role is limited to certain Cloudflare roles, every role and allow-policy permission group the member holds, directly or through an IAM user group, is among them (names compared case-insensitively; a limit ending in @account allows the permission group only on the whole account). When the account's user groups could not be read, a limit is unknown rather than passed.",
        Remediation: "Reduce the member's roles in the Cloudflare dashboard (Manage Account > Members > Edit), correct the person's org role in the staff directory, or change the org roles allowed on the system (`vigil systems add` / `vigil systems allow`).",
        Frameworks: [Soc2.CC6_1, Soc2.CC6_3, Iso27001.A5_15, Iso27001.A5_18, Iso27001.A8_2, PciDss.R7_2_2, PciDss.R7_2_4],
        Needs: DataNeeds.Members | DataNeeds.People | DataNeeds.CriticalSystem);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        if (context.System is not { AllowedRoles.Count: > 0 } system)
        {
            var name = context.System?.Name ?? CriticalSystem.CloudflareName;
            return
            [
                new Finding(FindingStatus.Unknown, ResourceTypes.System, name, null, name,
                    "access cannot be judged: Cloudflare is not registered as a critical system with allowed org roles (see cloudflare.access-control-configured)",
                    Remedies.RegisterSystem),
            ];
        }

        return Memberships.Evaluate(context, new Judge(context, system).Member);
    }

    /// <summary>
    /// The judgement of every membership against one system's rules. What does not depend on the membership (the
    /// rules by org role, their limits, the accounts whose user groups could not be read) is worked out once.
    /// </summary>
    private sealed class Judge
    {
        private readonly EvaluationContext _context;
        private readonly CriticalSystem _system;
        private readonly Dictionary<string, Rule> _rules = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Sync.ReadGap> _userGroupGaps = new(StringComparer.Ordinal);
        private readonly string _allowedOrgRoles;

        public Judge(EvaluationContext context, CriticalSystem system)
        {
            _context = context;
            _system = system;
            _allowedOrgRoles = string.Join(", ", system.AllowedRoles.Select(r => r.OrgRole));
            foreach (var rule in system.AllowedRoles)
            {
                // The first rule naming an org role decides, as a search in order would.
                _rules.TryAdd(rule.OrgRole, new Rule(rule, [.. rule.SystemRoles.Select(MemberGrants.Limit.Parse)], string.Join(", ", rule.SystemRoles)));
            }
            foreach (var gap in context.Snapshot.Gaps.Where(g => g.Stage == "access" && g.ResourceType == UserGroupGap && g.ResourceId is not null))
            {
                _userGroupGaps.TryAdd(gap.ResourceId!, gap);
            }
        }

        public Finding Member(AccountMember member)
        {
            var who = Memberships.Describe(_context, member);
            switch (Memberships.Identity(_context, member))
            {
                case MemberIdentity.ServiceAccount:
                    return member.Skip($"{who} is a service account; its access rests on the identity mapping's justification, not on an org role");
                case MemberIdentity.Unidentified:
                    return member.Skip($"{who} is not identified, so it has no org role to judge; cloudflare.user-identified reports it");
                case MemberIdentity.Identified { Person.Status: PersonStatus.Offboarded, Person: var gone }:
                    return member.Skip($"{who} belongs to {gone.Name}, who is offboarded; cloudflare.offboarded-access-removed reports it");
                case MemberIdentity.Identified { Person: var person }:
                    return Active(member, who, person);
                default:
                    throw new InvalidOperationException("unreachable: MemberIdentity has three cases");
            }
        }

        private Finding Active(AccountMember member, string who, Person person)
        {
            var system = _system;
            if (person.OrgRole is null)
            {
                return member.Fail($"{who} belongs to {person.Name}, who has no org role in the staff directory (allowed on {system.Name}: {_allowedOrgRoles})",
                    $"Set the org_role of {person.Email} in the staff directory and re-import it (`vigil staff import FILE`). If they should not have access: {Remedies.RemoveMember(_context, member)}");
            }

            if (!_rules.TryGetValue(person.OrgRole, out var found))
            {
                return member.Fail($"{who} belongs to {person.Name}, whose org role '{person.OrgRole}' is not allowed on {system.Name} (allowed: {_allowedOrgRoles})",
                    $"{Remedies.RemoveMember(_context, member)} If the org role should have access, allow it: `vigil systems add {system.Name} --org-role {person.OrgRole}`.");
            }

            var (rule, limits, limit) = found;
            var grants = MemberGrants.Of(_context, member);
            var described = new MemberGrants.Described(grants);
            if (rule.SystemRoles.Count == 0)
            {
                return member.Pass($"{who} belongs to {person.Name}, whose org role '{rule.OrgRole}' is allowed on {system.Name} with any Cloudflare role ({described})");
            }

            List<MemberGrants.Grant>? beyond = null;
            foreach (var grant in grants)
            {
                if (!MemberGrants.Limit.AnyAllows(limits, grant))
                {
                    (beyond ??= []).Add(grant);
                }
            }
            if (beyond is not null)
            {
                return member.Fail(
                    $"{who} holds {string.Join(", ", beyond.Select(b => $"'{b.Description}'"))}, beyond what org role '{rule.OrgRole}' of {person.Name} allows ({limit})",
                    $"Reduce the member's access to {limit}: Cloudflare dashboard > Manage Account > Members > {member.Label} > Edit (and its user groups under Manage Account > Members > User Groups); or, if the org role needs more, widen its limit with `vigil systems allow {system.Name} --org-role {rule.OrgRole} --cloudflare-role \"ROLE NAME\"`.");
            }

            // Grants through IAM user groups are invisible on the member object: without the groups, "within the limit" is not known.
            if (_userGroupGaps.GetValueOrDefault(member.AccountId) is { } gap)
            {
                return member.Unknown(
                    $"{who} holds {described} directly, but the IAM user groups of {_context.DescribeAccount(member.AccountId)} could not be read ({Findings.Describe(gap)}), so grants through groups are unknown",
                    Findings.Remediation(gap));
            }

            return member.Pass($"{who} belongs to {person.Name} and holds {described}, all within what org role '{rule.OrgRole}' allows ({limit})");
        }

        /// <param name="Limits">The rule's Cloudflare role limits, parsed once.</param>
        /// <param name="Limit">The limits as reasons name them: "Administrator Read Only, DNS".</param>
        private sealed record Rule(AllowedOrgRole AllowedRole, IReadOnlyList<MemberGrants.Limit> Limits, string Limit);
    }

    /// <summary>The gap resource type the sync records when an account's IAM user groups (or their members) could not be read.</summary>
    public const string UserGroupGap = "user_group";
}
