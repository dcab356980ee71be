using System.Text.Json;
using Vigil.Simulation.ContractTests.OpenApi;

namespace Vigil.Simulation.ContractTests;

/// <summary>Each allowed deviation is needed (the document as written rejects the real shape) and no wider than stated.</summary>
public sealed class AllowedDeviationsTests
{
    private const string PermissionError = """
        {"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[],"result":null}
        """;

    private const string RateLimited = """
        {"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"messages":[],"result":null}
        """;

    private static ContractOutcome Check(string pathTemplate, int status, string body)
    {
        using var json = JsonDocument.Parse(body);
        return ContractCheck.Check(CloudflareOpenApi.Shared, pathTemplate, status, json.RootElement);
    }

    private static IReadOnlyList<SchemaViolation> ValidateAsWritten(string pathTemplate, int status, string body)
    {
        using var json = JsonDocument.Parse(body);
        return CloudflareOpenApi.Shared.GetResponse(pathTemplate, status).Validate(json.RootElement);
    }

    [Theory]
    [InlineData("/accounts")]
    [InlineData("/accounts/{account_id}")]
    [InlineData("/accounts/{account_id}/members")]
    [InlineData("/accounts/{account_id}/members/{member_id}")]
    [InlineData("/accounts/{account_id}/roles")]
    [InlineData("/user")]
    [InlineData("/user/tokens/verify")]
    [InlineData("/zones/{zone_id}/dnssec")]
    [InlineData("/zones/{zone_identifier}/firewall/rules")]
    public void Error_schemas_of_these_operations_reject_every_failure_as_written(string pathTemplate)
    {
        var violations = ValidateAsWritten(pathTemplate, 403, PermissionError);

        Assert.Contains(violations, v => v.InstanceLocation == "/success" && v.Keyword == "enum");
    }

    [Fact]
    public void Failures_of_those_operations_are_checked_against_the_failure_envelope()
    {
        var outcome = Check("/accounts/{account_id}/members", 403, PermissionError);

        Assert.Empty(outcome.Violations);
        Assert.Equal([AllowedDeviations.UnsatisfiableFailureSchemas], outcome.Applied);
        Assert.Contains("/components/schemas/iam_api-response-common-failure", outcome.CheckedAgainst, StringComparison.Ordinal);
    }

    [Fact]
    public void The_failure_envelope_still_rejects_a_failure_with_a_result()
    {
        var outcome = Check("/accounts/{account_id}/members", 403, PermissionError.Replace("\"result\":null", "\"result\":[]", StringComparison.Ordinal));

        Assert.Contains(outcome.Violations, v => v.InstanceLocation == "/result");
    }

    [Fact]
    public void Error_schemas_that_are_satisfiable_are_used_as_written()
    {
        var outcome = Check("/zones/{zone_id}", 403, PermissionError);

        Assert.Empty(outcome.Violations);
        Assert.Empty(outcome.Applied);
    }

    [Fact]
    public void Rate_limit_code_971_is_rejected_as_written_and_exempt_on_429_only()
    {
        Assert.Contains(ValidateAsWritten("/zones", 429, RateLimited), v => v.InstanceLocation == "/errors/0/code" && v.Keyword == "minimum");

        var on429 = Check("/zones", 429, RateLimited);
        Assert.Empty(on429.Violations);
        Assert.Equal([AllowedDeviations.RateLimitCodeBelowMinimum], on429.Applied);

        var on403 = Check("/zones", 403, RateLimited);
        Assert.Contains(on403.Violations, v => v.InstanceLocation == "/errors/0/code" && v.Keyword == "minimum");
    }

