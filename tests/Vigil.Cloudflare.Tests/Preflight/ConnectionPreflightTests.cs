using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cloudflare.Tests.Preflight;

public sealed class ConnectionPreflightTests : IAsyncLifetime
{
    private CloudflareSimulator _sim = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _sim = await TestScenario.StartAsync(TestScenario.Build((2, 3, 4), (1, 2, 0)));
        _host = new TestHost(_sim.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _sim.DisposeAsync();
    }

    private Task<PreflightReport> RunAsync(CloudflareCredential credential, ConnectionPurpose purpose = ConnectionPurpose.Both, string? accountId = null) =>
        _host.Preflight.RunAsync(new PreflightRequest(credential, _sim.BaseUrl, purpose, accountId), CancellationToken.None);

    private static CloudflareCredential Token(string value) => CloudflareCredential.UserToken(new Secret(value));

    [Fact]
    public async Task Read_all_user_token_is_ready_for_both_purposes()
    {
        var report = await RunAsync(Token(TestScenario.ReadAll));

        Assert.True(report.CredentialValid);
        Assert.Equal(CredentialKind.UserToken, report.DetectedKind);
        Assert.Equal(2, report.Accounts.Count);
        Assert.Empty(report.Problems);
        // The test organisation's zones are all on the Free plan: per-hostname TLS has no zone to be tried on.
        // Nor Logpush, which needs an Enterprise zone.
        Assert.All(report.Probes.Where(p => p.Permission is not (CloudflarePermissions.SslAndCertificatesRead or CloudflarePermissions.LogsRead)), p => Assert.Equal(ProbeOutcome.Works, p.Outcome));
        Assert.Equal((ProbeOutcome.NotTested, true), Assert.Single(report.Probes, p => p.Permission == CloudflarePermissions.SslAndCertificatesRead && p.What.StartsWith("read per-hostname", StringComparison.Ordinal)) is var tls ? (tls.Outcome, tls.Optional) : default);
        // SSL and Certificates Read is still tried on a Free zone, through its certificate packs (cloudflare.dns-caa).
        Assert.Equal((ProbeOutcome.Works, true), Assert.Single(report.Probes, p => p.Permission == CloudflarePermissions.SslAndCertificatesRead && p.What.StartsWith("list certificate packs", StringComparison.Ordinal)) is var packs ? (packs.Outcome, packs.Optional) : default);
        Assert.Equal((ProbeOutcome.NotTested, true), Assert.Single(report.Probes, p => p.Permission == CloudflarePermissions.LogsRead) is var logs ? (logs.Outcome, logs.Optional) : default);
        Assert.Contains(report.Probes, p => p.Permission == CloudflarePermissions.BotManagementRead && p.Optional && p.Outcome == ProbeOutcome.Works);
        Assert.Contains(report.Probes, p => p.Purpose == ConnectionPurpose.Infra && p.What == "read WAF rulesets");
        Assert.Contains(report.Probes, p => p.Permission == CloudflarePermissions.AccountWafRead && p.Optional && p.Outcome == ProbeOutcome.Works);
        Assert.True(report.IsReady(ConnectionPurpose.Both));
        Assert.Equal("user token valid; 2 accounts", report.Summary);
    }

    [Fact]
    public async Task Global_key_is_verified_with_the_user_endpoint()
    {
        var report = await RunAsync(CloudflareCredential.GlobalKey(TestScenario.GlobalKeyEmail, new Secret(TestScenario.GlobalKey)));

        Assert.True(report.CredentialValid);
        Assert.Equal(CredentialKind.GlobalKey, report.DetectedKind);
        Assert.True(report.IsReady(ConnectionPurpose.Both));
    }

    [Fact]
    public async Task Account_token_is_detected_when_the_account_id_is_given()
    {
        var report = await RunAsync(Token(TestScenario.AccountToken), accountId: TestScenario.Id('a', 0, 0));

        Assert.True(report.CredentialValid);
        Assert.Equal(CredentialKind.AccountToken, report.DetectedKind);
        Assert.Equal(TestScenario.Id('a', 0, 0), Assert.Single(report.Accounts).Id);
        Assert.True(report.IsReady(ConnectionPurpose.Both));
    }

