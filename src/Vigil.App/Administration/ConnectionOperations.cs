using Vigil.Cloudflare;
using Vigil.Cloudflare.Preflight;
using Vigil.Core;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App.Administration;

/// <summary>What adding a connection asks for. The credential is write-only: it is stored encrypted and never returned.</summary>
/// <param name="Email">The login email of a legacy Global API Key; null for an API token.</param>
/// <param name="AllowInsecureHttp">Accept a plain http:// API URL to another machine.</param>
/// <param name="CredentialSource">How error messages name the credential, e.g. "API token in $CF_TOKEN"; never its value.</param>
/// <param name="EmailSource">How error messages name the email, e.g. "--email".</param>
/// <param name="ApiUrlSource">How error messages name the API URL, e.g. "--api-url".</param>
public sealed record ConnectRequest(
    string Name,
    ConnectionPurpose Purpose,
    string? ApiUrl,
    string? AccountId,
    Secret Credential,
    string? Email = null,
    bool AllowInsecureHttp = false,
    string CredentialSource = "credential",
    string EmailSource = "email",
    string ApiUrlSource = "api_url");

/// <summary>A <see cref="ConnectRequest"/> that passed validation: what preflight is run with.</summary>
/// <param name="ApiUrl">The normalised API base URL.</param>
public sealed record ValidConnectRequest(string Name, string ApiUrl, string? AccountId, CloudflareCredential Credential);

/// <summary>The preflight of a credential and, when it was usable, the connection stored.</summary>
/// <param name="Connection">Null when the credential could not be used, or for a remediate credential: nothing was stored as a read connection.</param>
/// <param name="Replaced">True when a connection of the same name was replaced.</param>
/// <param name="Remediation">The remediate credential stored (purpose remediate only); null when refused.</param>
public sealed record ConnectOutcome(PreflightReport Report, Connection? Connection, bool Replaced, RemediationCredential? Remediation = null)
{
    /// <summary>True when every read the purpose needs works (for remediate: it may remove and re-role members).</summary>
    public bool Ready => Remediation is not null || (Connection is not null && Report.IsReady(Connection.Purpose));

    /// <summary>True when something was stored.</summary>
    public bool Stored => Connection is not null || Remediation is not null;

    /// <summary>Why nothing was stored (null when something was), in a sentence the CLI and the API show as it is.</summary>
    public string? Refusal(ConnectionPurpose purpose) => Stored
        ? null
        : purpose == ConnectionPurpose.Remediate && Report.MissingPermissions.Count > 0
            ? $"Not connected: this credential may not remove or re-role members; add \"{string.Join("\", \"", Report.MissingPermissions)}\" to the token. Nothing was stored."
            : "Not connected: nothing was stored.";
}

/// <summary>What <see cref="ConnectionOperations.RemoveAsync"/> removed.</summary>
public enum ConnectionRemoval
{
    /// <summary>No connection or remediate credential has that name.</summary>
    None,
    /// <summary>A read connection and its credential; its synced snapshots stay as evidence.</summary>
    Connection,
    /// <summary>A remediate credential; the calls made with it stay recorded.</summary>
    Remediation,
}

/// <summary>Adding, testing, listing and removing Cloudflare connections, the same for the CLI and the API.</summary>
public static class ConnectionOperations
{
    /// <summary>A credential that verifies and sees at least one account can be stored; otherwise nothing is.</summary>
    public static bool IsUsable(PreflightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.CredentialValid && report.Accounts.Count > 0;
    }

    /// <summary>Checks every field of <paramref name="request"/> without any I/O; <see cref="ConnectAsync"/> does the same first.</summary>
    /// <exception cref="InvalidRequestException">A field is wrong; <see cref="InvalidRequestException.Field"/> names it, the message never quotes a credential.</exception>
    public static ValidConnectRequest Validate(ConnectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Name?.Trim() is { Length: > 0 } n ? n : throw new InvalidRequestException("name is required", "name");
        if (!ApiUrl.TryParse(request.ApiUrl ?? Connection.DefaultApiUrl, request.AllowInsecureHttp, out var url, out var urlProblem))
        {
            throw new InvalidRequestException($"{request.ApiUrlSource}: {urlProblem}", "api_url");
        }

        var email = request.Email?.Trim() is { Length: > 0 } e ? e : null;
        if (email is not null && CloudflareCredential.Problem(email, request.EmailSource) is { } emailProblem)
        {
            throw new InvalidRequestException(emailProblem, "email");
        }
        // Never the value in the message: only where it came from.
        if (CloudflareCredential.Problem(request.Credential.Reveal(), request.CredentialSource) is { } problem)
        {
            throw new InvalidRequestException(problem, "credential");
        }

        // A token starts as a user token; preflight tells user- from account-owned tokens by Cloudflare's answers.
        var credential = email is null ? CloudflareCredential.UserToken(request.Credential) : CloudflareCredential.GlobalKey(email, request.Credential);
        return new ValidConnectRequest(name, url.Text, request.AccountId?.Trim() is { Length: > 0 } a ? a : null, credential);
    }

