using System.CommandLine;
using Vigil.App.Administration;
using Vigil.Cli.Output;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil connections list | test NAME | remove NAME</c>.</summary>
internal static class ConnectionsCommand
{
    public static Command Build()
    {
        var list = new Command("list", "List connections (credentials are never shown)");
        list.SetAction((_, ct) => ListAsync(ct));

        var testName = new Argument<string>("NAME") { Description = "The connection to re-test" };
        var test = new Command("test", "Re-run the credential and permission checks of a stored connection") { testName };
        test.SetAction((parse, ct) => TestAsync(parse.GetValue(testName)!, ct));

        var removeName = new Argument<string>("NAME") { Description = "The connection to remove" };
        var remove = new Command("remove", "Remove a connection and its stored credential (synced history is kept as evidence)") { removeName };
        remove.SetAction((parse, ct) => RemoveAsync(parse.GetValue(removeName)!, ct));

        return new Command("connections", "List, re-test or remove Cloudflare connections") { list, test, remove };
    }

    private static async Task<int> ListAsync(CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var (connections, remediate) = await ConnectionOperations.ListAsync(store, ct);
        if (connections.Count == 0 && remediate.Count == 0)
        {
            Console.WriteLine("No connections. Add one: vigil connect cloudflare --token-env CLOUDFLARE_API_TOKEN");
            return ExitCodes.Ok;
        }
        var table = Render.Table("name", "purpose", "credential", "account", "API", "last tested", "result");
        foreach (var c in connections)
        {
            table.AddRow(c.Name, PreflightPrinter.PurposeName(c.Purpose), Render.Lower(c.Kind) + (c.Email is null ? "" : $" ({c.Email})"),
                c.AccountId ?? "all visible", c.ApiUrl, c.LastTestedAt?.ToString("yyyy-MM-dd HH:mm") ?? "never", c.LastTestSummary ?? "");
        }
        foreach (var c in remediate)
        {
            table.AddRow(c.Name, PreflightPrinter.PurposeName(Vigil.Core.Sync.ConnectionPurpose.Remediate), Render.Lower(c.Kind) + (c.Email is null ? "" : $" ({c.Email})"),
                c.AccountId ?? "all visible", c.ApiUrl, c.CreatedAt.ToString("yyyy-MM-dd HH:mm"), c.LastTestSummary ?? "");
        }
        Render.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> TestAsync(string name, CancellationToken ct)
    {
        await using var services = await CliServices.StartAsync(ct);
        var (connection, report) = await ConnectionOperations.TestAsync(services, name, ct)
            ?? throw new CliException($"no connection named '{name}' (see vigil connections list)");
        PreflightPrinter.Print(report, connection.Purpose);
        return PreflightPrinter.ExitCode(report, connection.Purpose);
    }

    private static async Task<int> RemoveAsync(string name, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        switch (await ConnectionOperations.RemoveAsync(store, name, ct))
        {
            case ConnectionRemoval.Connection:
                Console.WriteLine($"Removed connection '{name}' and its stored credential. Its synced snapshots stay in history as evidence.");
                return ExitCodes.Ok;
            case ConnectionRemoval.Remediation:
                Console.WriteLine($"Removed remediate credential '{name}'. The calls made with it stay recorded beside their decisions.");
                return ExitCodes.Ok;
            default:
                throw new CliException($"no connection named '{name}' (see vigil connections list)");
        }
    }
}