    [Fact]
    public void Account_token_verify_is_missing_from_the_document_and_checked_as_user_token_verify()
    {
        Assert.False(CloudflareOpenApi.Shared.HasOperation(AllowedDeviations.AccountTokenVerify.PathTemplate));

        var outcome = Check(
            AllowedDeviations.AccountTokenVerify.PathTemplate,
            200,
            """{"success":true,"errors":[],"messages":[],"result":{"id":"ed17574386854bf78a67040be0a770b0","status":"active"}}""");

        Assert.Empty(outcome.Violations);
        Assert.Equal([AllowedDeviations.AccountTokenVerify], outcome.Applied);
        Assert.StartsWith("GET /user/tokens/verify → 200", outcome.CheckedAgainst, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operation_missing_from_the_document_without_a_stand_in_is_an_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Check("/accounts/{account_id}/iam/permission_groups", 200, "{}"));

        Assert.Contains("/accounts/{account_id}/iam/permission_groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Success_that_disagrees_with_the_status_is_a_violation()
    {
        var outcome = Check("/zones/{zone_id}", 404, PermissionError.Replace("\"success\":false", "\"success\":true", StringComparison.Ordinal));

        Assert.Contains(outcome.Violations, v => v.InstanceLocation == "/success" && v.Keyword == "envelope");
    }

    [Fact]
    public void Failure_without_errors_is_a_violation()
    {
        var outcome = Check("/zones/{zone_id}", 404, """{"success":false,"errors":[],"messages":[],"result":null}""");

        Assert.Contains(outcome.Violations, v => v.InstanceLocation == "/errors" && v.Keyword == "envelope");
    }

    [Fact]
    public void Null_zone_owner_is_rejected_as_written_and_exempt_only_for_owner_id_and_name()
    {
        const string zones = """
            {"success":true,"errors":[],"messages":[],"result":[{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"shop.example",
             "development_mode":0,"name_servers":[],"original_name_servers":null,"original_registrar":null,"original_dnshost":null,
             "created_on":"2022-01-10T12:00:00Z","modified_on":"2026-06-01T08:00:00Z","activated_on":null,"meta":{},
             "owner":{"id":null,"name":null,"type":"user"},"account":{"id":"3f1c5a7e9b2d4c6e8a0b1c2d3e4f5a6b","name":null}}]}
            """;

        Assert.Contains(ValidateAsWritten("/zones", 200, zones), v => v.InstanceLocation == "/result/0/owner/id" && v.Keyword == "type");

        var outcome = Check("/zones", 200, zones);
        Assert.Equal([AllowedDeviations.NullZoneOwner], outcome.Applied);
        var remaining = Assert.Single(outcome.Violations);
        Assert.Equal("/result/0/account/name", remaining.InstanceLocation);
    }

    [Fact]
    public void Rule_action_pattern_contradicts_the_documents_own_actions_and_the_correction_fixes_only_that()
    {
        const string rule = """
            {"id":"95a1b2c3d4e5f60718293a4b5c6d7e8f","version":"1","action":"managed_challenge","expression":"true",
             "last_updated":"2026-05-02T10:00:00Z","ref":"r1","enabled":true}
            """;
        using var json = JsonDocument.Parse(rule);
        var asWritten = CloudflareOpenApi.Load(RepositoryLayout.CloudflareOpenApiPath(), []);

        Assert.Contains(
            asWritten.Validate("/components/schemas/rulesets_ManagedChallengeRule", json.RootElement),
            v => v.InstanceLocation == "/action" && v.Keyword == "pattern");
        Assert.Empty(CloudflareOpenApi.Shared.Validate("/components/schemas/rulesets_ManagedChallengeRule", json.RootElement));

        using var wrongAction = JsonDocument.Parse(rule.Replace("managed_challenge", "block", StringComparison.Ordinal));
        Assert.Contains(
            CloudflareOpenApi.Shared.Validate("/components/schemas/rulesets_ManagedChallengeRule", wrongAction.RootElement),
            v => v.InstanceLocation == "/action" && v.Keyword == "enum");
    }

    [Fact]
    public void A_correction_whose_target_changed_fails_loudly()
    {
        var stale = AllowedDeviations.RuleActionPattern with { Expected = "^[a-z]*$" };

        var error = Assert.Throws<InvalidOperationException>(() => CloudflareOpenApi.Load(RepositoryLayout.CloudflareOpenApiPath(), [stale]));

        Assert.Contains("rule-action-pattern", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_deviation_has_a_reason()
    {
        Assert.All(AllowedDeviations.All, d => Assert.True(d.Reason.Length > 40, $"{d.Id} needs a reason"));
        Assert.Equal(AllowedDeviations.All.Count, AllowedDeviations.All.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public void Origin_pull_is_rejected_as_written_and_accepted_with_the_correction()
    {
        using var json = JsonDocument.Parse("""{"id":"ssl","value":"origin_pull","editable":true,"modified_on":null}""");
        var asWritten = CloudflareOpenApi.Load(RepositoryLayout.CloudflareOpenApiPath(), []);

        Assert.Contains(asWritten.Validate("/components/schemas/zones_ssl", json.RootElement), v => v.Keyword == "enum");
        Assert.Empty(CloudflareOpenApi.Shared.Validate("/components/schemas/zones_ssl", json.RootElement));
        var stale = AllowedDeviations.SslOriginPull with { Expected = "full" };
        Assert.Throws<InvalidOperationException>(() => CloudflareOpenApi.Load(RepositoryLayout.CloudflareOpenApiPath(), [stale]));
    }

    [Fact]
    public void Page_rules_and_hostname_tls_settings_are_missing_from_the_document_and_checked_against_sdk_shapes()
    {
        Assert.False(CloudflareOpenApi.Shared.HasOperation(AllowedDeviations.PageRules.PathTemplate));
        Assert.False(CloudflareOpenApi.Shared.HasOperation(AllowedDeviations.HostnameTlsSettings.PathTemplate));

        using var good = JsonDocument.Parse("""
            {"success":true,"errors":[],"messages":[],"result":[{"id":"p1","targets":[{"target":"url","constraint":{"operator":"matches","value":"*a.example/*"}}],
             "actions":[{"id":"ssl","value":"flexible"}],"priority":1,"status":"active","created_on":"2026-01-01T00:00:00Z","modified_on":"2026-01-01T00:00:00Z"}]}
            """);
        using var bad = JsonDocument.Parse("""
            {"success":true,"errors":[],"messages":[],"result":[{"id":"p1","targets":[],"actions":[],"priority":1,"status":"paused","created_on":"x","modified_on":"x"}]}
            """);
        var passed = ContractCheck.Check(CloudflareOpenApi.Shared, AllowedDeviations.PageRules.PathTemplate, 200, good.RootElement);
        Assert.Empty(passed.Violations);
        Assert.Equal([AllowedDeviations.PageRules], passed.Applied);
        Assert.Contains(ContractCheck.Check(CloudflareOpenApi.Shared, AllowedDeviations.PageRules.PathTemplate, 200, bad.RootElement).Violations,
            v => v.InstanceLocation == "/result/0/status");

        using var hostnames = JsonDocument.Parse("""{"success":true,"errors":[],"messages":[],"result":[{"hostname":"a.example","value":"1.5","status":"active"}]}""");
        Assert.NotEmpty(ContractCheck.Check(CloudflareOpenApi.Shared, AllowedDeviations.HostnameTlsSettings.PathTemplate, 200, hostnames.RootElement).Violations);
    }

    [Fact]
    public void Account_tokens_are_missing_from_the_document_and_checked_against_the_sdk_shape()
    {
        Assert.False(CloudflareOpenApi.Shared.HasOperation(AllowedDeviations.AccountTokens.PathTemplate));

        // Cloudflare's own example (API reference, List Tokens), trimmed to one permission group.
        using var good = JsonDocument.Parse("""
            {"success":true,"errors":[],"messages":[],"result":[{"id":"ed17574386854bf78a67040be0a770b0","name":"readonly token","status":"active",
             "condition":{"request_ip":{"in":["123.123.123.0/24","2606:4700::/32"],"not_in":["123.123.123.100/24"]}},
             "creator_email_at_creation":"user@example.com","expires_on":"2020-01-01T00:00:00Z","issued_on":"2018-07-01T05:20:00Z",
             "last_used_on":"2020-01-02T12:34:00Z","modified_on":"2018-07-02T05:20:00Z","not_before":"2018-07-01T05:20:00Z",
             "policies":[{"id":"f267e341f3dd4697bd3b9f71dd96247f","effect":"allow","permission_groups":[{"id":"c8fed203ed3043cba015a93ad1616f1f","name":"Zone Read"}],
              "resources":{"com.cloudflare.api.account.zone.22b1de5f1c0e4b3ea97bb1e963b06a43":"*"}}]}],
             "result_info":{"count":1,"page":1,"per_page":20,"total_count":1}}
            """);
        using var bad = JsonDocument.Parse("""
            {"success":true,"errors":[],"messages":[],"result":[{"id":"t1","name":"x","status":"paused","policies":[{"id":"p","effect":"allow","permission_groups":[]}]}],
             "result_info":{"count":1,"page":1,"per_page":20}}
            """);

        var passed = ContractCheck.Check(CloudflareOpenApi.Shared, AllowedDeviations.AccountTokens.PathTemplate, 200, good.RootElement);
        Assert.Empty(passed.Violations);
        Assert.Equal([AllowedDeviations.AccountTokens], passed.Applied);
        var violations = ContractCheck.Check(CloudflareOpenApi.Shared, AllowedDeviations.AccountTokens.PathTemplate, 200, bad.RootElement).Violations;
        Assert.Contains(violations, v => v.InstanceLocation == "/result/0/status");
        Assert.Contains(violations, v => v.InstanceLocation == "/result/0/policies/0");
        Assert.Contains(violations, v => v.InstanceLocation == "/result_info");
    }
}