    [Theory]
    [InlineData(TestScenario.AccountToken, "account_token_without_account_id", "--account-id")]
    [InlineData("cfut_unknown_or_revoked_token_value_000", "invalid_token", "new API token")]
    [InlineData(TestScenario.Expired, "token_expired", "expired")]
    [InlineData(TestScenario.Disabled, "token_disabled", "disabled")]
    [InlineData(TestScenario.NotYetValid, "token_not_yet_valid", "2099-01-01")]
    [InlineData(TestScenario.IpRestricted, "token_ip_restricted", "IP address")]
    [InlineData("two words", "malformed_token", "format")]
    [InlineData(TestScenario.NoAccounts, "no_accounts_visible", "sees no Cloudflare account")]
    public async Task Each_credential_problem_gets_its_own_plain_diagnosis(string token, string code, string mentioned)
    {
        var report = await RunAsync(Token(token));

        var problem = Assert.Single(report.Problems);
        Assert.Equal(code, problem.Code);
        Assert.Contains(mentioned, problem.Message + " " + problem.Fix);
        Assert.False(report.IsReady(ConnectionPurpose.Access));
        Assert.DoesNotContain("   at ", problem.Message + problem.Fix + report.Summary);
    }

    [Fact]
    public async Task Wrong_global_key_is_diagnosed()
    {
        var report = await RunAsync(CloudflareCredential.GlobalKey(TestScenario.GlobalKeyEmail, new Secret("cfk_wrong_key")));

        Assert.False(report.CredentialValid);
        Assert.Equal(ConnectionProblems.InvalidGlobalKey, Assert.Single(report.Problems));
    }

    [Theory]
    [InlineData(TestScenario.NoZoneRead, ConnectionPurpose.Infra, CloudflarePermissions.ZoneRead)]
    [InlineData(TestScenario.NoDnsRead, ConnectionPurpose.Infra, CloudflarePermissions.DnsRead)]
    [InlineData(TestScenario.NoAccountSettings, ConnectionPurpose.Access, CloudflarePermissions.AccountSettingsRead)]
    public async Task Missing_permission_is_named(string token, ConnectionPurpose affected, string permission)
    {
        var report = await RunAsync(Token(token));

        Assert.True(report.CredentialValid);
        Assert.Equal([permission], report.MissingPermissions);
        Assert.All(report.Problems, p => Assert.Contains($"\"{permission}\"", p.Message));
        Assert.False(report.IsReady(affected));
        Assert.True(report.IsReady(ConnectionPurpose.Both & ~affected));
        Assert.Contains(permission, report.Summary);
    }

    [Fact]
    public async Task Probes_only_what_the_purpose_needs_with_few_calls()
    {
        var report = await RunAsync(Token(TestScenario.ReadAll), ConnectionPurpose.Access);

        Assert.All(report.Probes, p => Assert.Equal(ConnectionPurpose.Access, p.Purpose));
        Assert.Equal(0, _sim.Stats.CountFor("GET /zones"));
        Assert.Equal(9, report.ApiCalls); // verify, the user (GET /user), accounts, account details, members, roles, user groups, SSO connectors, account tokens
    }

    [Fact]
    public async Task Names_the_permissions_of_user_groups_and_sso_connectors_and_stays_ready_without_the_optional_sso_read()
    {
        var full = await RunAsync(Token(TestScenario.ReadAll), ConnectionPurpose.Access);
        Assert.Contains(full.Probes, p => p.What.StartsWith("list IAM user groups", StringComparison.Ordinal) && p.Permission == CloudflarePermissions.AccountSettingsRead && p.Outcome == ProbeOutcome.Works);

        var report = await RunAsync(Token(TestScenario.NoSsoRead), ConnectionPurpose.Access);

        var sso = Assert.Single(report.Probes, p => p.Permission == CloudflarePermissions.SsoConnectorRead);
        Assert.Equal((ProbeOutcome.MissingPermission, true), (sso.Outcome, sso.Optional));
        Assert.Equal([CloudflarePermissions.SsoConnectorRead], report.MissingPermissions);
        Assert.True(report.IsReady(ConnectionPurpose.Access));
        Assert.Empty(report.Problems);
    }

    [Fact]
    public async Task A_token_without_account_waf_read_is_ready_and_told_what_the_optional_read_needs()
    {
        var report = await RunAsync(Token(TestScenario.NoAccountWafRead), ConnectionPurpose.Infra);

        var accountWaf = Assert.Single(report.Probes, p => p.Permission == CloudflarePermissions.AccountWafRead);
        Assert.Equal((ProbeOutcome.MissingPermission, true), (accountWaf.Outcome, accountWaf.Optional));
        Assert.Contains(CloudflarePermissions.AccountWafRead, report.MissingPermissions);
        Assert.True(report.IsReady(ConnectionPurpose.Infra));
    }

