using Vigil.App;
using System.CommandLine;
using Vigil.Cli.Output;
using Vigil.Cloudflare;
using Vigil.Cloudflare.Preflight;
using Vigil.Core;
using Vigil.Core.Sync;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil connect cloudflare</c>: verifies a credential, probes every read the product needs, reports what is missing
/// with the permission to add, and stores the connection with its credential encrypted.
/// </summary>
internal static class ConnectCommand
{
    public static Command Build()
    {
        var provider = new Argument<string>("PROVIDER") { Description = "Only 'cloudflare' today" };
        provider.AcceptOnlyFromAmong("cloudflare");
        var name = new Option<string>("--name") { Description = "Name of the connection (default: cloudflare)", DefaultValueFactory = _ => "cloudflare" };
        var purpose = new Option<string>("--purpose")
        {
            Description = "access, infra or both (default) for read syncs; remediate for a separate credential that may remove and re-role members ('vigil review apply'), never used to read",
            DefaultValueFactory = _ => "both",
        };
        purpose.AcceptOnlyFromAmong("access", "infra", "both", "remediate");
        var apiUrl = new Option<string>("--api-url") { Description = $"Cloudflare API base URL (default {Connection.DefaultApiUrl})", DefaultValueFactory = _ => Connection.DefaultApiUrl };
        var accountId = new Option<string?>("--account-id") { Description = "Account id: required for account-owned tokens; limits the connection to that account" };
        var tokenEnv = new Option<string?>("--token-env") { Description = "Name of the environment variable holding the API token" };
        var email = new Option<string?>("--email") { Description = "Login email, for a legacy Global API Key" };
        var keyEnv = new Option<string?>("--key-env") { Description = "Name of the environment variable holding the Global API Key (with --email)" };
        var allowInsecureHttp = new Option<bool>("--allow-insecure-http") { Description = "Accept a plain http:// --api-url to another machine (the credential travels unencrypted)" };

        var command = new Command("connect", "Connect a Cloudflare account with an API token (or Global API Key + email) and check its permissions")
        {
            provider, name, purpose, apiUrl, accountId, tokenEnv, email, keyEnv, allowInsecureHttp,
        };
        command.SetAction(async (parse, ct) =>
        {
            var url = ApiUrl.TryParse(parse.GetValue(apiUrl), parse.GetValue(allowInsecureHttp), out var parsedUrl, out var urlProblem)
                ? parsedUrl
                : throw new UsageException($"--api-url: {urlProblem}");
            var (secret, loginEmail) = ReadSecret(parse.GetValue(tokenEnv), parse.GetValue(email), parse.GetValue(keyEnv));
            await using var services = await CliServices.StartAsync(ct);
            return await ConnectAsync(services, parse.GetValue(name)!, ParsePurpose(parse.GetValue(purpose)!), url.Text, parse.GetValue(accountId), secret, loginEmail, ct);
        });
        return command;
    }

    internal static ConnectionPurpose ParsePurpose(string value) => value switch
    {
        "access" => ConnectionPurpose.Access,
        "infra" => ConnectionPurpose.Infra,
        "remediate" => ConnectionPurpose.Remediate,
        _ => ConnectionPurpose.Both,
    };

    /// <summary>The credential from an environment variable or a prompt; the email is set for a Global API Key.</summary>
    private static (Secret Secret, string? Email) ReadSecret(string? tokenEnv, string? email, string? keyEnv)
    {
        if (tokenEnv is not null && (email is not null || keyEnv is not null))
        {
            throw new UsageException("use either --token-env VAR (API token) or --email EMAIL --key-env VAR (Global API Key), not both");
        }
        if (keyEnv is not null && email is null)
        {
            throw new UsageException("--key-env needs --email: a Global API Key only works with the email you log in to Cloudflare with");
        }

        string? problem;
        if (email is not null)
        {
            if (CloudflareCredential.Problem(email.Trim(), "--email") is { } emailProblem)
            {
                throw new UsageException(emailProblem);
            }
            var key = keyEnv is not null ? SecretInput.FromEnvironment(keyEnv, out problem) : SecretInput.Prompt($"Global API Key for {email.Trim()}", out problem);
            return key is null ? throw new UsageException(problem!) : (Usable(key, "Global API Key", keyEnv), email.Trim());
        }
        var token = tokenEnv is not null ? SecretInput.FromEnvironment(tokenEnv, out problem) : SecretInput.Prompt("Cloudflare API token", out problem);
        return token is null ? throw new UsageException(problem!) : (Usable(token, "API token", tokenEnv), null);
    }

