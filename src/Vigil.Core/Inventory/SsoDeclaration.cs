namespace Vigil.Core.Inventory;

/// <summary>
/// The organisation's statement that users of these email domains sign in to a Cloudflare account through dashboard SSO
/// (`vigil accounts sso`). SSO users cannot enrol Cloudflare 2FA; their second factor is the identity provider's.
/// </summary>
/// <param name="AccountId">The Cloudflare account id.</param>
/// <param name="Domains">Email domains, lower case, without "@".</param>
/// <param name="Evidence">What the statement rests on, e.g. "Okta policy MFA-required, screenshot in ticket SEC-12".</param>
public sealed record SsoDeclaration(string AccountId, IReadOnlyList<string> Domains, string Evidence, DateTimeOffset DeclaredAt)
{
    /// <summary>The declared domain that covers this email domain, or null.</summary>
    public string? Covering(string? emailDomain) =>
        emailDomain is null ? null : Domains.FirstOrDefault(d => string.Equals(d, emailDomain, StringComparison.OrdinalIgnoreCase));

    /// <summary>Normalises a domain as typed: trimmed, lower case, a leading "@" removed; null when it is not a plausible domain.</summary>
    public static string? NormaliseDomain(string? value)
    {
        var domain = value?.Trim().TrimStart('@').TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(domain) || domain.Length > 253 || !domain.Contains('.', StringComparison.Ordinal)
            || domain.StartsWith('.') || domain.Contains("..", StringComparison.Ordinal)
            || !domain.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.'))
        {
            return null;
        }
        return domain;
    }
}
