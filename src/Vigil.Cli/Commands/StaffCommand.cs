using System.CommandLine;
using Vigil.App.Administration;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil staff import FILE</c> and <c>vigil staff list</c>: the staff directory members are mapped to.</summary>
internal static class StaffCommand
{
    public static Command Build()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "CSV (email,name,status,org_role,offboarded_on[,aliases,manager]) or SCIM 2.0 ListResponse JSON" };
        var format = new Option<string?>("--format") { Description = "csv or scim; default: by file extension (.json = scim)" };
        format.AcceptOnlyFromAmong("csv", "scim");
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Store the valid rows even when some rows have errors" };

        var import = new Command("import", "Import or update people; people missing from the file are reported, never deleted") { file, format, skipInvalid };
        import.SetAction((parse, ct) => ImportAsync(parse.GetValue(file)!, parse.GetValue(format), parse.GetValue(skipInvalid), ct));

        var listFormat = new Option<string>("--format") { Description = "table (default), json (an array) or csv (the import format)", DefaultValueFactory = _ => "table" };
        listFormat.AcceptOnlyFromAmong("table", "json", "csv");
        var list = new Command("list", "List the staff directory") { listFormat };
        list.SetAction((parse, ct) => ListAsync(parse.GetValue(listFormat)!, ct));

        return new Command("staff", "Manage the staff directory") { import, list };
    }

    internal static async Task<int> ImportAsync(FileInfo file, string? format, bool skipInvalid, CancellationToken ct)
    {
        if (!file.Exists)
        {
            throw new CliException($"{file.FullName}: no such file");
        }

        StaffImportOutcome outcome;
        await using (var store = await CliStore.OpenAsync(ct))
        using (var reader = file.OpenText())
        {
            outcome = await DirectoryOperations.ImportStaffAsync(store, reader, file.Name, DirectoryOperations.IsScim(format, file.Name), skipInvalid, ct);
        }

        if (outcome.Errors.Count > 0)
        {
            foreach (var error in outcome.Errors.Take(50))
            {
                Console.Error.WriteLine(error);
            }
            if (outcome.Errors.Count > 50)
            {
                Console.Error.WriteLine($"... and {outcome.Errors.Count - 50} more errors");
            }
            if (!outcome.Stored)
            {
                Console.Error.WriteLine($"{file.Name}: {outcome.Errors.Count} error(s); nothing was stored. Fix the file, or pass --skip-invalid to store the {outcome.ValidRows} valid row(s).");
                return ExitCodes.Error;
            }
            Console.Error.WriteLine($"{file.Name}: skipping {outcome.Errors.Count} invalid row(s) (--skip-invalid)");
        }

        var plan = outcome.Plan!;
        Console.WriteLine($"Imported {file.Name}: {plan.Added.Count} added, {plan.Updated.Count} updated, {plan.Unchanged.Count} unchanged.");
        foreach (var change in plan.Updated)
        {
            Console.WriteLine($"  updated {change.After.Email}: {string.Join(", ", change.ChangedFields)}");
        }
        if (plan.MissingFromImport.Count > 0)
        {
            Console.WriteLine($"{plan.MissingFromImport.Count} person(s) in the directory are not in this file and were kept unchanged (mark them offboarded in the source if they left):");
            foreach (var person in plan.MissingFromImport)
            {
                Console.WriteLine($"  {person.Email} ({Render.Lower(person.Status)})");
            }
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(string format, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var people = store.StreamPeopleAsync(ct);
        switch (format)
        {
            case "json":
                Console.Out.Flush();
                await using (var stdout = Console.OpenStandardOutput())
                {
                    await Output.PeoplePrinter.JsonAsync(people, stdout, ct);
                }
                break;
            case "csv":
                await Output.PeoplePrinter.CsvAsync(people, Console.Out, ct);
                break;
            default:
                await Output.PeoplePrinter.TableAsync(people, ct);
                break;
        }
        return ExitCodes.Ok;
    }
}
