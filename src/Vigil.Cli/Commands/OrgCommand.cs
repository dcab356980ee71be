using System.CommandLine;
using System.Text.Json;
using Vigil.Cli.Output;
using Vigil.Core.Organisations;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil org add NAME | list [--format json] | remove NAME [--force]</c>: the organisations (tenants) one Vigil database
/// keeps apart. Every other command works on one of them, chosen with --org or VIGIL_ORG (else the default).
/// </summary>
internal static class OrgCommand
{
    public static Command Build()
    {
        var addName = new Argument<string>("NAME") { Description = "The new organisation's name (unique, compared without regard to case)" };
        var add = new Command("add", "Add an organisation") { addName };
        add.SetAction((parse, ct) => AddAsync(parse.GetValue(addName)!, ct));

        var format = ChecksCommand.FormatOption();
        var list = new Command("list", "List the organisations with their connection counts") { format };
        list.SetAction((parse, ct) => ListAsync(parse.GetValue(format) == "json", ct));

        var removeName = new Argument<string>("NAME") { Description = "The organisation to remove" };
        var force = new Option<bool>("--force") { Description = "Remove it even though it has connections, deleting all its data in one transaction" };
        var remove = new Command("remove", "Remove an organisation and everything it owns") { removeName, force };
        remove.SetAction((parse, ct) => RemoveAsync(parse.GetValue(removeName)!, parse.GetValue(force), ct));

        return new Command("org", "Manage organisations (tenants): each has its own connections, staff, settings, snapshots and findings") { add, list, remove };
    }

    private static async Task<int> AddAsync(string name, CancellationToken ct)
    {
        if (Organisation.ValidateName(name) is { } problem)
        {
            throw new UsageException(problem);
        }

        await using var store = await CliStore.OpenDatabaseAsync(ct);
        var organisation = await store.AddOrganisationAsync(name, TimeProvider.System.GetUtcNow(), ct);
        Console.WriteLine($"organisation '{organisation.Name}' added; use it with --org \"{organisation.Name}\" or VIGIL_ORG");
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(bool json, CancellationToken ct)
    {
        await using var store = await CliStore.OpenDatabaseAsync(ct);
        var rows = new List<OrganisationRow>();
        foreach (var organisation in await store.ListOrganisationsAsync(ct))
        {
            rows.Add(new OrganisationRow(organisation.Name, organisation.Id, organisation.IsDefault, organisation.CreatedAt,
                await store.CountConnectionsAsync(organisation.Id, ct)));
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, CliJson.Readable.IReadOnlyListOrganisationRow));
            return ExitCodes.Ok;
        }

        var table = Render.Table("name", "id", "connections", "created");
        foreach (var row in rows)
        {
            table.AddRow(row.Name, row.Id, row.Connections.ToString(), $"{row.CreatedAt:yyyy-MM-dd HH:mm} UTC");
        }

        Render.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> RemoveAsync(string name, bool force, CancellationToken ct)
    {
        await using var store = await CliStore.OpenDatabaseAsync(ct);
        var found = await store.FindOrganisationAsync(name, ct);
        var connections = found is null ? 0 : await store.CountConnectionsAsync(found.Id, ct);
        switch (await store.RemoveOrganisationAsync(name, force, ct))
        {
            case OrganisationRemoval.Removed:
                Console.WriteLine($"organisation '{found!.Name}' removed" + (connections > 0 ? $", with its {connections} connection(s) and all their data" : ""));
                return ExitCodes.Ok;
            case OrganisationRemoval.NotFound:
                throw new CliException($"there is no organisation '{name}' (see 'vigil org list')");
            case OrganisationRemoval.IsDefault:
                throw new CliException("the default organisation cannot be removed");
            default:
                throw new CliException(
                    $"organisation '{found!.Name}' still has {connections} connection(s); remove them first ('vigil --org \"{found.Name}\" connections remove NAME'), " +
                    "or add --force to delete the organisation with all its connections, snapshots and findings");
        }
    }
}

/// <summary>One line of <c>vigil org list --format json</c>.</summary>
internal sealed record OrganisationRow(string Name, string Id, bool Default, DateTimeOffset CreatedAt, int Connections);
