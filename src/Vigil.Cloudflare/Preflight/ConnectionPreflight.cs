using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Preflight;

/// <summary>
/// Checks a credential before it is saved or synced: verifies it, detects its kind, lists the accounts it sees, and
/// tries each read the chosen purpose needs once with a minimal query, naming the permission group for every refusal.
/// </summary>
public sealed partial class ConnectionPreflight(CloudflareApiClient client, IOptions<CloudflareOptions> options, TimeProvider time, ILogger<ConnectionPreflight> logger)
{
    public async Task<PreflightReport> RunAsync(PreflightRequest request, CancellationToken ct)
    {
        var run = new Run(request, new ApiSession(request.ApiUrl ?? options.Value.BaseUrl, request.Credential));
        try
        {
            await RunAsync(run, ct).ConfigureAwait(false);
        }
        catch (CloudflareApiException ex)
        {
            LogFailed(logger, ex.Message);
            run.Problems.Add(ConnectionProblems.Classify(ex, run.Session.Credential.Kind) ?? Unexpected(ex.Message));
        }
        catch (CloudflareResponseException ex)
        {
            run.Problems.Add(Unexpected(ex.Message));
        }
        return new PreflightReport(
            run.Valid, run.Kind, run.Accounts, run.Probes,
            [.. run.Problems.DistinctBy(p => (p.Code, p.Message))], run.Session.Usage.ApiCalls, run.UserId, run.Valid ? run.UserNote : null);
    }

