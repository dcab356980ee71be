using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Preflight;

/// <summary>What preflight checks: the credential, from where, for what, and (for account tokens or one account) which account.</summary>
/// <param name="ApiUrl">API base; null means the configured default.</param>
public sealed record PreflightRequest(CloudflareCredential Credential, string? ApiUrl, ConnectionPurpose Purpose, string? AccountId);

public enum ProbeOutcome
{
    Works,
    /// <summary>Cloudflare refused the read for lack of a permission group (named in the probe).</summary>
    MissingPermission,
    /// <summary>The read failed for another reason (see Detail).</summary>
    Failed,
    /// <summary>Could not be tried, e.g. no active zone to read per-zone settings from.</summary>
    NotTested,
}

/// <summary>One read the product needs, tried once with a minimal query.</summary>
/// <param name="What">Plain description, e.g. "list account members".</param>
/// <param name="Permission">The Cloudflare permission group the read needs.</param>
/// <param name="Optional">A read Vigil uses where the credential allows it (SSO connectors): refusing it leaves the connection ready.</param>
public sealed record PermissionProbe(ConnectionPurpose Purpose, string What, string Permission, ProbeOutcome Outcome, string? Detail, bool Optional = false);

public sealed record VisibleAccount(string Id, string Name);

/// <summary>The verdict of preflight: never a stack trace, every problem with its fix.</summary>
/// <param name="CredentialValid">Cloudflare accepted the credential.</param>
/// <param name="DetectedKind">User token, account token or Global API Key, as Cloudflare's answers showed; null when unknown.</param>
/// <param name="ApiCalls">Requests preflight sent.</param>
/// <param name="CloudflareUserId">The Cloudflare user behind the credential (<c>result.id</c> of <c>GET /user</c>), when it could be
/// read: connections of one user share one rate-limit budget, as Cloudflare counts per user. Never required.</param>
/// <param name="CloudflareUserNote">Why the user could not be read (and that the budget is then per credential); null when it was.</param>
public sealed record PreflightReport(
    bool CredentialValid,
    CredentialKind? DetectedKind,
    IReadOnlyList<VisibleAccount> Accounts,
    IReadOnlyList<PermissionProbe> Probes,
    IReadOnlyList<ConnectionProblem> Problems,
    int ApiCalls,
    string? CloudflareUserId = null,
    string? CloudflareUserNote = null)
{
    /// <summary>The permission groups to add to the token, one each.</summary>
    public IReadOnlyList<string> MissingPermissions =>
        [.. Probes.Where(p => p.Outcome == ProbeOutcome.MissingPermission).Select(p => p.Permission).Distinct()];

    /// <summary>True when every read <paramref name="purpose"/> needs works.</summary>
    public bool IsReady(ConnectionPurpose purpose) =>
        CredentialValid
        && Accounts.Count > 0
        && !Problems.Any(p => p.Code != "missing_permission")
        && Probes.Where(p => (p.Purpose & purpose) != 0 && !p.Optional).All(p => p.Outcome is ProbeOutcome.Works or ProbeOutcome.NotTested);

    /// <summary>One line for connection history, e.g. "user token valid; 2 accounts; missing: DNS Read".</summary>
    public string Summary
    {
        get
        {
            if (!CredentialValid)
            {
                return Problems.Count > 0 ? Problems[0].Message : "credential not accepted";
            }
            var kind = DetectedKind switch
            {
                CredentialKind.GlobalKey => "Global API Key",
                CredentialKind.AccountToken => "account token",
                _ => "user token",
            };
            var missing = MissingPermissions;
            var gaps = missing.Count > 0 ? "; missing: " + string.Join(", ", missing) : "";
            var other = Problems.Where(p => p.Code != "missing_permission").Select(p => "; " + p.Message);
            return $"{kind} valid; {Accounts.Count} account{(Accounts.Count == 1 ? "" : "s")}{gaps}{string.Concat(other)}";
        }
    }
}
