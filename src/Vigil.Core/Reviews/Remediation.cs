using Vigil.Core.Sync;

namespace Vigil.Core.Reviews;

/// <summary>
/// A credential that may remove and re-role Cloudflare account members (<c>vigil connect cloudflare --purpose remediate</c>).
/// Stored apart from the read connections, so no read sync ever uses it. The secret itself is kept encrypted by the store.
/// </summary>
/// <param name="AccountId">Set for account-owned tokens, or to limit it to one account.</param>
/// <param name="LastTestSummary">The preflight's one-line verdict when it was stored.</param>
public sealed record RemediationCredential(
    string Id,
    string Name,
    string ApiUrl,
    string? AccountId,
    CredentialKind Kind,
    string? Email,
    DateTimeOffset CreatedAt,
    string? LastTestSummary);

/// <summary>What Cloudflare answered to a remediation call.</summary>
public enum RemediationOutcome
{
    /// <summary>2xx: removed, or roles set.</summary>
    Applied,
    /// <summary>403: the credential may not make the change.</summary>
    Refused,
    /// <summary>404: the membership was already gone.</summary>
    NotFound,
    /// <summary>429: rate-limited; nothing changed.</summary>
    RateLimited,
    /// <summary>Any other answer, or none.</summary>
    Failed,
}

/// <summary>
/// One call <c>vigil review apply --yes</c> made for a revoke or change-role decision, and Cloudflare's answer, kept beside
/// the decision. Append-only, like the decisions.
/// </summary>
/// <param name="Method">DELETE or PUT.</param>
/// <param name="Path">Under the API base, e.g. /accounts/ID/members/ID.</param>
/// <param name="RequestBody">The JSON sent with a PUT; null for a DELETE.</param>
/// <param name="HttpStatus">Cloudflare's HTTP status; null when no answer arrived.</param>
/// <param name="Errors">Cloudflare's error codes and messages, "code message" each.</param>
/// <param name="Explanation">What the answer means and what to do.</param>
/// <param name="Seq">Order of recording (assigned by the store; 0 before it is stored).</param>
public sealed record RemediationAttempt(
    string CampaignId,
    string DecisionId,
    string AccountId,
    string MemberId,
    string CredentialName,
    string Method,
    string Path,
    string? RequestBody,
    RemediationOutcome Outcome,
    int? HttpStatus,
    IReadOnlyList<string> Errors,
    string Explanation,
    DateTimeOffset At,
    long Seq = 0);