    private async Task RunAsync(Run run, CancellationToken ct)
    {
        if (!await VerifyAsync(run, ct).ConfigureAwait(false))
        {
            return;
        }
        await ReadUserAsync(run, ct).ConfigureAwait(false);
        await FindAccountsAsync(run, ct).ConfigureAwait(false);
        if (run.Accounts.Count == 0)
        {
            if (!run.Problems.Any(p => p.Code == "missing_permission"))
            {
                run.Problems.Add(ConnectionProblems.NoAccountsVisible);
            }
            return;
        }
        var account = run.Accounts[0].Id;
        if (run.Request.Purpose.HasFlag(ConnectionPurpose.Access))
        {
            if (run.Request.AccountId is null)
            {
                await ProbeAsync(run, ConnectionPurpose.Access, CloudflarePermissions.AccountSettingsRead, "read account settings (2FA enforcement)",
                    s => client.ProbeAsync(s, $"/accounts/{CloudflareApiClient.Id(account, "account")}", CloudflarePermissions.AccountSettingsRead, ct)).ConfigureAwait(false);
            }
            await ProbeAsync(run, ConnectionPurpose.Access, CloudflarePermissions.AccountSettingsRead, "list account members",
                s => client.ProbeListAsync(s, $"/accounts/{CloudflareApiClient.Id(account, "account")}/members", CloudflarePermissions.AccountSettingsRead, ct)).ConfigureAwait(false);
            await ProbeAsync(run, ConnectionPurpose.Access, CloudflarePermissions.AccountSettingsRead, "list account roles",
                s => client.ProbeListAsync(s, $"/accounts/{CloudflareApiClient.Id(account, "account")}/roles", CloudflarePermissions.AccountSettingsRead, ct)).ConfigureAwait(false);
            await ProbeAsync(run, ConnectionPurpose.Access, CloudflarePermissions.AccountSettingsRead, "list IAM user groups (access through groups)",
                s => client.ProbeListAsync(s, $"/accounts/{CloudflareApiClient.Id(account, "account")}/iam/user_groups", CloudflarePermissions.AccountSettingsRead, ct)).ConfigureAwait(false);
            await ProbeAsync(run, ConnectionPurpose.Access, CloudflarePermissions.SsoConnectorRead, "read SSO connectors (optional: shown beside SSO declarations)",
                s => client.ListSsoConnectorsAsync(s, account, ct), optional: true).ConfigureAwait(false);
            await ProbeAsync(run, ConnectionPurpose.Access, CloudflarePermissions.AccountApiTokensRead, "list account-owned API tokens (optional: token hygiene check)",
                s => client.ProbeListAsync(s, $"/accounts/{CloudflareApiClient.Id(account, "account")}/tokens", CloudflarePermissions.AccountApiTokensRead, ct),
                optional: true).ConfigureAwait(false);
        }
        if (run.Request.Purpose.HasFlag(ConnectionPurpose.Infra))
        {
            await ProbeInfraAsync(run, ct).ConfigureAwait(false);
        }
        if (run.Request.Purpose.HasFlag(ConnectionPurpose.Remediate))
        {
            await ProbeMemberWritesAsync(run, account, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A membership id no account has: asking to remove it changes nothing, whoever answers.</summary>
    internal const string NoSuchMemberId = "00000000000000000000000000000000";

    /// <summary>
    /// Whether the credential may remove and re-role members, without changing any: it asks to remove a membership
    /// that does not exist. Cloudflare checks the permission first, so 403 names the missing permission and 404 (no
    /// such member) shows the write would be allowed. A 404 is not written to the account's audit log (4xx answers are not).
    /// </summary>
    private async Task ProbeMemberWritesAsync(Run run, string accountId, CancellationToken ct)
    {
        const string what = "remove and re-role account members (asked to remove a member that does not exist; nothing changes)";
        var answer = await client.SendWriteOnceAsync(run.Session, HttpMethod.Delete,
            $"/accounts/{CloudflareApiClient.Id(accountId, "account")}/members/{NoSuchMemberId}", null, ct).ConfigureAwait(false);
        var permission = CloudflarePermissions.AccountSettingsWrite;
        if (answer.Status == 404 || answer.Status is >= 200 and < 300)
        {
            run.Probes.Add(new PermissionProbe(ConnectionPurpose.Remediate, what, permission, ProbeOutcome.Works, null));
        }
        else if (answer.Status == 403)
        {
            run.Probes.Add(new PermissionProbe(ConnectionPurpose.Remediate, what, permission, ProbeOutcome.MissingPermission, $"add \"{permission}\" to the token"));
            run.Problems.Add(ConnectionProblems.MissingPermission(permission, what));
        }
        else
        {
            var codes = string.Join("; ", answer.Errors.Select(e => $"{e.Code} {e.Message}"));
            run.Probes.Add(new PermissionProbe(ConnectionPurpose.Remediate, what, permission, ProbeOutcome.Failed,
                answer.Status == 0 ? answer.Detail : $"HTTP {answer.Status}{(codes.Length > 0 ? $" ({codes})" : "")}"));
        }
    }

    /// <summary>What the budget falls back to when the user behind a credential is unknown.</summary>
    internal const string PerCredentialFallback = "the rate-limit budget is then kept per credential, so tokens of one user are not counted together";

    /// <summary>
    /// The Cloudflare user behind the credential, for the rate-limit budget (Cloudflare counts per user, across the
    /// user's tokens and Global API Key): <c>GET /user</c> answers the user with <c>result.id</c>
    /// (<c>/user/tokens/verify</c> gives only the token's own id). It needs "User Details Read", which Vigil never
    /// requires: without it, or for an account-owned token (which has no user), the reason is recorded instead.
    /// </summary>
    private async Task ReadUserAsync(Run run, CancellationToken ct)
    {
        if (run.Kind == CredentialKind.GlobalKey)
        {
            run.UserNote = run.UserId is null ? "Cloudflare's GET /user answered no user id; " + PerCredentialFallback : null;
            return;
        }
        if (run.Kind == CredentialKind.AccountToken)
        {
            run.UserNote = "an account-owned token has no Cloudflare user (Cloudflare counts its requests per token); the rate-limit budget is kept per token";
            return;
        }
        try
        {
            var user = await client.GetUserAsync(run.Session, ct).ConfigureAwait(false);
            run.UserId = user.Result?.Id is { Length: > 0 } id ? id : null;
            run.UserNote = run.UserId is null ? "Cloudflare's GET /user answered no user id; " + PerCredentialFallback : null;
        }
        catch (CloudflareApiException ex)
        {
            LogNoUser(logger, ex.Message);
            run.UserNote = $"could not read the Cloudflare user behind the token (GET /user needs \"User Details Read\", optional); {PerCredentialFallback}";
        }
        catch (CloudflareResponseException ex)
        {
            LogNoUser(logger, ex.Message);
            run.UserNote = $"could not read the Cloudflare user behind the token (GET /user answered unexpectedly); {PerCredentialFallback}";
        }
    }

    /// <summary>Verifies the credential; false when it is refused (the problem is recorded).</summary>
    private async Task<bool> VerifyAsync(Run run, CancellationToken ct)
    {
        var credential = run.Request.Credential;
        if (credential.Kind == CredentialKind.GlobalKey)
        {
            var user = await client.GetUserAsync(run.Session, ct).ConfigureAwait(false);
            run.UserId = user.Result?.Id is { Length: > 0 } id ? id : null;
            run.Valid = true;
            run.Kind = CredentialKind.GlobalKey;
            return true;
        }

        var accountId = run.Request.AccountId;
        ApiResponse<TokenStatusDto> verified;
        if (credential.Kind == CredentialKind.AccountToken && accountId is not null)
        {
            verified = await client.VerifyAccountTokenAsync(run.Session, accountId, ct).ConfigureAwait(false);
            run.Kind = CredentialKind.AccountToken;
        }
        else
        {
            try
            {
                verified = await client.VerifyUserTokenAsync(run.Session, ct).ConfigureAwait(false);
                run.Kind = CredentialKind.UserToken;
            }
            catch (CloudflareApiException ex) when (ConnectionProblems.Classify(ex, credential.Kind) is { Code: "invalid_token" })
            {
                // The user endpoint refuses account-owned tokens: only the account endpoint can tell.
                if (accountId is null)
                {
                    run.Problems.Add(credential.Kind == CredentialKind.AccountToken || credential.Secret.Reveal().StartsWith("cfat_", StringComparison.Ordinal)
                        ? ConnectionProblems.AccountTokenWithoutAccountId
                        : ConnectionProblems.InvalidToken);
                    return false;
                }
                verified = await client.VerifyAccountTokenAsync(run.Session, accountId, ct).ConfigureAwait(false);
                run.Kind = CredentialKind.AccountToken;
            }
        }

        var status = verified.Result;
        var now = time.GetUtcNow();
        var problem = status?.Status switch
        {
            "expired" => ConnectionProblems.TokenExpired,
            "disabled" => ConnectionProblems.TokenDisabled,
            _ when status?.ExpiresOn is { } expires && expires <= now => ConnectionProblems.TokenExpired,
            _ when status?.NotBefore is { } notBefore && notBefore > now => ConnectionProblems.NotYetValid(notBefore),
            _ => null,
        };
        if (problem is not null)
        {
            run.Problems.Add(problem);
            return false;
        }
        run.Valid = true;
        return true;
    }

    private async Task FindAccountsAsync(Run run, CancellationToken ct)
    {
        if (run.Request.AccountId is { } accountId)
        {
            var probe = await ProbeAsync(run, ConnectionPurpose.Access, CloudflarePermissions.AccountSettingsRead, "read account settings (2FA enforcement)",
                s => client.GetAccountAsync(s, accountId, ct)).ConfigureAwait(false);
            // Without the read permission the account is still the one the user named.
            run.Accounts.Add(new VisibleAccount(accountId, probe?.Result?.Name ?? accountId));
            return;
        }
        await foreach (var page in client.ListAccountsAsync(run.Session, ct).ConfigureAwait(false))
        {
            // An account id that is not a Cloudflare id fails the preflight here, before it is offered as usable.
            run.Accounts.AddRange(page.Items.Where(a => a.Id is not null).Select(a => new VisibleAccount(CloudflareApiClient.Id(a.Id, "account"), a.Name ?? a.Id!)).ToList());
        }
    }

    private async Task ProbeInfraAsync(Run run, CancellationToken ct)
    {
        var zonesPath = run.Request.AccountId is { } accountId ? $"/zones?status=active&account.id={CloudflareApiClient.Id(accountId, "account")}" : "/zones?status=active";
        var zones = await ProbeAsync(run, ConnectionPurpose.Infra, CloudflarePermissions.ZoneRead, "list zones",
            s => client.ProbeListAsync(s, zonesPath, CloudflarePermissions.ZoneRead, ct)).ConfigureAwait(false);
        if (zones is null)
        {
            return;
        }
        var zoneId = zones.Result?
            .Where(z => z.TryGetProperty("paused", out var paused) is false || paused.ValueKind != System.Text.Json.JsonValueKind.True)
            .Select(z => z.TryGetProperty("id", out var id) ? id.GetString() : null)
            .FirstOrDefault(id => id is not null);
        string[] perZone = ["read zone settings", "read DNSSEC status", "read WAF rulesets"];
        string[] permissions = [CloudflarePermissions.ZoneSettingsRead, CloudflarePermissions.DnsRead, CloudflarePermissions.FirewallServicesRead];
        if (zoneId is null)
        {
            for (var i = 0; i < perZone.Length; i++)
            {
                run.Probes.Add(new PermissionProbe(ConnectionPurpose.Infra, perZone[i], permissions[i], ProbeOutcome.NotTested, "no active zone to try it on"));
            }
            return;
        }
        await ProbeAsync<object>(run, ConnectionPurpose.Infra, CloudflarePermissions.ZoneSettingsRead, perZone[0], async s =>
        {
            try
            {
                return await client.GetZoneSettingsAsync(s, zoneId, ct).ConfigureAwait(false);
            }
            catch (CloudflareApiException ex) when (ZoneSettingsReader.MayBeEnded(ex))
            {
                // The batch call may have ended (or refuses a route it no longer serves): the per-setting read is what sync will use.
                return await client.GetZoneSettingAsync(s, zoneId, ZoneSettingsMapper.Ssl, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        await ProbeAsync(run, ConnectionPurpose.Infra, CloudflarePermissions.DnsRead, perZone[1],
            s => client.GetDnssecAsync(s, zoneId, ct)).ConfigureAwait(false);
        await ProbeAsync(run, ConnectionPurpose.Infra, CloudflarePermissions.FirewallServicesRead, perZone[2],
            s => client.GetEntrypointAsync(s, zoneId, Core.Inventory.RulesetPhases.ManagedWaf, ct)).ConfigureAwait(false);

        // Optional reads: without them the sync records a gap and the checks that need them say so, but a zone is still judged.
        var account = run.Accounts[0].Id;
        await ProbeAsync(run, ConnectionPurpose.Infra, CloudflarePermissions.AccountWafRead, "read account-level WAF rulesets (optional: Enterprise deployments and skips)",
            s => client.ProbeAsync(s, $"/accounts/{CloudflareApiClient.Id(account, "account")}/rulesets", CloudflarePermissions.AccountWafRead, ct), optional: true).ConfigureAwait(false);
        const string hostnameTls = "read per-hostname minimum TLS (optional: Pro, Business and Enterprise zones)";
        var paidZoneId = zones.Result?
            .Where(z => z.TryGetProperty("plan", out var plan) && plan.ValueKind == System.Text.Json.JsonValueKind.Object
                && plan.TryGetProperty("legacy_id", out var legacy) && Core.Inventory.Zone.PlanMayOverrideTlsPerHostname(legacy.GetString()))
            .Select(z => z.TryGetProperty("id", out var id) ? id.GetString() : null)
            .FirstOrDefault(id => id is not null);
        if (paidZoneId is null)
        {
            run.Probes.Add(new PermissionProbe(ConnectionPurpose.Infra, hostnameTls, CloudflarePermissions.SslAndCertificatesRead, ProbeOutcome.NotTested,
                "no Pro, Business or Enterprise zone to try it on", Optional: true));
        }
        else
        {
            await ProbeAsync(run, ConnectionPurpose.Infra, CloudflarePermissions.SslAndCertificatesRead, hostnameTls,
                s => client.GetHostnameMinTlsAsync(s, paidZoneId, ct), optional: true).ConfigureAwait(false);
        }

        // The same permission reads Universal SSL, origin pull settings and certificate packs on every plan: tried on any zone.
        await ProbeAsync(run, ConnectionPurpose.Infra, CloudflarePermissions.SslAndCertificatesRead,
            "list certificate packs (optional: cloudflare.dns-caa, also Universal SSL and origin pull settings)",
            s => client.ProbeListAsync(s, $"/zones/{CloudflareApiClient.Id(zoneId, "zone")}/ssl/certificate_packs", CloudflarePermissions.SslAndCertificatesRead, ct),
            optional: true).ConfigureAwait(false);
        await ProbeAsync(run, ConnectionPurpose.Infra, CloudflarePermissions.BotManagementRead, "read bot management (optional: cloudflare.zone-bot-protection)",
            s => client.GetBotManagementAsync(s, zoneId, ct), optional: true).ConfigureAwait(false);
        const string logpush = "list Logpush jobs (optional: Enterprise zones, cloudflare.zone-logs-exported)";
        var enterpriseZoneId = zones.Result?
            .Where(z => z.TryGetProperty("plan", out var plan) && plan.ValueKind == System.Text.Json.JsonValueKind.Object
                && plan.TryGetProperty("legacy_id", out var legacy) && legacy.ValueKind == System.Text.Json.JsonValueKind.String
                && string.Equals(legacy.GetString(), "enterprise", StringComparison.OrdinalIgnoreCase))
            .Select(z => z.TryGetProperty("id", out var id) ? id.GetString() : null)
            .FirstOrDefault(id => id is not null);
        if (enterpriseZoneId is null)
        {
            run.Probes.Add(new PermissionProbe(ConnectionPurpose.Infra, logpush, CloudflarePermissions.LogsRead, ProbeOutcome.NotTested,
                "no Enterprise zone to try it on", Optional: true));
        }
        else
        {
            await ProbeAsync(run, ConnectionPurpose.Infra, CloudflarePermissions.LogsRead, logpush,
                s => client.ListLogpushJobsAsync(s, $"/zones/{CloudflareApiClient.Id(enterpriseZoneId, "zone")}", ct), optional: true).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one probe; a refusal for lack of permission becomes a probe result, a refused credential propagates.</summary>
    private static async Task<T?> ProbeAsync<T>(Run run, ConnectionPurpose purpose, string permission, string what, Func<ApiSession, Task<T>> read, bool optional = false)
        where T : class
    {
        try
        {
            var result = await read(run.Session).ConfigureAwait(false);
            run.Probes.Add(new PermissionProbe(purpose, what, permission, ProbeOutcome.Works, null, optional));
            return result;
        }
        catch (CloudflareApiException ex)
        {
            var problem = ConnectionProblems.Classify(ex, run.Session.Credential.Kind);
            if (ConnectionProblems.IsCredentialRejected(problem) || problem?.Code is "rate_limited" or "unreachable")
            {
                throw;
            }
            if (problem is { Code: "missing_permission" })
            {
                run.Probes.Add(new PermissionProbe(purpose, what, permission, ProbeOutcome.MissingPermission,
                    optional ? $"optional: add \"{permission}\" to the token to read it" : $"add \"{permission}\" to the token", optional));
                if (!optional)
                {
                    run.Problems.Add(ConnectionProblems.MissingPermission(permission, what));
                }
            }
            else
            {
                run.Probes.Add(new PermissionProbe(purpose, what, permission, ProbeOutcome.Failed, ex.Message, optional));
            }
            return null;
        }
    }

    private static ConnectionProblem Unexpected(string message) =>
        new("unexpected_response", message, "Try again; if it persists, check the API URL and Cloudflare's status page.");

    private sealed class Run(PreflightRequest request, ApiSession session)
    {
        public PreflightRequest Request { get; } = request;
        public ApiSession Session { get; } = session;
        public bool Valid { get; set; }
        public CredentialKind? Kind { get; set; }
        public List<VisibleAccount> Accounts { get; } = [];
        public List<PermissionProbe> Probes { get; } = [];
        public List<ConnectionProblem> Problems { get; } = [];
        public string? UserId { get; set; }
        public string? UserNote { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Preflight could not read the user behind the credential: {Reason}")]
    private static partial void LogNoUser(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Preflight stopped: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