    [Fact]
    public async Task A_token_without_account_api_tokens_read_is_ready_and_told_what_the_optional_read_needs()
    {
        var full = await RunAsync(Token(TestScenario.ReadAll), ConnectionPurpose.Access);
        Assert.Contains(full.Probes, p => p.Permission == CloudflarePermissions.AccountApiTokensRead && p.Outcome == ProbeOutcome.Works);

        var report = await RunAsync(Token(TestScenario.NoAccountTokensRead), ConnectionPurpose.Access);

        var tokens = Assert.Single(report.Probes, p => p.Permission == CloudflarePermissions.AccountApiTokensRead);
        Assert.Equal((ProbeOutcome.MissingPermission, true), (tokens.Outcome, tokens.Optional));
        Assert.StartsWith("list account-owned API tokens", tokens.What, StringComparison.Ordinal);
        Assert.Equal([CloudflarePermissions.AccountApiTokensRead], report.MissingPermissions);
        Assert.True(report.IsReady(ConnectionPurpose.Access));
        Assert.Empty(report.Problems);
    }
    [Fact]
    public async Task Reads_the_cloudflare_user_behind_a_token_or_global_key_for_the_shared_budget()
    {
        // Both credentials belong to the scenario's owner: GET /user answers that user's id (/user/tokens/verify gives the token's own id).
        var token = await RunAsync(Token(TestScenario.ReadAll));
        var key = await RunAsync(CloudflareCredential.GlobalKey(TestScenario.GlobalKeyEmail, new Secret(TestScenario.GlobalKey)));

        Assert.Equal(TestScenario.Id('9', 0, 1), token.CloudflareUserId);
        Assert.Null(token.CloudflareUserNote);
        Assert.Equal(TestScenario.Id('9', 0, 1), key.CloudflareUserId);
        Assert.Null(key.CloudflareUserNote);
        Assert.Equal(1, _sim.Stats.CountFor("GET /user/tokens/verify"));
        Assert.Equal(2, _sim.Stats.CountFor("GET /user"));
    }

    [Fact]
    public async Task Without_user_details_read_says_the_user_is_unknown_and_the_budget_is_per_credential_yet_stays_ready()
    {
        var report = await RunAsync(Token(TestScenario.NoUserDetailsRead));

        Assert.True(report.CredentialValid);
        Assert.Null(report.CloudflareUserId);
        Assert.Contains("\"User Details Read\"", report.CloudflareUserNote);
        Assert.Contains("per credential", report.CloudflareUserNote);
        // Never a required permission: no problem, nothing missing, ready for both purposes.
        Assert.Empty(report.Problems);
        Assert.Empty(report.MissingPermissions);
        Assert.True(report.IsReady(ConnectionPurpose.Both));
    }

    [Fact]
    public async Task An_account_token_has_no_user_and_is_budgeted_per_token()
    {
        var report = await RunAsync(CloudflareCredential.AccountToken(new Secret(TestScenario.AccountToken)), accountId: TestScenario.Id('a', 0, 0));

        Assert.True(report.CredentialValid);
        Assert.Null(report.CloudflareUserId);
        Assert.Contains("account-owned token has no Cloudflare user", report.CloudflareUserNote);
        Assert.Equal(0, _sim.Stats.CountFor("GET /user"));
    }

    [Fact]
    public void The_budget_key_is_the_user_when_known_so_tokens_of_one_user_share_it()
    {
        var first = Token(TestScenario.ReadAll);
        var second = Token(TestScenario.Revocable);
        var key = CloudflareCredential.GlobalKey(TestScenario.GlobalKeyEmail, new Secret(TestScenario.GlobalKey));
        const string user = "4f7c0e6b1a2d3c4e5f60718293a4b5c6";

        Assert.NotEqual(first.BudgetKey(_sim.BaseUrl), second.BudgetKey(_sim.BaseUrl));
        Assert.Equal(first.BudgetKey(_sim.BaseUrl, user), second.BudgetKey(_sim.BaseUrl, user));
        Assert.Equal(first.BudgetKey(_sim.BaseUrl, user), key.BudgetKey(_sim.BaseUrl, user));
        Assert.NotEqual(first.BudgetKey(_sim.BaseUrl, user), first.BudgetKey(_sim.BaseUrl, "another0000000000000000000000000"));
        Assert.NotEqual(first.BudgetKey(_sim.BaseUrl, user), first.BudgetKey("https://api.cloudflare.com/client/v4", user));
        Assert.DoesNotContain(TestScenario.ReadAll, first.BudgetKey(_sim.BaseUrl));
    }
}
