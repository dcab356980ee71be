using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Access;

/// <summary>
/// Whether a member signs in through dashboard SSO: the organisation declared the member's email domain for the account
/// (`vigil accounts sso`). When Cloudflare's SSO connectors were read and show no active connector for that domain, the
/// coverage still rests on the declaration but the reason says the API does not back it.
/// </summary>
internal static class SsoCoverage
{
    /// <summary>The coverage of an accepted member, or null when none applies.</summary>
    public static Covered? Of(EvaluationContext context, AccountMember member)
    {
        if (context.FindSsoDeclaration(member.AccountId) is not { } declaration || declaration.Covering(member.EmailDomain) is not { } domain)
        {
            return null;
        }
        return new Covered(domain, declaration.Evidence, ApiNote(context.FindAccount(member.AccountId), domain));
    }

    /// <summary>"; but Cloudflare shows no SSO connector for DOMAIN", or "" when the API agrees or was not read.</summary>
    public static string ApiNote(CloudflareAccount? account, string domain)
    {
        if (account?.SsoConnectors is not { } connectors)
        {
            return "";
        }
        var match = connectors.Where(c => string.Equals(c.EmailDomain, domain, StringComparison.OrdinalIgnoreCase)).ToList();
        if (match.Count == 0)
        {
            return $"; but Cloudflare shows no SSO connector for {domain}";
        }
        return match.Any(c => c.IsActive)
            ? ""
            : $"; but Cloudflare's SSO connector for {domain} is not active (enabled: {Describe(match[0].Enabled)}, verification: {match[0].VerificationStatus ?? "not reported"})";
    }

    private static string Describe(bool? value) => value switch { true => "yes", false => "no", null => "not reported" };

    /// <summary>Covered by SSO for <paramref name="Domain"/>; <paramref name="Note"/> is empty or says what the API contradicts.</summary>
    public sealed record Covered(string Domain, string Evidence, string Note)
    {
        public string Reason => $"covered by SSO ({Domain}): {Evidence}{Note}";
    }
}
