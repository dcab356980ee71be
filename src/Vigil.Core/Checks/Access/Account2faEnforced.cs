using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Access;

/// <summary>Each account makes two-factor authentication mandatory for its members.</summary>
internal sealed class Account2faEnforced : ICheck
{
    private const string Stage = "access";

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.account-2fa-enforced",
        Title: "Every Cloudflare account enforces two-factor authentication",
        Severity: Severity.High,
        Asserts: "Each synced account has the enforce_twofactor setting on, or every accepted member signs in through dashboard SSO for an email domain declared with `vigil accounts sso`, so no member can use the dashboard without a second factor.",
        Remediation: "Turn on Enforce Two-Factor Authentication in the Cloudflare dashboard: Manage Account > Configurations > Preferences.",
        Frameworks: [Soc2.CC6_1, Iso27001.A5_17, Iso27001.A8_5, PciDss.R8_4_1, PciDss.R8_4_3],
        Needs: DataNeeds.Accounts | DataNeeds.Members);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        var snapshot = context.Snapshot;
        if (snapshot.AccessSyncedAt is null)
        {
            yield return Findings.NotSynced(snapshot, Stage);
            yield break;
        }

        var gaps = snapshot.Gaps.Where(g => g.Stage == Stage && g.ResourceType == "account").ToList();
        foreach (var gap in gaps.Where(g => g.ResourceId is null || context.FindAccount(g.ResourceId) is null))
        {
            yield return gap.ResourceId is { } accountId
                ? Findings.UnknownAccount(context, accountId, $"account {accountId} could not be read: {Findings.Describe(gap)}", Findings.Remediation(gap))
                : new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                    $"accounts could not be listed: {Findings.Describe(gap)}", Findings.Remediation(gap));
        }

        if (snapshot.Accounts.Count == 0 && gaps.Count == 0)
        {
            yield return new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, snapshot.Id, null, "snapshot",
                "no Cloudflare accounts were synced; the credential may have no account access",
                "Check the connection's credential with `vigil connections test NAME`; it needs Account Settings Read.");
        }

        foreach (var account in snapshot.Accounts)
        {
            yield return Judge(context, account, gaps.FirstOrDefault(g => g.ResourceId == account.Id));
        }
    }

    private static Finding Judge(EvaluationContext context, CloudflareAccount account, Sync.ReadGap? gap)
    {
        var name = context.DescribeAccount(account.Id);
        var declaration = account.EnforceTwoFactor == true ? null : context.FindSsoDeclaration(account.Id);
        var uncovered = "";
        if (declaration is not null)
        {
            var accepted = context.Snapshot.Members.Where(m => m.AccountId == account.Id && m.Status == MembershipStatus.Accepted).ToList();
            var missing = accepted.Where(m => SsoCoverage.Of(context, m) is null).Select(m => m.Label).ToList();
            if (accepted.Count > 0 && missing.Count == 0)
            {
                var notes = string.Concat(declaration.Domains.Select(d => SsoCoverage.ApiNote(account, d)).Distinct());
                return account.Pass($"every accepted member of {name} is covered by SSO ({string.Join(", ", declaration.Domains)}): {declaration.Evidence}{notes}");
            }
            uncovered = accepted.Count == 0
                ? "; the SSO declaration covers no accepted member"
                : $"; SSO ({string.Join(", ", declaration.Domains)}) does not cover {missing.Count} accepted member{(missing.Count == 1 ? "" : "s")}: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? $" and {missing.Count - 20} more" : "")}";
        }

        return account.EnforceTwoFactor switch
        {
            true => account.Pass($"{name} enforces two-factor authentication for all members"),
            false => account.Fail($"{name} does not enforce two-factor authentication (enforce_twofactor is off){uncovered}",
                $"Turn on enforcement for {account.Name}: Cloudflare dashboard > Manage Account > Configurations > Preferences > Enforce Two-Factor Authentication."),
            null => Findings.UnknownAccount(context, account.Id,
                (gap is null
                    ? $"the Cloudflare API did not report enforce_twofactor for {name}"
                    : $"the settings of {name} could not be read: {Findings.Describe(gap)}") + uncovered,
                gap is null ? "Check that the credential has Account Settings Read, then run `vigil sync`." : Findings.Remediation(gap)),
        };
    }
}
