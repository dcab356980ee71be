using System.Text.Json;
using Spectre.Console;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Checks;
using Vigil.Core.Configuration;

namespace Vigil.Cli.Output;

// The JSON shape of `vigil checks --list --format json`. Fields may be added, never renamed.

/// <param name="Count">How many checks the catalogue has.</param>
internal sealed record CatalogReport(int Count, IReadOnlyList<CatalogEntry> Checks)
{
    public static CatalogReport Build() =>
        new(CheckCatalog.All.Count, [.. CheckCatalog.All.Select(CatalogEntry.From)]);
}

/// <param name="Family">The family --checks and checks.enabled turn on or off (access, zones, ...).</param>
/// <param name="Frameworks">Every control the check gives evidence for, e.g. "SOC 2 CC6.1", "PCI DSS v4.0.1 8.4.1".</param>
/// <param name="DataNeeded">What the sync reads for it, snake_case (members, zone_settings, ...).</param>
/// <param name="CallsPerZone">API calls per active zone for its data on its own (SyncCallPlan.PerZoneFor: batch settings call ended, one WAF entrypoint, Free plan).</param>
/// <param name="CallsPerAccount">API calls per account for its data on its own (one page of roles and members, no user groups).</param>
internal sealed record CatalogEntry(
    string Id,
    string Title,
    string Severity,
    string Family,
    IReadOnlyList<string> Frameworks,
    IReadOnlyList<string> DataNeeded,
    int CallsPerZone,
    int CallsPerAccount)
{
    public static CatalogEntry From(ICheck check)
    {
        var d = check.Definition;
        return new CatalogEntry(d.Id, d.Title, Render.Lower(d.Severity), CheckSelection.FamilyOf(check),
            [.. d.Frameworks.Select(f => f.ToString())],
            [.. Enum.GetValues<DataNeeds>().Where(n => n != DataNeeds.None && d.Needs.HasFlag(n)).Select(Render.Lower)],
            SyncCallPlan.PerZoneFor(d.Needs, featureSettings: ZoneSettingNeeds.Of([check]).Count), SyncCallPlan.PerAccountFor(d.Needs));
    }
}

/// <summary><c>vigil checks --list</c>: the catalogue as a table or JSON.</summary>
internal static class CatalogPrinter
{
    public static int Print(bool json)
    {
        var report = CatalogReport.Build();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Readable.CatalogReport));
            return ExitCodes.Ok;
        }

        var table = Render.Table("id", "title", "severity", "family", "frameworks", "data needed", "calls/zone", "calls/account");
        foreach (var c in report.Checks)
        {
            table.AddRow(c.Id, c.Title, c.Severity, c.Family, string.Join("\n", c.Frameworks), string.Join(", ", c.DataNeeded),
                c.CallsPerZone.ToString(System.Globalization.CultureInfo.InvariantCulture), c.CallsPerAccount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        Render.Write(table);
        AnsiConsole.WriteLine($"{report.Count} checks. Calls are for a check's data on its own; checks that share data share its calls.");
        return ExitCodes.Ok;
    }
}
