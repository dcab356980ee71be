namespace Vigil.Core.Sync;

/// <summary>What a connection is used for. The access-review and infrastructure parts may use different credentials.</summary>
[Flags]
public enum ConnectionPurpose
{
    Access = 1,
    Infra = 2,
    Both = Access | Infra,
    /// <summary>
    /// A separate credential that may remove and re-role account members (vigil review apply). Never used by a read
    /// sync: it is stored apart from the read connections.
    /// </summary>
    Remediate = 4,
}

/// <summary>How a connection authenticates.</summary>
public enum CredentialKind
{
    /// <summary>User-owned API token, sent as Bearer.</summary>
    UserToken,
    /// <summary>Account-owned API token: verified at /accounts/{id}/tokens/verify, so it needs the account id.</summary>
    AccountToken,
    /// <summary>Legacy Global API Key with the user's email (X-Auth-Email + X-Auth-Key).</summary>
    GlobalKey,
}

/// <summary>A stored Cloudflare connection. The credential itself is kept encrypted by the store, never here.</summary>
/// <param name="ApiUrl">Base URL, default https://api.cloudflare.com/client/v4.</param>
/// <param name="AccountId">Set for account-owned tokens, or to limit the connection to one account.</param>
/// <param name="Email">The user's email for a Global API Key; null for tokens.</param>
/// <param name="EndedEndpoints">Endpoints that answered as ended for this connection (e.g. "zone_settings_batch"), so sync stops calling them.</param>
/// <param name="CloudflareUserId">The Cloudflare user behind the credential (<c>result.id</c> of <c>GET /user</c>, read by preflight
/// when permitted); connections of one user share one rate-limit budget. Null when unknown: the budget is per credential.</param>
public sealed record Connection(
    string Id,
    string Name,
    ConnectionPurpose Purpose,
    string ApiUrl,
    string? AccountId,
    CredentialKind Kind,
    string? Email,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastTestedAt,
    string? LastTestSummary,
    IReadOnlySet<string> EndedEndpoints,
    string? CloudflareUserId = null)
{
    public const string DefaultApiUrl = "https://api.cloudflare.com/client/v4";
}
