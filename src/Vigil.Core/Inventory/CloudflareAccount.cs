namespace Vigil.Core.Inventory;

/// <summary>A Cloudflare account as synced. <paramref name="EnforceTwoFactor"/> is null when the API did not report it.</summary>
/// <param name="Id">Cloudflare account id (32 hex characters).</param>
/// <param name="ConnectionId">The Vigil connection whose credential read this account.</param>
/// <param name="SsoConnectors">The account's dashboard SSO connectors; null when they were not read (no permission, or an older snapshot).</param>
public sealed record CloudflareAccount(string Id, string Name, bool? EnforceTwoFactor, string ConnectionId, IReadOnlyList<SsoConnector>? SsoConnectors = null);

/// <summary>A dashboard SSO connector: users of <paramref name="EmailDomain"/> sign in through the identity provider.</summary>
/// <param name="Enabled">Null when Cloudflare left it out.</param>
/// <param name="VerificationStatus">"awaiting", "pending", "failed" or "verified"; null when left out.</param>
public sealed record SsoConnector(string Id, string EmailDomain, bool? Enabled, string? VerificationStatus)
{
    /// <summary>Enabled and its domain verified: only then does it force the domain's users through SSO.</summary>
    public bool IsActive => Enabled == true && (VerificationStatus is null or "verified");
}