    /// <summary>
    /// Preflight, then store the connection (credential encrypted) when the credential is usable. A remediate credential
    /// is stored apart from the read connections, and only when it may remove and re-role members.
    /// </summary>
    /// <exception cref="InvalidRequestException">A field is wrong; <see cref="InvalidRequestException.Field"/> names it.</exception>
    public static async Task<ConnectOutcome> ConnectAsync(VigilServices services, ConnectRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var valid = Validate(request);
        var (name, url, accountId, credential) = (valid.Name, valid.ApiUrl, valid.AccountId, valid.Credential);
        if (request.Purpose == ConnectionPurpose.Remediate)
        {
            var (remediateReport, stored) = await Reviews.ReviewRemediation.ConnectAsync(services, name, url, accountId, credential, request.Credential, ct);
            return new ConnectOutcome(remediateReport, null, false, stored);
        }

        var report = await services.Preflight.RunAsync(new PreflightRequest(credential, url, request.Purpose, accountId), ct);
        if (!IsUsable(report))
        {
            return new ConnectOutcome(report, null, false);
        }

        var kind = report.DetectedKind ?? credential.Kind;
        var account = accountId ?? (kind == CredentialKind.AccountToken && report.Accounts.Count == 1 ? report.Accounts[0].Id : null);
        var now = services.Time.GetUtcNow();
        var existing = await services.Store.FindAsync(name, ct);
        var connection = new Connection(
            Guid.NewGuid().ToString("N"), name, request.Purpose, url.TrimEnd('/'), account, kind, credential.Email, now, now, report.Summary,
            new HashSet<string>(), report.CloudflareUserId);
        await services.Store.SaveAsync(connection, request.Credential, ct);
        return new ConnectOutcome(report, await services.Store.FindAsync(name, ct) ?? connection, existing is not null);
    }

    /// <summary>Re-runs preflight with the stored credential and records the result.</summary>
    /// <returns>Null when there is no connection of that name.</returns>
    public static async Task<(Connection Connection, PreflightReport Report)?> TestAsync(VigilServices services, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var connection = await services.Store.FindAsync(name, ct);
        if (connection is null)
        {
            return null;
        }

        var credential = CloudflareCredential.For(connection, await services.Store.ReadSecretAsync(connection.Id, ct));
        var report = await services.Preflight.RunAsync(new PreflightRequest(credential, connection.ApiUrl, connection.Purpose, connection.AccountId), ct);
        await services.Store.RecordTestAsync(connection.Id, services.Time.GetUtcNow(), report.Summary, ct);
        return ((await services.Store.FindAsync(name, ct)) ?? connection, report);
    }

    /// <summary>The read connections and the remediate credentials (none where the store keeps no remediation).</summary>
    public static async Task<(IReadOnlyList<Connection> Connections, IReadOnlyList<RemediationCredential> Remediation)> ListAsync(IVigilStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var connections = await store.ListAsync(ct);
        var remediation = store is IRemediationStore remediate ? await remediate.ListRemediationCredentialsAsync(ct) : [];
        return (connections, remediation);
    }

    /// <summary>Removes the read connection of that name with its credential, else the remediate credential of that name.</summary>
    public static async Task<ConnectionRemoval> RemoveAsync(IVigilStore store, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (await store.RemoveAsync(name, ct))
        {
            return ConnectionRemoval.Connection;
        }

        return store is IRemediationStore remediation && await remediation.RemoveRemediationCredentialAsync(name, ct)
            ? ConnectionRemoval.Remediation
            : ConnectionRemoval.None;
    }
}