    /// <summary>A credential that can go in a header; else a usage error that names where it came from, never its value.</summary>
    private static Secret Usable(Secret secret, string what, string? variable)
    {
        var from = variable is null ? $"{what} entered" : $"{what} in ${variable}";
        return CloudflareCredential.Problem(secret.Reveal(), from) is { } problem ? throw new UsageException(problem) : secret;
    }

    /// <summary>Preflight, print, and store when the credential is usable. Exit 0 ready, 4 stored with gaps, 1 refused.</summary>
    internal static async Task<int> ConnectAsync(
        VigilServices services, string name, ConnectionPurpose purpose, string apiUrl, string? accountId, Secret secret, string? email, CancellationToken ct)
    {
        // A token starts as a user token; preflight tells user- from account-owned tokens by Cloudflare's answers.
        var credential = email is null ? CloudflareCredential.UserToken(secret) : CloudflareCredential.GlobalKey(email, secret);
        Console.WriteLine($"Checking the credential against {apiUrl} ...");
        if (purpose == ConnectionPurpose.Remediate)
        {
            return await ConnectRemediateAsync(services, name, apiUrl, accountId, credential, secret, ct);
        }

        var report = await services.Preflight.RunAsync(new PreflightRequest(credential, apiUrl, purpose, accountId), ct);
        PreflightPrinter.Print(report, purpose);

        if (!PreflightPrinter.IsUsable(report))
        {
            Console.Error.WriteLine("Not connected: nothing was stored.");
            return ExitCodes.Error;
        }

        var kind = report.DetectedKind ?? credential.Kind;
        var account = accountId ?? (kind == CredentialKind.AccountToken && report.Accounts.Count == 1 ? report.Accounts[0].Id : null);
        var now = TimeProvider.System.GetUtcNow();
        var existing = await services.Store.FindAsync(name, ct);
        var connection = new Connection(
            Guid.NewGuid().ToString("N"), name, purpose, apiUrl.TrimEnd('/'), account, kind, credential.Email, now, now, report.Summary,
            new HashSet<string>(), report.CloudflareUserId);
        await services.Store.SaveAsync(connection, secret, ct);

        Console.WriteLine(existing is null
            ? $"Connected '{name}' for {PreflightPrinter.PurposeName(purpose)}. The credential is stored encrypted. Next: vigil sync"
            : $"Replaced connection '{name}'. The credential is stored encrypted. Next: vigil sync");
        return PreflightPrinter.ExitCode(report, purpose);
    }

    /// <summary>A remediate credential: stored (apart from read connections) only when it may remove and re-role members.</summary>
    private static async Task<int> ConnectRemediateAsync(
        VigilServices services, string name, string apiUrl, string? accountId, CloudflareCredential credential, Secret secret, CancellationToken ct)
    {
        var (report, stored) = await Vigil.App.Reviews.ReviewRemediation.ConnectAsync(services, name, apiUrl, accountId, credential, secret, ct);
        PreflightPrinter.Print(report, ConnectionPurpose.Remediate);
        if (stored is null)
        {
            Console.Error.WriteLine(report.MissingPermissions.Count > 0
                ? $"Not connected: this credential may not remove or re-role members; add \"{string.Join("\", \"", report.MissingPermissions)}\" to the token. Nothing was stored."
                : "Not connected: nothing was stored.");
            return ExitCodes.Error;
        }

        Console.WriteLine($"Connected '{name}' for remediation: 'vigil review apply CAMPAIGN' shows the calls it would make, '--yes' makes them. " +
            "It is never used to read; the credential is stored encrypted.");
        return ExitCodes.Ok;
    }
}
