using System.Text.RegularExpressions;

namespace Vigil.Simulation.ContractTests;

/// <summary>
/// Every place where a simulator response may differ from Cloudflare's 2024 OpenAPI document, each with the reason.
/// This is the only list: validation is otherwise exactly the document's (see <see cref="OpenApi.OpenApiSchemaTransform"/>).
/// A test fails if an entry is never used, so the list cannot outlive its reason.
/// <para>
/// Known differences that need no entry, because the document already tolerates them (no <c>additionalProperties: false</c>
/// on these objects, no schema for query parameters is checked): <c>result_info.total_pages</c> (live responses carry it,
/// the 2024 <c>*_result_info</c> schemas list only page/per_page/count/total_count); the top-level member <c>email</c>
/// newer responses carry; roles pagination (<c>page</c>/<c>per_page</c> and <c>result_info</c> on
/// <c>GET /accounts/{account_id}/roles</c>). ResponseValidationTests shows each of these passing.
/// </para>
/// </summary>
internal static class AllowedDeviations
{
    public static readonly ExemptViolation RateLimitCodeBelowMinimum = new(
        "rate-limit-code-971",
        "Cloudflare's 429 bodies carry error code 971 (terraform-provider-cloudflare#5505, 2026) or 10100; the 2024 "
        + "document puts minimum 1000 on every error code, so a strict validator rejects a real 429 body (NOTES.md, Rate limits).",
        Status: 429,
        InstanceLocation: new Regex(@"^/errors/\d+/code$", RegexOptions.CultureInvariant),
        Keyword: "minimum");

    public static readonly ExemptViolation NullZoneOwner = new(
        "zone-owner-null",
        "Account-owned zones answer owner.id and owner.name as null in real responses (NOTES.md, Shapes that vary); "
        + "the document types both as plain strings.",
        Status: 200,
        InstanceLocation: new Regex(@"^/result(/\d+)?/owner/(id|name)$", RegexOptions.CultureInvariant),
        Keyword: "type");

    public static readonly DocumentCorrection RuleActionPattern = new(
        "rule-action-pattern",
        "rulesets_RuleAction says pattern ^[a-z]+$, which the document's own rule actions contradict (managed_challenge, "
        + "js_challenge, serve_error, set_config, … in the enums of rulesets_*Rule): every rule with such an action would fail. "
        + "The pattern is widened to admit the underscore; each rule's enum still pins its action.",
        Pointer: "/components/schemas/rulesets_RuleAction/pattern",
        Expected: "^[a-z]+$",
        Replacement: "^[a-z_]+$");

    public static readonly FailureHalfOfUnsatisfiableSchema UnsatisfiableFailureSchemas = new(
        "unsatisfiable-4xx",
        "The iam_, dnssec_ and firewall_ operations declare 4XX as allOf(<their success response>, "
        + "<prefix>_api-response-common-failure). The success half requires success: true (enum [true]) and a result object "
        + "or array, the failure half success: false and result null, so no failure body can satisfy both. Failures of "
        + "those operations are validated against the failure half alone, which is what the document evidently means.");

    public static readonly StandInOperation AccountTokenVerify = new(
        "account-token-verify",
        "GET /accounts/{account_id}/tokens/verify (account-owned tokens) is newer than the 2024 document; Cloudflare's "
        + "TypeScript SDK types its result like GET /user/tokens/verify (TokenVerifyResponse: id, status, expires_on, "
        + "not_before), so it is validated against that operation.",
        PathTemplate: "/accounts/{account_id}/tokens/verify",
        ValidatedAs: "/user/tokens/verify");

    public static readonly DocumentCorrection SslOriginPull = new(
        "ssl-origin-pull",
        "zones_ssl_value lists off, flexible, full and strict; Cloudflare's current SDK enum adds origin_pull (Strict "
        + "(SSL-Only Origin Pull), Enterprise; NOTES.md, SSL), which the simulator serves for the demo's Enterprise zone. "
        + "The value is appended to the enum.",
        Pointer: "/components/schemas/zones_ssl_value/enum/-",
        Expected: "strict",
        Replacement: "origin_pull");

