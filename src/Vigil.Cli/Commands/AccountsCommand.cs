using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.App.Administration;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil accounts list [--format json]</c> and <c>vigil accounts sso ACCOUNT --domain D [--domain ...] --evidence TEXT | --clear</c>:
/// the synced Cloudflare accounts with the organisation's dashboard-SSO declarations and the SSO connectors Cloudflare reports.
/// </summary>
internal static class AccountsCommand
{
    public static Command Build()
    {
        var format = ChecksCommand.FormatOption();
        var list = new Command("list", "Show the synced Cloudflare accounts with their SSO declarations and SSO connectors") { format };
        list.SetAction((parse, ct) => ListAsync(parse.GetValue(format) == "json", ct));

        var account = new Argument<string>("ACCOUNT") { Description = "A Cloudflare account id or name" };
        var domains = new Option<string[]>("--domain") { Description = "An email domain whose users sign in through dashboard SSO (repeat for several)" };
        var evidence = new Option<string?>("--evidence") { Description = "What the declaration rests on (e.g. the IdP policy that requires MFA, and where the proof is kept)" };
        var clear = new Option<bool>("--clear") { Description = "Remove the account's SSO declaration" };
        var sso = new Command("sso", "Declare that an account's users of some email domains sign in through dashboard SSO (accepted in place of Cloudflare 2FA)")
        {
            account, domains, evidence, clear,
        };
        sso.SetAction((parse, ct) => SsoAsync(parse.GetValue(account)!, parse.GetValue(domains) ?? [], parse.GetValue(evidence), parse.GetValue(clear), ct));

        return new Command("accounts", "Cloudflare accounts and their dashboard-SSO declarations") { list, sso };
    }

    internal static async Task<int> SsoAsync(string accountRef, IReadOnlyList<string> domains, string? evidence, bool clear, CancellationToken ct)
    {
        if (clear && (domains.Count > 0 || evidence is not null))
        {
            throw new UsageException("--clear takes no --domain or --evidence");
        }

        await using var store = await CliStore.OpenAsync(ct);
        if (clear)
        {
            var cleared = await DirectoryOperations.ClearSsoAsync(store, accountRef, ct);
            Console.WriteLine(cleared.Removed ? $"Removed the SSO declaration of account {cleared.Label}." : $"Account {cleared.Label} had no SSO declaration.");
            return ExitCodes.Ok;
        }

        var outcome = await DirectoryOperations.DeclareSsoAsync(store, accountRef, domains, evidence ?? "", TimeProvider.System, ct);
        var declaration = outcome.Declaration!;
        Console.WriteLine($"Account {outcome.Label}: users of {string.Join(", ", declaration.Domains)} sign in through dashboard SSO ({declaration.Evidence}).");
        foreach (var warning in outcome.Warnings)
        {
            Console.Error.WriteLine($"warning: {warning}");
        }
        Console.WriteLine("Run `vigil checks` to judge 2FA with it.");
        return ExitCodes.Ok;
    }

    internal static async Task<int> ListAsync(bool json, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var rows = (await DirectoryOperations.ListAccountsAsync(store, ct))
            .Select(a => new AccountRow(a.Id, a.Name, a.ConnectionId, a.EnforceTwoFactor,
                a.Sso is { } d ? new SsoRow(d.Domains, d.Evidence, d.DeclaredAt) : null,
                a.SsoConnectors?.Select(c => new ConnectorRow(c.Id, c.EmailDomain, c.Enabled, c.VerificationStatus)).ToList()))
            .ToList();

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new AccountsReport(rows), AccountsJson.Default.AccountsReport));
            return ExitCodes.Ok;
        }
        if (rows.Count == 0)
        {
            Console.WriteLine("No Cloudflare account is synced yet. Run `vigil sync`.");
            return ExitCodes.Ok;
        }
        var table = Render.Table("account", "id", "2FA enforced", "SSO declared", "SSO connectors (Cloudflare)");
        foreach (var row in rows)
        {
            table.AddRow(
                row.Name,
                row.Id,
                row.EnforceTwofactor switch { true => "yes", false => "no", null => "not reported" },
                row.Sso is { } s ? $"{string.Join(", ", s.Domains)}: {s.Evidence}" : "none",
                row.SsoConnectors is null ? "not read" : row.SsoConnectors.Count == 0 ? "none"
                    : string.Join(", ", row.SsoConnectors.Select(c => $"{c.EmailDomain} ({(c.Enabled == true ? "enabled" : "disabled")}, {c.VerificationStatus ?? "unverified"})")));
        }
        Render.Write(table);
        return ExitCodes.Ok;
    }
}

internal sealed record AccountsReport(IReadOnlyList<AccountRow> Accounts);

/// <param name="SsoConnectors">What Cloudflare reported; null when not read (the credential lacks SSO Connector Read).</param>
internal sealed record AccountRow(string Id, string Name, string? ConnectionId, bool? EnforceTwofactor, SsoRow? Sso, IReadOnlyList<ConnectorRow>? SsoConnectors);

internal sealed record SsoRow(IReadOnlyList<string> Domains, string Evidence, DateTimeOffset DeclaredAt);

internal sealed record ConnectorRow(string Id, string EmailDomain, bool? Enabled, string? VerificationStatus);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AccountsReport))]
internal sealed partial class AccountsJson : JsonSerializerContext;
