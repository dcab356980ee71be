using System.CommandLine;
using System.Text.Json;
using Vigil.Cli.Output;
using Vigil.Core.Checks;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil checks [--format json]</c>: evaluates every check on the current snapshot, stores and prints the results.</summary>
internal static class ChecksCommand
{
    public static Command Build()
    {
        var format = FormatOption();
        var grace = GraceOption();
        var command = new Command("checks", "Evaluate the compliance checks on the current snapshot (exit 3 when any check fails)") { format, grace };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(format) == "json", Options(parse.GetValue(grace)), ct));
        return command;
    }

    internal static Option<string> FormatOption()
    {
        var format = new Option<string>("--format") { Description = "table (default) or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        return format;
    }

    internal static Option<int> GraceOption()
    {
        var grace = new Option<int>("--offboarding-grace-days")
        {
            Description = "Days after a person's offboarded_on date before remaining Cloudflare access fails the check (default 0)",
            DefaultValueFactory = _ => 0,
        };
        grace.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--offboarding-grace-days cannot be negative");
        });
        return grace;
    }

    internal static CheckOptions Options(int graceDays) => new(TimeSpan.FromDays(graceDays));

    private static async Task<int> RunAsync(bool json, CheckOptions options, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var evaluation = await CliStore.Evaluator(store).EvaluateCurrentAsync(options, ct)
            ?? throw new CliException("nothing to evaluate yet: connect Cloudflare with 'vigil connect cloudflare' and run 'vigil sync'");

        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        var credentials = (await store.ListAsync(ct)).Count;
        if (json)
        {
            var report = EvaluationReport.From(evaluation);
            report = report with { Summary = report.Summary with { Coverage = CoverageSummary.From(snapshot, credentials) } };
            Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Readable.EvaluationReport));
        }
        else
        {
            EvaluationPrinter.Print(evaluation, snapshot, credentials);
        }
        return ExitCodeOf(evaluation);
    }

    /// <summary>0 when every check passes, 3 otherwise: a check that could not be judged is not a pass.</summary>
    internal static int ExitCodeOf(Evaluation evaluation) =>
        evaluation.Results.All(r => r.Status == CheckStatus.Pass) ? ExitCodes.Ok : ExitCodes.ChecksFailed;
}