    public static readonly SdkShapeOperation PageRules = new(
        "page-rules-sdk-shape",
        "GET /zones/{zone_id}/pagerules is not in the 2024 subset; Cloudflare's SDK types (PageRule: id, targets "
        + "[{target: \"url\", constraint: {operator, value}}], actions [{id, value?}], priority, status active|disabled, "
        + "created_on, modified_on; developers.cloudflare.com/api/resources/page_rules) give its shape. Failures use "
        + "zones_api-response-common-failure.",
        PathTemplate: "/zones/{zone_id}/pagerules",
        SuccessSchema: """
            {"type":"object","required":["success","errors","messages","result"],
             "properties":{"success":{"const":true},"errors":{"type":"array","maxItems":0},"messages":{"type":"array"},
              "result":{"type":"array","items":{"type":"object","required":["id","targets","actions","priority","status","created_on","modified_on"],
               "properties":{"id":{"type":"string","maxLength":32},
                "targets":{"type":"array","items":{"type":"object","required":["target","constraint"],
                 "properties":{"target":{"const":"url"},"constraint":{"type":"object","required":["operator","value"],
                  "properties":{"operator":{"enum":["matches","contains","equals","not_equal","not_contain"]},"value":{"type":"string"}}}}}},
                "actions":{"type":"array","items":{"type":"object","required":["id"],"properties":{"id":{"type":"string"}}}},
                "priority":{"type":"integer"},"status":{"enum":["active","disabled"]},
                "created_on":{"type":"string","format":"date-time"},"modified_on":{"type":"string","format":"date-time"}}}}}}
            """,
        FailureAs: "/components/schemas/zones_api-response-common-failure");

    public static readonly SdkShapeOperation HostnameTlsSettings = new(
        "hostname-tls-settings-sdk-shape",
        "GET /zones/{zone_id}/hostnames/settings/{setting_id} is not in the 2024 subset; Cloudflare's SDK types "
        + "(hostnames.settings.tls: SinglePage of {created_at?, hostname?, status?, updated_at?, value?}, value \"1.0\"..\"1.3\" "
        + "for min_tls_version; developers.cloudflare.com/api/resources/hostnames) give its shape. Failures use "
        + "zones_api-response-common-failure.",
        PathTemplate: "/zones/{zone_id}/hostnames/settings/{setting_id}",
        SuccessSchema: """
            {"type":"object","required":["success","errors","messages","result"],
             "properties":{"success":{"const":true},"errors":{"type":"array","maxItems":0},"messages":{"type":"array"},
              "result":{"type":"array","items":{"type":"object",
               "properties":{"hostname":{"type":"string"},"status":{"type":"string"},
                "value":{"oneOf":[{"enum":["1.0","1.1","1.2","1.3","on","off"]},{"type":"array","items":{"type":"string"}}]},
                "created_at":{"type":"string","format":"date-time"},"updated_at":{"type":"string","format":"date-time"}}}}}}
            """,
        FailureAs: "/components/schemas/zones_api-response-common-failure");

    public static IReadOnlyList<AllowedDeviation> All { get; } =
        [RuleActionPattern, RateLimitCodeBelowMinimum, NullZoneOwner, UnsatisfiableFailureSchemas, AccountTokenVerify, PageRules, HostnameTlsSettings, SslOriginPull];
}

internal abstract record AllowedDeviation(string Id, string Reason)
{
    public sealed override string ToString() => Id;
}

/// <summary>
/// Replaces one value in the document before it is used, because the document contradicts itself there. The value found
/// must be <see cref="Expected"/>, so a newer document that fixes it makes the correction fail loudly instead of linger.
/// </summary>
internal sealed record DocumentCorrection(string Id, string Reason, string Pointer, string Expected, string Replacement)
    : AllowedDeviation(Id, Reason);

/// <summary>Ignores one kind of violation (keyword at matching locations) in responses with one status.</summary>
internal sealed record ExemptViolation(string Id, string Reason, int Status, Regex InstanceLocation, string Keyword)
    : AllowedDeviation(Id, Reason)
{
    public bool Covers(int status, OpenApi.SchemaViolation violation) =>
        status == Status && violation.Keyword == Keyword && InstanceLocation.IsMatch(violation.InstanceLocation);
}

/// <summary>Validates an error response against the failure envelope inside an error schema no failure can satisfy.</summary>
internal sealed record FailureHalfOfUnsatisfiableSchema(string Id, string Reason) : AllowedDeviation(Id, Reason);

/// <summary>An operation the simulator serves that the document lacks, validated as another operation of the same shape.</summary>
internal sealed record StandInOperation(string Id, string Reason, string PathTemplate, string ValidatedAs)
    : AllowedDeviation(Id, Reason);

/// <summary>
/// An operation the simulator serves that the document lacks and no documented operation resembles: its success answer
/// is validated against a schema written from Cloudflare's SDK types, its failures against a failure envelope of the document.
/// </summary>
internal sealed record SdkShapeOperation(string Id, string Reason, string PathTemplate, string SuccessSchema, string FailureAs)
    : AllowedDeviation(Id, Reason);
