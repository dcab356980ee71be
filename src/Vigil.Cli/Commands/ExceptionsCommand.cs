using Vigil.App;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Cli.Output;
using Vigil.Core.Checks;
using Vigil.Core.Configuration;
using Vigil.Storage.Configuration;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil exceptions list | add | remove</c>: the approved exceptions in vigil.yaml. Edits change only the lines of
/// the exception concerned, are validated before they are written, and are written atomically.
/// </summary>
internal static class ExceptionsCommand
{
    public static Command Build()
    {
        var format = ChecksCommand.FormatOption();
        var list = new Command("list", "List the exceptions with their expiry (expired ones no longer excuse)") { format };
        list.SetAction((parse, ct) => ListAsync(parse.GetValue(format) == "json", ct));

        var check = Required("--check", "The check id the exception is for (vigil checks --list)");
        var resource = Required("--resource", "The zone, DNS record, member email, account or token id or name it excuses");
        var reason = Required("--reason", "Why the failure is accepted");
        var expires = Required("--expires", "The last day it excuses, YYYY-MM-DD (in the organisation's time zone)");
        var approvedBy = Required("--approved-by", "The email of whoever approved it");
        var add = new Command("add", "Add an approved exception to vigil.yaml") { check, resource, reason, expires, approvedBy };
        add.SetAction((parse, ct) => AddAsync(parse.GetValue(check)!, parse.GetValue(resource)!, parse.GetValue(reason)!,
            parse.GetValue(expires)!, parse.GetValue(approvedBy)!, ct));

        var removeCheck = Required("--check", "The check id of the exception to remove");
        var removeResource = Required("--resource", "The resource of the exception to remove");
        var remove = new Command("remove", "Remove the exception for a check and resource") { removeCheck, removeResource };
        remove.SetAction((parse, ct) => RemoveAsync(parse.GetValue(removeCheck)!, parse.GetValue(removeResource)!, ct));

        return new Command("exceptions", "List, add or remove approved exceptions (vigil.yaml)") { list, add, remove };
    }

    private static Option<string> Required(string name, string description) => new(name) { Description = description, Required = true };

    private static async Task<int> ListAsync(bool json, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var document = await CheckConfiguration.ReadAsync(store, ct);
        var config = await CheckConfiguration.LoadAsync(store, ct);
        var zone = (await SettingsCommand.LoadAsync(store, ct)).TimeZone;
        var now = TimeProvider.System.GetUtcNow();
        var rows = config.Exceptions.Select(e => new ExceptionEntry(e.CheckId, e.Resource, e.Reason, e.ExpiresText, e.ApprovedBy, now >= e.EndsAt(zone), e.Line)).ToList();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new ExceptionListReport(document.Source, rows), CliJson.Readable.ExceptionListReport));
            return ExitCodes.Ok;
        }

        if (rows.Count == 0)
        {
            Console.WriteLine($"No exceptions ({document.Source}).");
            return ExitCodes.Ok;
        }
        var table = Render.Table("check", "resource", "reason", "expires", "approved by", "status");
        foreach (var row in rows)
        {
            table.AddRow(row.Check, row.Resource, row.Reason, row.Expires, row.ApprovedBy, row.Expired ? "expired: no longer excuses" : "active");
        }
        Render.Write(table);
        Console.WriteLine($"{rows.Count} exception(s) in {document.Source}.");
        return ExitCodes.Ok;
    }

    private static async Task<int> AddAsync(string checkId, string resource, string reason, string expiresText, string approvedBy, CancellationToken ct)
    {
        var check = CheckCatalog.Find(checkId.Trim())
            ?? throw new UsageException($"unknown check '{checkId}'; an exception must name an existing check ('vigil checks --list'); nothing was changed");
        if (!DateOnly.TryParseExact(expiresText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
        {
            throw new UsageException($"--expires '{expiresText}' is not a date YYYY-MM-DD; nothing was changed");
        }
        if (string.IsNullOrWhiteSpace(resource) || string.IsNullOrWhiteSpace(reason))
        {
            throw new UsageException("--resource and --reason must not be empty; nothing was changed");
        }

        await using var store = await CliStore.OpenAsync(ct);
        var zone = (await SettingsCommand.LoadAsync(store, ct)).TimeZone;
        var exception = new CheckException(check.Definition.Id, resource.Trim(), reason.Trim(), expires, approvedBy.Trim());
        if (TimeProvider.System.GetUtcNow() >= exception.EndsAt(zone))
        {
            throw new UsageException($"--expires {exception.ExpiresText} is already past in {zone.Id}; an exception must expire in the future; nothing was changed");
        }

        var document = await CheckConfiguration.ReadAsync(store, ct);
        string edited;
        try
        {
            edited = VigilYaml.AddException(document.Text, exception, document.Source);
        }
        catch (ConfigException e)
        {
            throw new UsageException($"{e.Message}; nothing was changed");
        }
        await CheckConfiguration.WriteAsync(store, document, edited, ct);
        Console.WriteLine($"Added an exception for {exception.CheckId} on {exception.Resource} until {exception.ExpiresText}, approved by {exception.ApprovedBy} ({document.Source}).");
        return ExitCodes.Ok;
    }

    private static async Task<int> RemoveAsync(string checkId, string resource, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var document = await CheckConfiguration.ReadAsync(store, ct);
        string edited;
        try
        {
            edited = VigilYaml.RemoveException(document.Text, checkId, resource, document.Source);
        }
        catch (ConfigException e)
        {
            throw new CliException($"{e.Message}; nothing was changed");
        }
        await CheckConfiguration.WriteAsync(store, document, edited, ct);
        Console.WriteLine($"Removed the exception for {checkId} on {resource} ({document.Source}).");
        return ExitCodes.Ok;
    }
}

/// <summary><c>vigil exceptions list --format json</c>.</summary>
/// <param name="Source">The file (or setting) the exceptions were read from.</param>
internal sealed record ExceptionListReport(string Source, IReadOnlyList<ExceptionEntry> Exceptions);

/// <param name="Expired">True when it no longer excuses (past the end of its expiry day).</param>
/// <param name="Line">Its line in vigil.yaml.</param>
internal sealed record ExceptionEntry(string Check, string Resource, string Reason, string Expires, string ApprovedBy, bool Expired, int Line);
