using Vigil.Core.Checks;

namespace Vigil.Core.Frameworks;

/// <summary>One framework catalogue: its short name (as typed in <c>--framework</c>), full name and every control.</summary>
public sealed record Framework(string Key, string Name, IReadOnlyList<FrameworkControl> Controls);

/// <summary>The framework catalogues Vigil maps its checks to, and which checks give evidence for each control.</summary>
public static class FrameworkCatalog
{
    public static IReadOnlyList<Framework> All { get; } =
    [
        new("soc2", Soc2.Name, Soc2.All),
        new("iso27001", Iso27001.Name, Iso27001.All),
        new("pci", PciDss.Name, PciDss.All),
    ];

    /// <summary>The framework with this key (soc2, iso27001, pci; case-insensitive); null when none.</summary>
    public static Framework? Find(string key) =>
        All.FirstOrDefault(f => string.Equals(f.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Each control of the framework with the checks (from <paramref name="checks"/>, in their order) that reference it;
    /// a control with none needs other evidence.
    /// </summary>
    public static IReadOnlyList<(FrameworkControl Control, IReadOnlyList<ICheck> Checks)> Coverage(Framework framework, IEnumerable<ICheck> checks)
    {
        ArgumentNullException.ThrowIfNull(framework);
        var list = checks.ToList();
        return [.. framework.Controls.Select(control => (control, (IReadOnlyList<ICheck>)[.. list.Where(c => c.Definition.Frameworks.Contains(control))]))];
    }

    /// <summary>
    /// A control's outcome from the statuses of the checks that give evidence for it: Fail when any fails; else Unknown when
    /// any could not be judged; else Excepted when any failure is excused; else Pass. One rule for <c>vigil checks
    /// --framework</c> and the evidence reports.
    /// </summary>
    public static CheckStatus StatusOf(IEnumerable<CheckStatus> checks)
    {
        var statuses = checks.ToHashSet();
        return statuses.Contains(CheckStatus.Fail) ? CheckStatus.Fail
            : statuses.Contains(CheckStatus.Unknown) ? CheckStatus.Unknown
            : statuses.Contains(CheckStatus.Excepted) ? CheckStatus.Excepted
            : CheckStatus.Pass;
    }
}
