using Spectre.Console;
using Vigil.Cloudflare.Preflight;
using Vigil.Core.Sync;

namespace Vigil.Cli.Output;

/// <summary>Prints a preflight report: the verdict, what each purpose can and cannot read, and every problem with its fix.</summary>
internal static class PreflightPrinter
{
    public static void Print(PreflightReport report, ConnectionPurpose purpose)
    {
        AnsiConsole.WriteLine(report.CredentialValid ? $"Credential: accepted ({report.Summary})" : "Credential: NOT accepted");
        if (report.Accounts.Count > 0)
        {
            AnsiConsole.WriteLine($"Accounts visible: {string.Join(", ", report.Accounts.Select(a => $"{a.Name} ({a.Id})"))}");
        }

        if (report.CloudflareUserId is { } user)
        {
            AnsiConsole.WriteLine($"Cloudflare user: {user} (connections of this user share one rate-limit budget, as Cloudflare counts per user)");
        }
        else if (report.CloudflareUserNote is { } note)
        {
            AnsiConsole.WriteLine($"Cloudflare user: not read: {note}");
        }

        if (report.Probes.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("for").AddColumn("read").AddColumn("result").AddColumn("permission");
            foreach (var probe in report.Probes.Where(p => (p.Purpose & purpose) != 0))
            {
                var outcome = probe.Outcome switch
                {
                    ProbeOutcome.Works => new Markup("[green]works[/]"),
                    ProbeOutcome.MissingPermission => new Markup("[red]missing permission[/]"),
                    ProbeOutcome.NotTested => new Markup("[grey]not tested[/]"),
                    _ => new Markup("[yellow]failed[/]"),
                };
                var detail = probe.Detail is { Length: > 0 } d && probe.Outcome != ProbeOutcome.Works ? $"{probe.Permission}\n{d}" : probe.Permission;
                table.AddRow(new Text(PurposeName(probe.Purpose)), new Text(probe.What), outcome, new Text(detail));
            }
            AnsiConsole.Write(table);
        }

        foreach (var problem in report.Problems)
        {
            AnsiConsole.MarkupLine($"[red]problem:[/] {Markup.Escape(problem.Message)}");
            AnsiConsole.MarkupLine($"    [bold]fix:[/] {Markup.Escape(problem.Fix)}");
        }

        if (report.CredentialValid)
        {
            foreach (var p in new[] { ConnectionPurpose.Access, ConnectionPurpose.Infra }.Where(p => purpose.HasFlag(p)))
            {
                AnsiConsole.WriteLine(report.IsReady(p)
                    ? $"{PurposeName(p)}: ready"
                    : $"{PurposeName(p)}: NOT fully readable; sync will record what it skips");
            }
            if (purpose.HasFlag(ConnectionPurpose.Remediate))
            {
                AnsiConsole.WriteLine(report.IsReady(ConnectionPurpose.Remediate)
                    ? $"{PurposeName(ConnectionPurpose.Remediate)}: ready"
                    : $"{PurposeName(ConnectionPurpose.Remediate)}: NOT allowed to change members");
            }
        }
    }

    /// <summary>0 when every read the purpose needs works, 4 when some are refused, 1 when the connection cannot be used.</summary>
    public static int ExitCode(PreflightReport report, ConnectionPurpose purpose) =>
        !Vigil.App.Administration.ConnectionOperations.IsUsable(report) ? ExitCodes.Error : report.IsReady(purpose) ? ExitCodes.Ok : ExitCodes.SyncPartial;

    public static string PurposeName(ConnectionPurpose purpose) => purpose switch
    {
        ConnectionPurpose.Access => "access review",
        ConnectionPurpose.Infra => "infrastructure monitoring",
        ConnectionPurpose.Remediate => "remediation (member writes)",
        _ => "access review and infrastructure monitoring",
    };
}
