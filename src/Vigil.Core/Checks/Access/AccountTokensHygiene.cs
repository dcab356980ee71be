using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;
using Vigil.Core.People;

namespace Vigil.Core.Checks.Access;

/// <summary>
/// Each account-owned API token is bounded (expiry, IP restriction), in use, and not created by someone who has left.
/// Account-owned tokens belong to the account, not to a person, so offboarding a person does not revoke them.
/// </summary>
internal sealed class AccountTokensHygiene : ICheck
{
    private const string Stage = "access";

    /// <summary>A token unused for longer than this is not needed (PCI DSS 8.2.6: inactive accounts within 90 days).</summary>
    public const int MaxUnusedDays = 90;

    public const string Permission = "Account API Tokens Read";

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.account-tokens-hygiene",
        Title: "Every account-owned API token expires, is IP-restricted, is in use and was not created by an offboarded person",
        Severity: Severity.High,
        Asserts: "Each active or disabled account-owned API token of each synced account has an expiry (expires_on), an IP restriction (condition.request_ip.in), was used within the last 90 days (last_used_on; a token never used passes only while it is younger than 90 days) and was not created by a person now offboarded (creator_email_at_creation, matched against the staff directory). A token missing any of these fails, naming every condition it misses. A token whose creator Cloudflare did not record, or who matches no person, is unknown on that point. Expired tokens are skipped.",
        Remediation: "Edit or roll the token in the Cloudflare dashboard (Manage Account > API Tokens > (token) > Edit): set a TTL end date and Client IP Address Filtering; delete tokens nobody uses and roll tokens created by people who left.",
        Frameworks: [Soc2.CC6_1, Soc2.CC6_2, Soc2.CC6_3, Iso27001.A5_17, Iso27001.A5_18, Iso27001.A8_2, PciDss.R8_2_6, PciDss.R8_6_1, PciDss.R8_6_3],
        Needs: DataNeeds.Accounts | DataNeeds.AccountTokens | DataNeeds.People);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        var snapshot = context.Snapshot;
        if (snapshot.AccessSyncedAt is null)
        {
            yield return Findings.NotSynced(snapshot, Stage);
            yield break;
        }

        if (snapshot.AccountTokens is not { } tokens)
        {
            yield return new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                "account-owned API tokens were not read by the last access sync (it did not include this check, or predates it)",
                $"Run `vigil sync` with this check enabled; the credential needs '{Permission}'.");
            yield break;
        }

        if (snapshot.Accounts.Count == 0)
        {
            yield return new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                "no Cloudflare accounts were synced, so no account's API tokens could be judged; the credential may have no account access",
                "Check the connection's credential with `vigil connections test NAME`; it needs Account Settings Read.");
        }

        foreach (var account in snapshot.Accounts)
        {
            var name = context.DescribeAccount(account.Id);
            if (snapshot.Gaps.FirstOrDefault(g => g.Stage == Stage && g.ResourceType == AccountToken.GapType && g.ResourceId == account.Id) is { } gap)
            {
                yield return Findings.UnknownAccount(context, account.Id, $"the account-owned API tokens of {name} could not be read: {Findings.Describe(gap)}",
                    Findings.Remediation(gap));
                continue;
            }

            var owned = tokens.Where(t => t.AccountId == account.Id).ToList();
            if (owned.Count == 0)
            {
                yield return account.Pass($"{name} has no account-owned API tokens");
                continue;
            }

            foreach (var token in owned)
            {
                yield return Judge(context, token, name);
            }
        }
    }

    private static Finding Judge(EvaluationContext context, AccountToken token, string account)
    {
        var who = $"{token.Label} of {account}";
        var now = context.Now;
        if (string.Equals(token.Status, "expired", StringComparison.OrdinalIgnoreCase) || token.ExpiresOn <= now)
        {
            return Token(token, FindingStatus.Skipped, $"{who} has expired{(token.ExpiresOn is { } e ? $" ({Date(e)})" : "")}; it can no longer be used", null);
        }

        var missing = new List<string>();
        var met = new List<string>();
        var undetermined = new List<string>();

        if (token.ExpiresOn is { } expires)
        {
            met.Add($"expires {Date(expires)}");
        }
        else
        {
            missing.Add("it has no expiry (expires_on not set)");
        }

        if (token.AllowedIps.Count > 0)
        {
            met.Add($"restricted to {string.Join(", ", token.AllowedIps)}");
        }
        else
        {
            missing.Add(token.DeniedIps.Count > 0
                ? $"it has no IP restriction (only excludes {string.Join(", ", token.DeniedIps)}, so it works from any other address)"
                : "it has no IP restriction (condition.request_ip.in not set)");
        }

        var cutoff = now.AddDays(-MaxUnusedDays);
        if (token.LastUsedOn is { } used)
        {
            if (used >= cutoff)
            {
                met.Add($"last used {Date(used)}");
            }
            else
            {
                missing.Add($"it was last used {Date(used)}, more than {MaxUnusedDays} days ago");
            }
        }
        else if (token.IssuedOn is { } issued && issued >= cutoff)
        {
            met.Add($"never used, issued {Date(issued)} (less than {MaxUnusedDays} days ago)");
        }
        else
        {
            missing.Add(token.IssuedOn is { } old
                ? $"it has never been used (last_used_on not set) since it was issued {Date(old)}, more than {MaxUnusedDays} days ago"
                : "it has never been used (last_used_on not set)");
        }

        JudgeCreator(context, token, missing, met, undetermined);

        var status = token.Status is { Length: > 0 } s && !s.Equals("active", StringComparison.OrdinalIgnoreCase) ? $" (status {s})" : "";
        if (missing.Count > 0)
        {
            var also = undetermined.Count > 0 ? $"; also {string.Join("; ", undetermined)}" : "";
            return Token(token, FindingStatus.Fail,
                $"{who}{status} fails {missing.Count} of 4 conditions: {string.Join("; ", missing)}{also}",
                Remediation(token, account, missing));
        }

        if (undetermined.Count > 0)
        {
            return Token(token, FindingStatus.Unknown, $"{who}{status}: {string.Join("; ", met)}; but {string.Join("; ", undetermined)}",
                $"Find who created {token.Label} (Cloudflare dashboard > Manage Account > Audit Log, action \"token created\"; Vigil does not sync the audit log yet), " +
                "map that email to a person or service account (`vigil map EMAIL --person EMAIL`), or roll the token so its creator is recorded.");
        }

        return Token(token, FindingStatus.Pass, $"{who}{status}: {string.Join("; ", met)}", null);
    }

    private static void JudgeCreator(EvaluationContext context, AccountToken token, List<string> missing, List<string> met, List<string> undetermined)
    {
        if (token.CreatorEmail is not { Length: > 0 } creator)
        {
            undetermined.Add("Cloudflare recorded no creator for it (creator_email_at_creation is absent), so whether its creator has left cannot be told");
            return;
        }

        switch (context.Identities.Resolve(creator))
        {
            case MemberIdentity.Identified { Person.Status: PersonStatus.Offboarded, Person: var gone }:
                var on = gone.OffboardedOn is { } date ? $" on {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "";
                missing.Add($"it was created by {creator}, who belongs to {gone.Name} <{gone.Email}>, offboarded{on}");
                break;
            case MemberIdentity.Identified { Person: var person }:
                met.Add($"created by {creator} ({person.Name}, active)");
                break;
            case MemberIdentity.ServiceAccount service:
                met.Add($"created by {creator} (a service account{(service.Justification.Length > 0 ? $": {service.Justification}" : "")})");
                break;
            default:
                undetermined.Add($"its creator {creator} matches no person in the staff directory, so whether they have left cannot be told");
                break;
        }
    }

    private static string Remediation(AccountToken token, string account, List<string> missing)
    {
        var steps = new List<string>();
        if (missing.Any(m => m.Contains("created by", StringComparison.Ordinal)))
        {
            steps.Add("roll it (Roll token) or delete it and issue a new one, since a person who left may hold its value");
        }

        if (missing.Any(m => m.Contains("used", StringComparison.Ordinal)))
        {
            steps.Add("delete it if nothing uses it");
        }

        if (missing.Any(m => m.Contains("expiry", StringComparison.Ordinal)))
        {
            steps.Add("set a TTL end date");
        }

        if (missing.Any(m => m.Contains("IP restriction", StringComparison.Ordinal)))
        {
            steps.Add("set Client IP Address Filtering to the addresses that use it");
        }

        return $"In {account}: Cloudflare dashboard > Manage Account > API Tokens > {token.Name} > Edit: {string.Join("; ", steps)} " +
            $"(API: PUT /accounts/{token.AccountId}/tokens/{token.Id}); then run `vigil sync`.";
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Finding Token(AccountToken token, FindingStatus status, string reason, string? remediation) =>
        new(status, ResourceTypes.Token, token.Id, token.AccountId, token.Name is { Length: > 0 } n ? n : token.Id, reason, remediation);
}
