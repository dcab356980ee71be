using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Simulation.ContractTests.OpenApi;

/// <summary>
/// Proves the validator is not vacuous: well-formed Cloudflare bodies pass, and each kind of wrong shape fails with a
/// violation that points at the offending field.
/// </summary>
public sealed class ResponseValidationTests
{
    private const string MembersList = """
        {"success":true,"errors":[],"messages":[],
         "result":[{"id":"4536bcfad5faccb111b47003c79917fa","status":"accepted",
                    "email":"ada@example.com",
                    "user":{"id":"7c5dae5552338874e5053f2534d2767a","email":"ada@example.com","first_name":"Ada","last_name":null,
                            "two_factor_authentication_enabled":true},
                    "roles":[{"id":"3536bcfad5faccb999b47003c79917fb","name":"Administrator","description":"Full access",
                              "permissions":["#zones:read","#zones:edit"]}],
                    "policies":[]}],
         "result_info":{"page":1,"per_page":20,"count":1,"total_count":1,"total_pages":1}}
        """;

    private const string Zone = """
        {"success":true,"errors":[],"messages":[],
         "result":{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"shop.example","status":"active","paused":false,"type":"full",
                   "development_mode":0,"name_servers":["ada.ns.cloudflare.com","bob.ns.cloudflare.com"],
                   "original_name_servers":null,"original_registrar":null,"original_dnshost":null,
                   "created_on":"2022-01-10T12:00:00Z","modified_on":"2026-06-01T08:00:00Z","activated_on":"2022-01-10T12:30:00Z",
                   "meta":{"step":2},"owner":{"id":"7c5dae5552338874e5053f2534d2767a","type":"user","name":"ada@example.com"},
                   "account":{"id":"3f1c5a7e9b2d4c6e8a0b1c2d3e4f5a6b","name":"Acme"}}}
        """;

    private const string SslSetting = """
        {"success":true,"errors":[],"messages":[],
         "result":{"id":"ssl","value":"strict","editable":true,"modified_on":"2026-06-01T08:00:00Z"}}
        """;

    private const string Dnssec = """
        {"success":true,"errors":[],"messages":[],"result":{"status":"active","modified_on":"2026-06-01T08:00:00Z"}}
        """;

    private const string PermissionError = """
        {"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[],"result":null}
        """;

    private static IReadOnlyList<SchemaViolation> Validate(string pathTemplate, int status, string body)
    {
        using var json = JsonDocument.Parse(body);
        return CloudflareOpenApi.Shared.GetResponse(pathTemplate, status).Validate(json.RootElement);
    }

