using Vigil.Cloudflare;
using Vigil.Cloudflare.Preflight;
using Vigil.Core;
using Vigil.Core.Sync;

namespace Vigil.App.Administration;

/// <summary>What adding a connection asks for. The credential is write-only: it is stored encrypted and never returned.</summary>
/// <param name="Email">The login email of a legacy Global API Key; null for an API token.</param>
/// <param name="AllowInsecureHttp">Accept a plain http:// API URL to another machine.</param>
public sealed record ConnectRequest(
    string Name,
    ConnectionPurpose Purpose,
    string? ApiUrl,
    string? AccountId,
    Secret Credential,
    string? Email = null,
    bool AllowInsecureHttp = false);

/// <summary>The preflight of a credential and, when it was usable, the connection stored.</summary>
/// <param name="Connection">Null when the credential could not be used: nothing was stored.</param>
/// <param name="Replaced">True when a connection of the same name was replaced.</param>
public sealed record ConnectOutcome(PreflightReport Report, Connection? Connection, bool Replaced)
{
    /// <summary>True when every read the purpose needs works.</summary>
    public bool Ready => Connection is not null && Report.IsReady(Connection.Purpose);
}

/// <summary>Adding, testing and removing Cloudflare connections, the same for the CLI and the API.</summary>
public static class ConnectionOperations
{
    /// <summary>A credential that verifies and sees at least one account can be stored; otherwise nothing is.</summary>
    public static bool IsUsable(PreflightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.CredentialValid && report.Accounts.Count > 0;
    }

    /// <summary>Preflight, then store the connection (credential encrypted) when the credential is usable.</summary>
    /// <exception cref="InvalidRequestException">A field is wrong; <see cref="InvalidRequestException.Field"/> names it.</exception>
    public static async Task<ConnectOutcome> ConnectAsync(VigilServices services, ConnectRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(request);
        var name = request.Name?.Trim() is { Length: > 0 } n ? n : throw new InvalidRequestException("name is required", "name");
        if (!ApiUrl.TryParse(request.ApiUrl ?? Connection.DefaultApiUrl, request.AllowInsecureHttp, out var url, out var urlProblem))
        {
            throw new InvalidRequestException(urlProblem, "api_url");
        }

        var email = request.Email?.Trim() is { Length: > 0 } e ? e : null;
        if (email is not null && CloudflareCredential.Problem(email, "email") is { } emailProblem)
        {
            throw new InvalidRequestException(emailProblem, "email");
        }
        // Never the value in the message: only where it came from.
        if (CloudflareCredential.Problem(request.Credential.Reveal(), "the credential") is { } problem)
        {
            throw new InvalidRequestException(problem, "credential");
        }

        var credential = email is null ? CloudflareCredential.UserToken(request.Credential) : CloudflareCredential.GlobalKey(email, request.Credential);
        var accountId = request.AccountId?.Trim() is { Length: > 0 } a ? a : null;
        var report = await services.Preflight.RunAsync(new PreflightRequest(credential, url.Text, request.Purpose, accountId), ct);
        if (!IsUsable(report))
        {
            return new ConnectOutcome(report, null, false);
        }

        var kind = report.DetectedKind ?? credential.Kind;
        var account = accountId ?? (kind == CredentialKind.AccountToken && report.Accounts.Count == 1 ? report.Accounts[0].Id : null);
        var now = services.Time.GetUtcNow();
        var existing = await services.Store.FindAsync(name, ct);
        var connection = new Connection(
            Guid.NewGuid().ToString("N"), name, request.Purpose, url.Text.TrimEnd('/'), account, kind, credential.Email, now, now, report.Summary,
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
}
