using Spectre.Console;
using Vigil.Core.Checks;
using Vigil.Core.Frameworks;

namespace Vigil.Cli.Output;

// The JSON shape of `vigil checks --framework soc2|iso27001|pci --format json`. Fields may be added, never renamed.

/// <param name="Framework">The key typed in --framework: soc2, iso27001 or pci.</param>
/// <param name="Name">The framework's full name, e.g. "PCI DSS v4.0.1".</param>
/// <param name="Controls">Controls at least one evaluated check gives evidence for, in the framework's order.</param>
/// <param name="Uncovered">Controls no evaluated check covers: they need other evidence.</param>
internal sealed record FrameworkReport(
    string Framework,
    string Name,
    string SnapshotId,
    DateTimeOffset EvaluatedAt,
    FrameworkSummary Summary,
    IReadOnlyList<ControlReport> Controls,
    IReadOnlyList<UncoveredControl> Uncovered)
{
    public static FrameworkReport From(Framework framework, Evaluation evaluation, Vigil.Core.Sync.Snapshot? snapshot)
    {
        var all = EvaluationReport.From(evaluation, snapshot).Checks.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var statuses = evaluation.Results.ToDictionary(r => r.CheckId, r => r.Status, StringComparer.Ordinal);
        var evaluated = CheckCatalog.All.Where(c => all.ContainsKey(c.Definition.Id));
        var controls = new List<ControlReport>();
        var uncovered = new List<UncoveredControl>();
        foreach (var (control, checks) in FrameworkCatalog.Coverage(framework, evaluated))
        {
            if (checks.Count == 0)
            {
                uncovered.Add(new UncoveredControl(control.Id, control.Title, "needs other evidence"));
                continue;
            }
            var reports = checks.Select(c => all[c.Definition.Id]).ToList();
            var status = FrameworkCatalog.StatusOf(checks.Select(c => statuses[c.Definition.Id]));
            controls.Add(new ControlReport(control.Id, control.Title, Render.Lower(status), reports));
        }

        var summary = new FrameworkSummary(framework.Controls.Count, controls.Count, uncovered.Count,
            controls.Count(c => c.Status == "pass"), controls.Count(c => c.Status == "fail"),
            controls.Count(c => c.Status == "unknown"), controls.Count(c => c.Status == "excepted"));
        return new FrameworkReport(framework.Key, framework.Name, evaluation.SnapshotId, evaluation.EvaluatedAt, summary, controls, uncovered);
    }
}

/// <param name="Controls">Every control of the framework.</param>
/// <param name="Covered">Controls with at least one evaluated check.</param>
/// <param name="Uncovered">Controls that need other evidence.</param>
internal sealed record FrameworkSummary(int Controls, int Covered, int Uncovered, int Passed, int Failed, int Unknown, int Excepted);

/// <param name="Status">pass, fail, unknown or excepted, from its checks.</param>
/// <param name="Checks">The checks mapped to this control, each as in `vigil checks --format json`.</param>
internal sealed record ControlReport(string Id, string Title, string Status, IReadOnlyList<CheckReport> Checks);

/// <param name="Status">Always "needs other evidence".</param>
internal sealed record UncoveredControl(string Id, string Title, string Status);

/// <summary>Prints a framework view for a person: one row per covered control, then the uncovered ones, then the findings to act on.</summary>
internal static class FrameworkPrinter
{
    public static void Print(FrameworkReport report)
    {
        AnsiConsole.WriteLine($"{report.Name}: snapshot {report.SnapshotId}, evaluated {report.EvaluatedAt:yyyy-MM-dd HH:mm:ss} UTC");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("status").AddColumn("control").AddColumn("checks");
        foreach (var control in report.Controls)
        {
            table.AddRow(EvaluationPrinter.StatusMarkup(control.Status), new Text($"{control.Id} {control.Title}"),
                new Text(string.Join("\n", control.Checks.Select(c => $"{c.Status,-8} {c.Id}"))));
        }
        AnsiConsole.Write(table);

        if (report.Uncovered.Count > 0)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.WriteLine($"{report.Uncovered.Count} control(s) no check covers (needs other evidence):");
            foreach (var control in report.Uncovered)
            {
                AnsiConsole.WriteLine($"  {control.Id} {control.Title}");
            }
        }

        var checks = report.Controls.SelectMany(c => c.Checks).DistinctBy(c => c.Id).ToList();
        var problems = checks.SelectMany(c => c.Findings.Where(f => f.Status is "fail" or "unknown").Select(f => (Check: c, Finding: f))).ToList();
        if (problems.Count > 0)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.WriteLine($"{problems.Count} finding(s) need attention:");
            foreach (var (check, finding) in problems)
            {
                AnsiConsole.Write(EvaluationPrinter.StatusMarkup(finding.Status));
                AnsiConsole.WriteLine($" {check.Id}: {finding.Subject}");
                AnsiConsole.WriteLine($"    why: {finding.Reason}");
                if (finding.Remediation is { Length: > 0 } fix)
                {
                    AnsiConsole.WriteLine($"    fix: {fix}");
                }
            }
        }
        EvaluationPrinter.PrintExcepted(checks);

        var s = report.Summary;
        AnsiConsole.WriteLine();
        AnsiConsole.WriteLine($"{s.Covered} of {s.Controls} controls covered by checks ({s.Passed} pass, {s.Failed} fail, {s.Unknown} unknown, {s.Excepted} excepted); {s.Uncovered} need other evidence.");
    }
}