    private static string Mutate(string body, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    private static void AssertViolation(IReadOnlyList<SchemaViolation> violations, string instanceLocation, string keyword)
    {
        Assert.True(
            violations.Any(v => v.InstanceLocation == instanceLocation && v.Keyword == keyword),
            $"expected a '{keyword}' violation at {instanceLocation}; got:\n{string.Join('\n', violations)}");
    }

    [Theory]
    [InlineData("/accounts/{account_id}/members", 200, MembersList)]
    [InlineData("/zones/{zone_id}", 200, Zone)]
    [InlineData("/zones/{zone_id}/settings/{setting_id}", 200, SslSetting)]
    [InlineData("/zones/{zone_id}/dnssec", 200, Dnssec)]
    [InlineData("/zones/{zone_id}", 403, PermissionError)]
    public void Well_formed_bodies_pass(string pathTemplate, int status, string body)
    {
        Assert.Empty(Validate(pathTemplate, status, body));
    }

    [Fact]
    public void Paginated_roles_pass_although_the_2024_document_shows_no_roles_pagination()
    {
        const string roles = """
            {"success":true,"errors":[],"messages":[],
             "result":[{"id":"3536bcfad5faccb999b47003c79917fb","name":"Administrator","description":"Full access","permissions":["#zones:read"]}],
             "result_info":{"page":2,"per_page":5,"count":1,"total_count":6,"total_pages":2}}
            """;

        Assert.Empty(Validate("/accounts/{account_id}/roles", 200, roles));
    }

    [Fact]
    public void Role_without_a_description_fails_at_the_role()
    {
        const string roles = """
            {"success":true,"errors":[],"messages":[],
             "result":[{"id":"3536bcfad5faccb999b47003c79917fb","name":"Administrator","permissions":["#zones:read"]}]}
            """;

        AssertViolation(Validate("/accounts/{account_id}/roles", 200, roles), "/result/0", "required");
    }

    [Fact]
    public void Members_result_that_is_an_object_fails_at_result()
    {
        var body = Mutate(MembersList, b => b["result"] = new JsonObject { ["id"] = "x" });

        AssertViolation(Validate("/accounts/{account_id}/members", 200, body), "/result", "type");
    }

    [Fact]
    public void Member_whose_user_has_no_email_fails_at_the_user()
    {
        var body = Mutate(MembersList, b => b["result"]![0]!["user"]!.AsObject().Remove("email"));

        AssertViolation(Validate("/accounts/{account_id}/members", 200, body), "/result/0/user", "required");
    }

    [Fact]
    public void Member_id_that_is_not_a_string_fails_at_the_id()
    {
        var body = Mutate(MembersList, b => b["result"]![0]!["id"] = 42);

        AssertViolation(Validate("/accounts/{account_id}/members", 200, body), "/result/0/id", "type");
    }

    [Fact]
    public void Member_status_outside_the_enum_fails_at_the_status()
    {
        var body = Mutate(MembersList, b => b["result"]![0]!["status"] = "invited");

        AssertViolation(Validate("/accounts/{account_id}/members", 200, body), "/result/0/status", "enum");
    }

    [Fact]
    public void Member_without_an_id_passes_because_the_2024_document_does_not_require_it()
    {
        // Recorded so nobody relies on the contract test for this: iam_member_with_policies has no "required" list
        // at member level. The SDK check (OfficialSdkTests) is what catches members without ids.
        var body = Mutate(MembersList, b => b["result"]![0]!.AsObject().Remove("id"));

        Assert.Empty(Validate("/accounts/{account_id}/members", 200, body));
    }

    [Fact]
    public void Success_envelope_without_success_fails_at_the_root()
    {
        var body = Mutate(MembersList, b => b.Remove("success"));

        AssertViolation(Validate("/accounts/{account_id}/members", 200, body), "", "required");
    }

    [Fact]
    public void Zone_missing_a_required_field_fails_at_the_zone()
    {
        var body = Mutate(Zone, b => b["result"]!.AsObject().Remove("name_servers"));

        AssertViolation(Validate("/zones/{zone_id}", 200, body), "/result", "required");
    }

    [Fact]
    public void Zone_timestamp_that_is_not_a_date_time_fails_at_the_field()
    {
        var body = Mutate(Zone, b => b["result"]!["created_on"] = "last tuesday");

        AssertViolation(Validate("/zones/{zone_id}", 200, body), "/result/created_on", "format");
    }

    [Fact]
    public void Zone_name_that_is_not_a_domain_fails_at_the_name()
    {
        var body = Mutate(Zone, b => b["result"]!["name"] = "not a domain");

        AssertViolation(Validate("/zones/{zone_id}", 200, body), "/result/name", "pattern");
    }

    [Fact]
    public void Setting_value_outside_its_enum_fails()
    {
        var body = Mutate(SslSetting, b => b["result"]!["value"] = "very_strict");

        // zones_setting is a oneOf over every setting: each branch reports, the ssl branch among them.
        var violations = Validate("/zones/{zone_id}/settings/{setting_id}", 200, body);
        Assert.Contains(violations, v => v.InstanceLocation == "/result/value" && v.Keyword == "enum" && v.EvaluationPath.Contains("/oneOf/", StringComparison.Ordinal));
    }

    [Fact]
    public void Dnssec_status_outside_its_enum_fails_at_the_status()
    {
        var body = Mutate(Dnssec, b => b["result"]!["status"] = "enabled");

        AssertViolation(Validate("/zones/{zone_id}/dnssec", 200, body), "/result/status", "enum");
    }

    [Fact]
    public void Failure_with_a_result_fails_at_the_result()
    {
        var body = Mutate(PermissionError, b => b["result"] = new JsonArray());

        AssertViolation(Validate("/zones/{zone_id}", 403, body), "/result", "type");
    }

    [Fact]
    public void Error_code_below_1000_fails_at_the_code()
    {
        // The 2024 document puts minimum 1000 on error codes; real 429 bodies carry 971 (see AllowedDeviations).
        var body = Mutate(PermissionError, b => b["errors"]![0]!["code"] = 971);

        AssertViolation(Validate("/zones", 429, body), "/errors/0/code", "minimum");
    }

    [Fact]
    public void A_status_without_its_own_response_falls_back_to_the_range()
    {
        var contract = CloudflareOpenApi.Shared.GetResponse("/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint", 404);

        Assert.Equal("4XX", contract.ResponseKey);
        Assert.Equal("/components/responses/rulesets_Failure/content/application~1json/schema", contract.SchemaPointer);
    }
}
