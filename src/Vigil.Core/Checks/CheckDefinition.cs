using Vigil.Core.Frameworks;

namespace Vigil.Core.Checks;

/// <summary>What a check is, independent of any result. Findings refer to it by <see cref="Id"/>; they never copy it.</summary>
/// <param name="Id">Stable id, "cloudflare.kebab-case", used in storage, reports and the CLI.</param>
/// <param name="Title">The compliant state, e.g. "Zone requires TLS 1.2 or higher".</param>
/// <param name="Asserts">What the check asserts, in one or two sentences an auditor can read.</param>
/// <param name="Remediation">How to fix a failure in general; each failing finding carries its own concrete step.</param>
/// <param name="Frameworks">The controls this check gives evidence for, from <see cref="Soc2"/>, <see cref="Iso27001"/> and <see cref="PciDss"/> (at least one SOC 2 and one ISO 27001 control).</param>
/// <param name="Needs">The data the sync must fetch for this check.</param>
/// <param name="Phases">Ruleset phases whose zone entrypoints this check reads beyond <see cref="Inventory.RulesetPhases.Synced"/>
/// (each costs a call per zone that has that entrypoint, so the sync reads it only when a selected check declares it); null: none.</param>
public sealed record CheckDefinition(
    string Id,
    string Title,
    Severity Severity,
    string Asserts,
    string Remediation,
    IReadOnlyList<FrameworkControl> Frameworks,
    DataNeeds Needs,
    IReadOnlyList<string>? Phases = null);

/// <summary>A compliance check: pure, judging a snapshot with the context given and no other input.</summary>
public interface ICheck
{
    CheckDefinition Definition { get; }

    /// <summary>One finding per resource judged, plus Unknown findings for what could not be read. Never empty.</summary>
    IEnumerable<Finding> Evaluate(EvaluationContext context);
}
