using System.CommandLine;
using Vigil.App.Users;
using Vigil.Core;
using Vigil.Core.Users;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil users add EMAIL --role admin|reviewer|viewer [--password-stdin] | list | remove EMAIL | reset-password EMAIL
/// [--password-stdin] | api-key EMAIL</c>: the people who sign in to the web app, in the selected organisation.
/// Passwords and keys are printed once ("password: VALUE", "api key: VALUE") or read from stdin, never from arguments.
/// </summary>
internal static class UsersCommand
{
    public static Command Build()
    {
        var addEmail = new Argument<string>("EMAIL") { Description = "The user's email: their sign-in name, and the reviewer email their review items carry" };
        var role = new Option<string>("--role") { Description = "admin (everything), reviewer (reads; decides their own review items) or viewer (reads)", Required = true };
        role.AcceptOnlyFromAmong("admin", "reviewer", "viewer");
        var addStdin = PasswordStdin();
        var add = new Command("add", "Add a user; prints a one-time password as 'password: VALUE' unless --password-stdin gives one") { addEmail, role, addStdin };
        add.SetAction((parse, ct) => AddAsync(parse.GetValue(addEmail)!, parse.GetValue(role)!, parse.GetValue(addStdin), ct));

        var list = new Command("list", "List the organisation's users with their role, lock state and API key");
        list.SetAction((_, ct) => ListAsync(ct));

        var removeEmail = new Argument<string>("EMAIL") { Description = "The user to remove (their API key stops working, their sessions end)" };
        var remove = new Command("remove", "Remove a user") { removeEmail };
        remove.SetAction((parse, ct) => RemoveAsync(parse.GetValue(removeEmail)!, ct));

        var resetEmail = new Argument<string>("EMAIL") { Description = "The user whose password to reset" };
        var resetStdin = PasswordStdin();
        var reset = new Command("reset-password", "Set a new password (printed once as 'password: VALUE' unless --password-stdin), unlock the account and end its sessions") { resetEmail, resetStdin };
        reset.SetAction((parse, ct) => ResetAsync(parse.GetValue(resetEmail)!, parse.GetValue(resetStdin), ct));

        var keyEmail = new Argument<string>("EMAIL") { Description = "The user the key acts as (with their role)" };
        var apiKey = new Command("api-key", "Issue an API key for 'Authorization: Bearer', printed once as 'api key: VALUE'; replaces the user's earlier key") { keyEmail };
        apiKey.SetAction((parse, ct) => ApiKeyAsync(parse.GetValue(keyEmail)!, ct));

        return new Command("users", "Manage who signs in to the web app (vigil serve) and their API keys") { add, list, remove, reset, apiKey };
    }

    private static Option<bool> PasswordStdin() => new("--password-stdin")
    {
        Description = $"Read the password from standard input (one line; at least {UserAccounts.MinimumPasswordLength} characters) instead of generating one",
    };

    private static async Task<int> AddAsync(string email, string roleName, bool passwordStdin, CancellationToken ct)
    {
        var role = WebUser.ParseRole(roleName) ?? throw new UsageException("--role must be admin, reviewer or viewer");
        var password = passwordStdin ? ReadPassword() : null;
        await using var store = await CliStore.OpenAsync(ct);
        var (user, generated) = await new UserAccounts(TimeProvider.System).AddAsync(store, email, role, password, ct);
        Console.WriteLine($"user {user.Email} added as {WebUser.RoleName(user.Role)}{CliStore.Describe(store.Organisation)}");
        if (generated is not null)
        {
            Console.WriteLine($"password: {generated.Reveal()}");
            Console.Error.WriteLine("vigil: the password is shown once; give it to the user over a private channel");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var users = await new UserAccounts(TimeProvider.System).ListAsync(store, ct);
        if (users.Count == 0)
        {
            Console.WriteLine($"no users{CliStore.Describe(store.Organisation)}; add one with 'vigil users add EMAIL --role admin'");
            return ExitCodes.Ok;
        }

        var now = TimeProvider.System.GetUtcNow();
        var table = Render.Table("email", "role", "status", "api key", "created");
        foreach (var user in users)
        {
            var status = user.LockedUntil is { } until && until > now ? $"locked until {until:HH:mm} UTC" : "active";
            var key = user.ApiKeyCreatedAt is { } issued ? $"issued {issued:yyyy-MM-dd}" : "none";
            table.AddRow(user.Email, WebUser.RoleName(user.Role), status, key, $"{user.CreatedAt:yyyy-MM-dd HH:mm} UTC");
        }

        Render.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> RemoveAsync(string email, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        await new UserAccounts(TimeProvider.System).RemoveAsync(store, email, ct);
        Console.WriteLine($"user {WebUser.NormaliseEmail(email)} removed{CliStore.Describe(store.Organisation)}");
        return ExitCodes.Ok;
    }

    private static async Task<int> ResetAsync(string email, bool passwordStdin, CancellationToken ct)
    {
        var password = passwordStdin ? ReadPassword() : null;
        await using var store = await CliStore.OpenAsync(ct);
        var generated = await new UserAccounts(TimeProvider.System).ResetPasswordAsync(store, email, password, ct);
        Console.WriteLine($"password of {WebUser.NormaliseEmail(email)} reset; the account is unlocked and its sessions have ended");
        if (generated is not null)
        {
            Console.WriteLine($"password: {generated.Reveal()}");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ApiKeyAsync(string email, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var key = await new UserAccounts(TimeProvider.System).CreateApiKeyAsync(store, email, ct);
        Console.WriteLine($"api key: {key.Reveal()}");
        Console.Error.WriteLine($"vigil: the key acts as {WebUser.NormaliseEmail(email)} with their role; it is shown once and replaces any earlier key");
        return ExitCodes.Ok;
    }

    private static Secret ReadPassword()
    {
        var line = Console.In.ReadLine();
        if (string.IsNullOrWhiteSpace(line))
        {
            throw new UsageException("--password-stdin: standard input held no password");
        }

        return new Secret(line);
    }
}
