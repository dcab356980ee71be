using System.CommandLine;
using Vigil.App.Administration;
using Vigil.Core.Checks;
using Vigil.Core.Systems;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil systems add|allow|show cloudflare</c>: registers Cloudflare as a critical system, which org roles may
/// access it, and optionally which Cloudflare roles each org role may hold (least privilege).
/// </summary>
internal static class SystemsCommand
{
    public static Command Build()
    {
        var addName = SystemArgument();
        var addRoles = new Option<string[]>("--org-role") { Description = "An org role allowed on the system (repeat for several)" };
        var addOwner = new Option<string?>("--owner") { Description = "The system owner's email: reviews access no manager reviews, may reassign review items, and signs access reviews off" };
        var add = new Command("add", "Register a critical system, allow org roles on it, and set its owner") { addName, addRoles, addOwner };
        add.SetAction((parse, ct) => AddAsync(parse.GetValue(addName)!, parse.GetValue(addRoles) ?? [], ct, parse.GetValue(addOwner)));

        var allowName = SystemArgument();
        var allowRole = new Option<string>("--org-role") { Description = "The org role to allow", Required = true };
        var cloudflareRoles = new Option<string[]>("--cloudflare-role") { Description = "A Cloudflare role or permission group this org role may hold, on any scope; NAME@account allows it only account-wide (repeat for several); none = any role" };
        var allow = new Command("allow", "Allow an org role, optionally limited to some Cloudflare roles") { allowName, allowRole, cloudflareRoles };
        allow.SetAction((parse, ct) => AllowAsync(parse.GetValue(allowName)!, parse.GetValue(allowRole)!, parse.GetValue(cloudflareRoles) ?? [], ct));

        var showName = SystemArgument();
        var show = new Command("show", "Show a critical system's allowed roles") { showName };
        show.SetAction((parse, ct) => ShowAsync(parse.GetValue(showName)!, ct));

        return new Command("systems", "Manage critical systems and who may access them") { add, allow, show };
    }

    private static Argument<string> SystemArgument()
    {
        var argument = new Argument<string>("SYSTEM") { Description = "The system; today only 'cloudflare'" };
        argument.AcceptOnlyFromAmong(ComplianceEvaluator.CloudflareSystem);
        return argument;
    }

    /// <param name="time">The clock the registration is dated by: the system's, or the demo's while it lays down its history.</param>
    internal static async Task<int> AddAsync(string name, IReadOnlyList<string> orgRoles, CancellationToken ct, string? owner = null, TimeProvider? time = null)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var existed = await store.FindSystemAsync(name, ct) is not null;
        var system = await DirectoryOperations.SaveSystemAsync(store, name, orgRoles, owner, time ?? TimeProvider.System, ct);
        Console.WriteLine(existed ? $"Updated critical system {name}." : $"Registered {name} as a critical system.");
        Print(system);
        return ExitCodes.Ok;
    }

    internal static async Task<int> AllowAsync(string name, string orgRole, IReadOnlyList<string> cloudflareRoles, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var system = await DirectoryOperations.AllowRoleAsync(store, name, orgRole, cloudflareRoles, ct);
        var allowed = system.AllowedRoles[^1];
        foreach (var warning in await DirectoryOperations.UnknownRoleWarningsAsync(store, allowed.SystemRoles, ct))
        {
            Console.Error.WriteLine($"warning: {warning}");
        }

        Console.WriteLine(allowed.SystemRoles.Count == 0
            ? $"{allowed.OrgRole} may access {name} with any role."
            : $"{allowed.OrgRole} may access {name} holding only: {string.Join(", ", allowed.SystemRoles)}.");
        Print(system);
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(string name, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var system = await store.FindSystemAsync(name, ct);
        if (system is null)
        {
            Console.WriteLine($"{name} is not registered as a critical system. Register it: vigil systems add {name} --org-role ROLE");
            return ExitCodes.Ok;
        }
        Print(system);
        return ExitCodes.Ok;
    }

    private static void Print(CriticalSystem system)
    {
        var table = Render.Table("org role", "Cloudflare roles allowed");
        foreach (var role in system.AllowedRoles.OrderBy(r => r.OrgRole, StringComparer.OrdinalIgnoreCase))
        {
            table.AddRow(role.OrgRole, role.SystemRoles.Count == 0 ? "any" : string.Join(", ", role.SystemRoles));
        }
        Console.WriteLine($"{system.Name}: critical system since {system.RegisteredAt:yyyy-MM-dd}{(system.Owner is { } owner ? $", owner {owner}" : ", no owner set")}");
        Render.Write(table);
    }
}
