using Vigil.Core.Frameworks;
using Vigil.Core.Systems;

namespace Vigil.Core.Checks.Access;

/// <summary>There is a written rule of who may access Cloudflare: the critical-system registration and its allowed org roles.</summary>
internal sealed class AccessControlConfigured : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.access-control-configured",
        Title: "Cloudflare is a registered critical system with allowed org roles",
        Severity: Severity.High,
        Asserts: "Cloudflare is registered as a critical system and at least one org role is allowed on it, so every membership can be judged against a recorded access rule.",
        Remediation: Remedies.RegisterSystem,
        Frameworks: [Soc2.CC6_1, Soc2.CC6_3, Iso27001.A5_15, Iso27001.A5_18, PciDss.R7_2_1, PciDss.R7_2_2],
        Needs: DataNeeds.CriticalSystem);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        if (context.System is not { } system)
        {
            yield return Finding(FindingStatus.Fail, CriticalSystem.CloudflareName,
                "Cloudflare is not registered as a critical system, so there is no recorded rule of who may access it", Remedies.RegisterSystem);
            yield break;
        }

        if (system.AllowedRoles.Count == 0)
        {
            yield return Finding(FindingStatus.Fail, system.Name,
                $"critical system {system.Name} allows no org role, so no membership can be justified", Remedies.RegisterSystem);
            yield break;
        }

        var rules = system.AllowedRoles.Select(r => r.SystemRoles.Count == 0
            ? $"{r.OrgRole} (any Cloudflare role)"
            : $"{r.OrgRole} ({string.Join(", ", r.SystemRoles)})");
        yield return Finding(FindingStatus.Pass, system.Name, $"critical system {system.Name} allows org roles {string.Join("; ", rules)}", null);
    }

    private static Finding Finding(FindingStatus status, string name, string reason, string? remediation) =>
        new(status, ResourceTypes.System, name, null, name, reason, remediation);
}
