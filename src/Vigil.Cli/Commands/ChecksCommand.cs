using Vigil.App;
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
        var checks = ChecksOption();
        var list = new Option<bool>("--list") { Description = "Print the check catalogue (id, title, severity, frameworks, data needed, calls per zone) and evaluate nothing" };
        var framework = new Option<string?>("--framework") { Description = "Show only checks mapped to this framework, grouped by control, with the controls no check covers: soc2, iso27001 or pci" };
        framework.AcceptOnlyFromAmong([.. Vigil.Core.Frameworks.FrameworkCatalog.All.Select(f => f.Key)]);
        var command = new Command("checks", "Evaluate the compliance checks on the current snapshot (exit 3 when any check fails)") { format, grace, checks, list, framework };
        command.SetAction((parse, ct) =>
        {
            var json = parse.GetValue(format) == "json";
            if (parse.GetValue(list))
            {
                if (parse.GetValue(framework) is not null || parse.GetValue(grace) is not null || parse.GetValue(checks) is not null)
                {
                    throw new UsageException("--list prints the whole catalogue; it takes only --format");
                }
                return Task.FromResult(CatalogPrinter.Print(json));
            }
            return RunAsync(json, parse.GetValue(grace), parse.GetValue(checks), parse.GetValue(framework), ct);
        });
        return command;
    }

    /// <summary>--checks: the checks to run (and, for sync, to read data for), overriding the checks.enabled setting.</summary>
    internal static Option<string?> ChecksOption() => new("--checks")
    {
        Description = "Only these checks: check ids and families (" + string.Join(", ", Vigil.Core.Configuration.CheckSelection.Families) +
            ") separated by commas, or 'all'; overrides the checks.enabled setting for this run",
    };

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
    /// <remarks>Settings merged with vigil.yaml and its exceptions (see <see cref="CheckConfiguration.OptionsAsync"/>).</remarks>
    internal static Task<CheckOptions> OptionsAsync(IVigilStore store, int? graceDays, CancellationToken ct, string? enabledChecks = null) =>
        CheckConfiguration.OptionsAsync(store, graceDays, enabledChecks, ct);

    private static async Task<int> RunAsync(bool json, int? graceDays, string? enabledChecks, string? frameworkKey, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var options = await OptionsAsync(store, graceDays, ct, enabledChecks);
        var evaluation = await CliStore.Evaluator(store).EvaluateCurrentAsync(options, ct)
            ?? throw new CliException("nothing to evaluate yet: connect Cloudflare with 'vigil connect cloudflare' and run 'vigil sync'");

        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        var credentials = (await store.ListAsync(ct)).Count;
        if (frameworkKey is not null)
        {
            var framework = Vigil.Core.Frameworks.FrameworkCatalog.Find(frameworkKey)!;
            var report = FrameworkReport.From(framework, evaluation, snapshot);
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Readable.FrameworkReport));
            }
            else
            {
                FrameworkPrinter.Print(report);
            }
            return report.Controls.SelectMany(c => c.Checks).DistinctBy(c => c.Id).All(c => c.Status is "pass" or "excepted") ? ExitCodes.Ok : ExitCodes.ChecksFailed;
        }

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

    /// <summary>0 when every check passes (or its failures are all excepted), 3 otherwise: a check that could not be judged is not a pass.</summary>
    internal static int ExitCodeOf(Evaluation evaluation) =>
        evaluation.Results.All(r => r.Status is CheckStatus.Pass or CheckStatus.Excepted) ? ExitCodes.Ok : ExitCodes.ChecksFailed;
}
