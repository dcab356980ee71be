using System.CommandLine;
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

    internal static async Task<int> AddAsync(string name, IReadOnlyList<string> orgRoles, CancellationToken ct, string? owner = null)
    {
        owner = owner?.Trim();
        if (owner is not null && (owner.Length == 0 || !owner.Contains('@', StringComparison.Ordinal)))
        {
            throw new UsageException($"--owner '{owner}' is not an email address");
        }
        if (owner is null && orgRoles.Count == 0)
        {
            throw new UsageException("give at least one --org-role, or --owner EMAIL");
        }

        await using var store = await CliStore.OpenAsync(ct);
        var existing = await store.FindSystemAsync(name, ct);
        var roles = existing?.AllowedRoles.ToList() ?? [];
        foreach (var role in orgRoles.Select(r => r.Trim()).Where(r => r.Length > 0))
        {
            if (!roles.Any(r => r.OrgRole.Equals(role, StringComparison.OrdinalIgnoreCase)))
            {
                roles.Add(new AllowedOrgRole(role, []));
            }
        }
        if (roles.Count == 0 && owner is null)
        {
            throw new UsageException("give at least one non-empty --org-role");
        }
        var system = new CriticalSystem(name, roles, existing?.RegisteredAt ?? TimeProvider.System.GetUtcNow(), owner ?? existing?.Owner);
        await store.SaveSystemAsync(system, ct);
        Console.WriteLine(existing is null ? $"Registered {name} as a critical system." : $"Updated critical system {name}.");
        Print(system);
        return ExitCodes.Ok;
    }

    internal static async Task<int> AllowAsync(string name, string orgRole, IReadOnlyList<string> cloudflareRoles, CancellationToken ct)
    {
        orgRole = orgRole.Trim();
        await using var store = await CliStore.OpenAsync(ct);
        var existing = await store.FindSystemAsync(name, ct)
            ?? throw new CliException($"{name} is not registered yet: run 'vigil systems add {name} --org-role ROLE' first");

        var limits = cloudflareRoles.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var roles = existing.AllowedRoles.Where(r => !r.OrgRole.Equals(orgRole, StringComparison.OrdinalIgnoreCase)).ToList();
        roles.Add(new AllowedOrgRole(orgRole, limits));
        var system = existing with { AllowedRoles = roles };
        await store.SaveSystemAsync(system, ct);

        // A typo in a role name would make every holder of the real role fail: warn against the synced catalogue.
        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        if (snapshot is not null && snapshot.Roles.Count > 0)
        {
            // Policy permission groups (direct or through user groups) are grants too; "NAME@account" limits NAME to account-wide grants.
            var known = snapshot.Roles.Select(r => r.Name)
                .Concat(snapshot.Members.SelectMany(m => m.Policies).SelectMany(p => p.PermissionGroups))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            const string accountWide = "@account";
            foreach (var unknown in limits.Where(l => !known.Contains(l.EndsWith(accountWide, StringComparison.OrdinalIgnoreCase) ? l[..^accountWide.Length].TrimEnd() : l)))
            {
                Console.Error.WriteLine($"warning: no synced Cloudflare role is named '{unknown}'; known roles: {string.Join(", ", known.Order())}");
            }
        }

        Console.WriteLine(limits.Count == 0
            ? $"{orgRole} may access {name} with any role."
            : $"{orgRole} may access {name} holding only: {string.Join(", ", limits)}.");
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
