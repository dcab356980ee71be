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
        Assert.Equal((ProbeOutcome.NotTested, true), Assert.Single(report.Probes, p => p.Permission == CloudflarePermissions.SslAndCertificatesRead) is var tls ? (tls.Outcome, tls.Optional) : default);
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
        Assert.Equal(8, report.ApiCalls); // verify, accounts, account details, members, roles, user groups, SSO connectors, account tokens
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
}
