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
    public void Every_deviation_has_a_reason()
    {
        Assert.All(AllowedDeviations.All, d => Assert.True(d.Reason.Length > 40, $"{d.Id} needs a reason"));
        Assert.Equal(AllowedDeviations.All.Count, AllowedDeviations.All.Select(d => d.Id).Distinct().Count());
    }
}
