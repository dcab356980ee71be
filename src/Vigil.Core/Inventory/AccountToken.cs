namespace Vigil.Core.Inventory;

/// <summary>
/// An account-owned API token (GET /accounts/{account_id}/tokens): a credential that belongs to the account, not to a
/// user, so it outlives the person who created it. Every field but the ids is optional in Cloudflare's answer; a null
/// value was not sent.
/// </summary>
/// <param name="Id">Cloudflare token id (32 hex characters). Never the token's secret value, which the list does not carry.</param>
/// <param name="Status">"active", "disabled" or "expired".</param>
/// <param name="IssuedOn">When the token was created.</param>
/// <param name="ExpiresOn">When the token stops working; null: it never expires.</param>
/// <param name="LastUsedOn">When the token was last used; null: never used (or not reported).</param>
/// <param name="AllowedIps">condition.request_ip.in: the only client addresses (CIDR) the token works from; empty: any address.</param>
/// <param name="DeniedIps">condition.request_ip.not_in: client addresses (CIDR) the token is refused from.</param>
/// <param name="CreatorEmail">creator_email_at_creation: the email of the user who created the token, as it was then; null when Cloudflare had none to record.</param>
/// <param name="Policies">What the token may do.</param>
public sealed record AccountToken(
    string Id,
    string AccountId,
    string Name,
    string? Status,
    DateTimeOffset? IssuedOn,
    DateTimeOffset? ModifiedOn,
    DateTimeOffset? NotBefore,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset? LastUsedOn,
    IReadOnlyList<string> AllowedIps,
    IReadOnlyList<string> DeniedIps,
    string? CreatorEmail,
    IReadOnlyList<TokenPolicy> Policies)
{
    /// <summary>The gap resource type the sync records when an account's tokens could not be read.</summary>
    public const string GapType = "account_token";

    /// <summary>"token NAME (ID)".</summary>
    public string Label => string.IsNullOrWhiteSpace(Name) ? $"token {Id}" : $"token {Name} ({Id})";
}

/// <summary>One policy of an API token.</summary>
/// <param name="Effect">"allow" or "deny".</param>
/// <param name="PermissionGroups">Permission group names (or "permission group ID" when Cloudflare sent no name).</param>
/// <param name="Resources">The resource keys the policy applies to, e.g. "com.cloudflare.api.account.ID".</param>
public sealed record TokenPolicy(string Id, string Effect, IReadOnlyList<string> PermissionGroups, IReadOnlyList<string> Resources);
