using Vigil.App;
using Vigil.App.Administration;
using System.CommandLine;
using Vigil.Cli.Output;
using Vigil.Cloudflare;
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
            var (secret, loginEmail, source) = ReadSecret(parse.GetValue(tokenEnv), parse.GetValue(email), parse.GetValue(keyEnv), parse.GetValue(apiUrl), parse.GetValue(allowInsecureHttp));
            var request = new ConnectRequest(parse.GetValue(name)!, ParsePurpose(parse.GetValue(purpose)!), parse.GetValue(apiUrl), parse.GetValue(accountId), secret, loginEmail,
                parse.GetValue(allowInsecureHttp), source, "--email", "--api-url");
            await using var services = await CliServices.StartAsync(ct);
            return await ConnectAsync(services, request, ct);
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

    /// <summary>
    /// The credential from an environment variable or a prompt, the email for a Global API Key, and how messages name
    /// where the credential came from. The API URL is checked first, so that a bad one fails before any prompt.
    /// </summary>
    private static (Secret Secret, string? Email, string Source) ReadSecret(string? tokenEnv, string? email, string? keyEnv, string? apiUrl, bool allowInsecureHttp)
    {
        if (tokenEnv is not null && (email is not null || keyEnv is not null))
        {
            throw new UsageException("use either --token-env VAR (API token) or --email EMAIL --key-env VAR (Global API Key), not both");
        }
        if (keyEnv is not null && email is null)
        {
            throw new UsageException("--key-env needs --email: a Global API Key only works with the email you log in to Cloudflare with");
        }

        // Checked before any prompt with an empty credential (the credential is checked once it is read).
        ConnectionOperations.Validate(new ConnectRequest("-", ConnectionPurpose.Both, apiUrl, null, new Secret("-"), email, allowInsecureHttp, EmailSource: "--email", ApiUrlSource: "--api-url"));
        string? problem;
        if (email is not null)
        {
            var key = keyEnv is not null ? SecretInput.FromEnvironment(keyEnv, out problem) : SecretInput.Prompt($"Global API Key for {email.Trim()}", out problem);
            return key is null ? throw new UsageException(problem!) : (key, email.Trim(), Source("Global API Key", keyEnv));
        }
        var token = tokenEnv is not null ? SecretInput.FromEnvironment(tokenEnv, out problem) : SecretInput.Prompt("Cloudflare API token", out problem);
        return token is null ? throw new UsageException(problem!) : (token, null, Source("API token", tokenEnv));
    }

    private static string Source(string what, string? variable) => variable is null ? $"{what} entered" : $"{what} in ${variable}";

    /// <summary>Preflight, print, and store when the credential is usable. Exit 0 ready, 4 stored with gaps, 1 refused.</summary>
    internal static async Task<int> ConnectAsync(VigilServices services, ConnectRequest request, CancellationToken ct)
    {
        var valid = ConnectionOperations.Validate(request);
        Console.WriteLine($"Checking the credential against {valid.ApiUrl} ...");
        var outcome = await ConnectionOperations.ConnectAsync(services, request, ct);
        PreflightPrinter.Print(outcome.Report, request.Purpose);
        if (outcome.Refusal(request.Purpose) is { } refusal)
        {
            Console.Error.WriteLine(refusal);
            return ExitCodes.Error;
        }

        if (request.Purpose == ConnectionPurpose.Remediate)
        {
            Console.WriteLine($"Connected '{valid.Name}' for remediation: 'vigil review apply CAMPAIGN' shows the calls it would make, '--yes' makes them. " +
                "It is never used to read; the credential is stored encrypted.");
            return ExitCodes.Ok;
        }

        Console.WriteLine(outcome.Replaced
            ? $"Replaced connection '{valid.Name}'. The credential is stored encrypted. Next: vigil sync"
            : $"Connected '{valid.Name}' for {PreflightPrinter.PurposeName(request.Purpose)}. The credential is stored encrypted. Next: vigil sync");
        return PreflightPrinter.ExitCode(outcome.Report, request.Purpose);
    }
}
