using System.CommandLine;
using System.Text.Json;
using Vigil.Cli.Output;
using Vigil.Core.Checks;
using Vigil.Core.Settings;
using Vigil.Storage;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil checks [--format json]</c>: evaluates every check on the current snapshot, stores and prints the results.</summary>
internal static class ChecksCommand
{
    public static Command Build()
    {
        var format = FormatOption();
        var grace = GraceOption();
        var command = new Command("checks", "Evaluate the compliance checks on the current snapshot (exit 3 when any check fails)") { format, grace };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(format) == "json", parse.GetValue(grace), ct));
        return command;
    }

    internal static Option<string> FormatOption()
    {
        var format = new Option<string>("--format") { Description = "table (default) or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        return format;
    }

    internal static Option<int?> GraceOption()
    {
        var grace = new Option<int?>("--offboarding-grace-days")
        {
            Description = "Days after the end of a person's offboarded_on date (in the organisation time zone) before remaining Cloudflare access fails the check; overrides the offboarding_grace_days setting (default 0)",
        };
        grace.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0 or > OrganisationSettings.MaxOffboardingGraceDays)
            {
                r.AddError($"--offboarding-grace-days must be between 0 and {OrganisationSettings.MaxOffboardingGraceDays}");
            }
        });
        return grace;
    }

    /// <summary>The check options from the stored settings, with the command line's overrides (null: use the setting).</summary>
    internal static async Task<CheckOptions> OptionsAsync(IVigilStore store, int? graceDays, CancellationToken ct) =>
        (await SettingsCommand.LoadAsync(store, ct)).ToCheckOptions(graceDays);

    private static async Task<int> RunAsync(bool json, int? graceDays, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var options = await OptionsAsync(store, graceDays, ct);
        var evaluation = await CliStore.Evaluator(store).EvaluateCurrentAsync(options, ct)
            ?? throw new CliException("nothing to evaluate yet: connect Cloudflare with 'vigil connect cloudflare' and run 'vigil sync'");

        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        var credentials = (await store.ListAsync(ct)).Count;
        if (json)
        {
            var report = EvaluationReport.From(evaluation, snapshot);
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
