using Spectre.Console;
using Vigil.Core.Checks;
using Vigil.Core.Sync;

namespace Vigil.Cli.Output;

/// <summary>Prints an evaluation for a person: one row per check, then every failing or unknown finding with why and how to fix.</summary>
internal static class EvaluationPrinter
{
    public static void Print(Evaluation evaluation, Snapshot? snapshot, int credentials = 1)
    {
        var report = EvaluationReport.From(evaluation, snapshot);
        AnsiConsole.WriteLine($"Snapshot {report.SnapshotId}, evaluated {report.EvaluatedAt:yyyy-MM-dd HH:mm:ss} UTC");
        if (report.Data is { } data)
        {
            AnsiConsole.WriteLine($"  access data from {Describe(data.Access)}");
            AnsiConsole.WriteLine($"  infrastructure data from {Describe(data.Infra)}");
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("status").AddColumn("check").AddColumn("severity").AddColumn("result").AddColumn("data age");
        foreach (var check in report.Checks)
        {
            table.AddRow(StatusMarkup(check.Status), new Text($"{check.Title}\n{check.Id}"), new Text(check.Severity), new Text(Count(check)),
                new Text(DataAge(check, report.EvaluatedAt)));
        }
        AnsiConsole.Write(table);

        var noted = report.Checks.Where(c => c.Notes is { Count: > 0 }).ToList();
        if (noted.Count > 0)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.WriteLine("About the data:");
            foreach (var check in noted)
            {
                foreach (var note in check.Notes!)
                {
                    AnsiConsole.WriteLine($"  {check.Id}: {note}");
                }
            }
        }

        var problems = report.Checks
            .SelectMany(c => c.Findings.Where(f => f.Status is "fail" or "unknown").Select(f => (Check: c, Finding: f)))
            .ToList();
        if (problems.Count > 0)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.WriteLine($"{problems.Count} finding(s) need attention:");
            foreach (var (check, finding) in problems)
            {
                AnsiConsole.Write(StatusMarkup(finding.Status));
                AnsiConsole.WriteLine($" {check.Id}: {finding.Subject}");
                AnsiConsole.WriteLine($"    why: {finding.Reason}");
                if (finding.Remediation is { Length: > 0 } fix)
                {
                    AnsiConsole.WriteLine($"    fix: {fix}");
                }
            }
        }

        PrintExcepted(report.Checks);

        AnsiConsole.WriteLine();
        var exceptedText = report.Summary.Excepted > 0 ? $", {report.Summary.Excepted} excepted" : "";
        AnsiConsole.WriteLine($"{report.Summary.Passed} passed, {report.Summary.Failed} failed, {report.Summary.Unknown} could not be judged{exceptedText}, of {report.Checks.Count} checks.");
        if (CoverageSummary.From(snapshot, credentials) is { } coverage)
        {
            AnsiConsole.WriteLine($"Coverage: {coverage.Text} ({coverage.AccountsVisible} account{(coverage.AccountsVisible == 1 ? "" : "s")}); 'vigil runs show latest' lists every read.");
        }
    }

    /// <summary>Every excepted finding with its own reason and the exception's reason, approver and expiry.</summary>
    internal static void PrintExcepted(IEnumerable<CheckReport> checks)
    {
        var excepted = checks.SelectMany(c => c.Findings.Where(f => f.Status == "excepted").Select(f => (Check: c, Finding: f))).ToList();
        if (excepted.Count == 0)
        {
            return;
        }

        AnsiConsole.WriteLine();
        AnsiConsole.WriteLine($"{excepted.Count} finding(s) excepted (approved exceptions in vigil.yaml; they do not fail the run):");
        foreach (var (check, finding) in excepted)
        {
            AnsiConsole.Write(StatusMarkup(finding.Status));
            AnsiConsole.WriteLine($" {check.Id}: {finding.Subject}");
            AnsiConsole.WriteLine($"    why: {finding.Reason}");
            if (finding.Exception is { } e)
            {
                AnsiConsole.WriteLine($"    excepted: {e.Reason} (approved by {e.ApprovedBy}, until {e.Expires})");
            }
        }
    }

    private static string Describe(StageDataReport stage)
    {
        if (stage.SyncedAt is not { } at)
        {
            return "never (not synced)" + (stage.LastFailure is { } never ? $"; the last sync of this stage failed: {never}" : "");
        }

        var age = stage.AgeSeconds is { } seconds ? $" ({Age(TimeSpan.FromSeconds(seconds))} old)" : "";
        var failure = stage.LastFailure is { } reason ? $"; the last sync of this stage failed: {reason}" : "";
        return $"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{age}{failure}";
    }

    /// <summary>The age of the oldest data a check's findings judged, e.g. "3 h".</summary>
    private static string DataAge(CheckReport check, DateTimeOffset evaluatedAt) =>
        check.Findings.Where(f => f.ObservedAt is not null).Select(f => f.ObservedAt!.Value).DefaultIfEmpty(evaluatedAt).Min() is var oldest && oldest < evaluatedAt
            ? Age(evaluatedAt - oldest)
            : "-";

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 2 ? $"{Math.Floor(age.TotalDays):0} d"
        : age.TotalHours >= 1 ? $"{Math.Floor(age.TotalHours):0} h"
        : age.TotalMinutes >= 1 ? $"{Math.Floor(age.TotalMinutes):0} min"
        : $"{Math.Max(0, Math.Floor(age.TotalSeconds)):0} s";

    internal static string Count(CheckReport check)
    {
        var excepted = check.Findings.Count(f => f.Status == "excepted");
        var fail = check.Findings.Count(f => f.Status == "fail");
        var unknown = check.Findings.Count(f => f.Status == "unknown");
        var pass = check.Findings.Count(f => f.Status == "pass");
        var skipped = check.Findings.Count(f => f.Status == "skipped");
        var parts = new List<string>();
        if (fail > 0) parts.Add($"{fail} failing");
        if (unknown > 0) parts.Add($"{unknown} unknown");
        parts.Add($"{pass} passing");
        if (skipped > 0) parts.Add($"{skipped} skipped");
        if (excepted > 0) parts.Add($"{excepted} excepted");
        return string.Join(", ", parts);
    }

    internal static Markup StatusMarkup(string status) => status switch
    {
        "pass" => new Markup("[green]PASS[/]"),
        "fail" => new Markup("[red]FAIL[/]"),
        "unknown" => new Markup("[yellow]UNKNOWN[/]"),
        "excepted" => new Markup("[blue]EXCEPTED[/]"),
        _ => new Markup(Markup.Escape(status.ToUpperInvariant())),
    };
}
