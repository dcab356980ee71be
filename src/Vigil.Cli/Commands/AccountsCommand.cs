using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Core.Inventory;

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
        accountRef = accountRef.Trim();
        if (accountRef.Length == 0)
        {
            throw new UsageException("give the Cloudflare account id or name");
        }
        if (clear && (domains.Count > 0 || evidence is not null))
        {
            throw new UsageException("--clear takes no --domain or --evidence");
        }

        await using var store = await CliStore.OpenAsync(ct);
        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        var accounts = snapshot?.Accounts ?? [];
        var byId = accounts.Where(a => string.Equals(a.Id, accountRef, StringComparison.OrdinalIgnoreCase)).ToList();
        var byName = accounts.Where(a => string.Equals(a.Name.Trim(), accountRef, StringComparison.OrdinalIgnoreCase)).DistinctBy(a => a.Id).ToList();
        if (byId.Count == 0 && byName.Count > 1)
        {
            throw new UsageException($"{byName.Count} synced accounts are named '{accountRef}': give the account id ({string.Join(", ", byName.Select(a => a.Id))})");
        }
        var found = byId.FirstOrDefault() ?? byName.FirstOrDefault();
        // Before the first sync the account is kept as given (id or name) and matched when it is synced.
        var key = found?.Id ?? accountRef;
        var label = found is null ? accountRef : $"{found.Name} ({found.Id})";

        if (clear)
        {
            var removed = await store.RemoveSsoDeclarationAsync(key, ct);
            if (!removed && found is not null)
            {
                removed = await store.RemoveSsoDeclarationAsync(accountRef, ct);
            }
            Console.WriteLine(removed ? $"Removed the SSO declaration of account {label}." : $"Account {label} had no SSO declaration.");
            return ExitCodes.Ok;
        }

        var normalised = new List<string>();
        foreach (var domain in domains)
        {
            var clean = SsoDeclaration.NormaliseDomain(domain)
                ?? throw new UsageException($"'{domain}' is not an email domain (e.g. example.com)");
            if (!normalised.Contains(clean, StringComparer.Ordinal))
            {
                normalised.Add(clean);
            }
        }
        if (normalised.Count == 0)
        {
            throw new UsageException("give at least one --domain (or --clear to remove the declaration)");
        }
        if (string.IsNullOrWhiteSpace(evidence))
        {
            throw new UsageException("give --evidence \"TEXT\": what shows that these users sign in through SSO with a second factor");
        }

        var declaration = new SsoDeclaration(key, normalised, evidence.Trim(), TimeProvider.System.GetUtcNow());
        await store.SaveSsoDeclarationAsync(declaration, ct);
        if (found is not null && !string.Equals(key, accountRef, StringComparison.Ordinal))
        {
            // A declaration made by name before the first sync is replaced by this one, kept by id.
            await store.RemoveSsoDeclarationAsync(accountRef, ct);
        }
        Console.WriteLine($"Account {label}: users of {string.Join(", ", normalised)} sign in through dashboard SSO ({declaration.Evidence}).");
        if (found is null)
        {
            Console.Error.WriteLine($"warning: no synced account is '{accountRef}'; the declaration applies once an account with this id or name is synced (`vigil sync`).");
        }
        else if (found.SsoConnectors is { } connectors)
        {
            foreach (var domain in normalised.Where(d => !connectors.Any(c => c.IsActive && string.Equals(c.EmailDomain, d, StringComparison.OrdinalIgnoreCase))))
            {
                Console.Error.WriteLine($"warning: Cloudflare shows no active SSO connector for {domain} in account {label}; the 2FA findings will say so.");
            }
        }
        Console.WriteLine("Run `vigil checks` to judge 2FA with it.");
        return ExitCodes.Ok;
    }

    internal static async Task<int> ListAsync(bool json, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        var declarations = await store.ListSsoDeclarationsAsync(ct);
        var accounts = (snapshot?.Accounts ?? []).DistinctBy(a => a.Id).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();

        SsoDeclaration? Find(CloudflareAccount a) =>
            declarations.FirstOrDefault(d => d.AccountId == a.Id)
            ?? declarations.FirstOrDefault(d => string.Equals(d.AccountId, a.Name.Trim(), StringComparison.OrdinalIgnoreCase));
        var rows = accounts.Select(a => new AccountRow(a.Id, a.Name, a.ConnectionId, a.EnforceTwoFactor,
                Find(a) is { } d ? new SsoRow(d.Domains, d.Evidence, d.DeclaredAt) : null,
                a.SsoConnectors?.Select(c => new ConnectorRow(c.Id, c.EmailDomain, c.Enabled, c.VerificationStatus)).ToList()))
            .ToList();
        var unmatched = declarations.Where(d => !accounts.Any(a => Find(a) == d))
            .Select(d => new AccountRow(d.AccountId, d.AccountId, null, null, new SsoRow(d.Domains, d.Evidence, d.DeclaredAt), null));
        rows.AddRange(unmatched);

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
