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

    public static readonly SdkShapeOperation AccountTokens = new(
        "account-tokens-sdk-shape",
        "GET /accounts/{account_id}/tokens (account-owned API tokens) is not in the 2024 subset, and GET /user/tokens there "
        + "types its items only as objects. Cloudflare's API reference and SDK types (accounts.tokens.list: V4PagePaginationArray "
        + "of the shared Token {id, name, status active|disabled|expired, issued_on, modified_on, not_before, expires_on, "
        + "last_used_on, condition.request_ip {in, not_in}, creator_email_at_creation, policies [{id, effect allow|deny, "
        + "permission_groups [{id, name?}], resources}]}; result_info {count, page, per_page, total_count}; "
        + "developers.cloudflare.com/api/resources/accounts/subresources/tokens/methods/list) give its shape. Failures use "
        + "iam_api-response-common-failure.",
        PathTemplate: "/accounts/{account_id}/tokens",
        SuccessSchema: """
            {"type":"object","required":["success","errors","messages","result","result_info"],
             "properties":{"success":{"const":true},"errors":{"type":"array","maxItems":0},"messages":{"type":"array"},
              "result_info":{"type":"object","required":["count","page","per_page","total_count"],
               "properties":{"count":{"type":"integer"},"page":{"type":"integer"},"per_page":{"type":"integer"},"total_count":{"type":"integer"}}},
              "result":{"type":"array","items":{"type":"object","required":["id","name","status","policies"],
               "properties":{"id":{"type":"string","maxLength":32},"name":{"type":"string","maxLength":120},
                "status":{"enum":["active","disabled","expired"]},
                "issued_on":{"type":"string","format":"date-time"},"modified_on":{"type":"string","format":"date-time"},
                "not_before":{"type":"string","format":"date-time"},"expires_on":{"type":"string","format":"date-time"},
                "last_used_on":{"type":"string","format":"date-time"},
                "creator_email_at_creation":{"type":"string","maxLength":90},
                "condition":{"type":"object","properties":{"request_ip":{"type":"object",
                 "properties":{"in":{"type":"array","items":{"type":"string"}},"not_in":{"type":"array","items":{"type":"string"}}}}}},
                "policies":{"type":"array","items":{"type":"object","required":["id","effect","permission_groups","resources"],
                 "properties":{"id":{"type":"string"},"effect":{"enum":["allow","deny"]},
                  "permission_groups":{"type":"array","items":{"type":"object","required":["id"],"properties":{"id":{"type":"string"},"name":{"type":"string"}}}},
                  "resources":{"type":"object"}}}}}}}}}
            """,
        FailureAs: "/components/schemas/iam_api-response-common-failure");


    public static readonly SdkShapeOperation DnsRecords = new(
        "dns-records-sdk-shape",
        "GET /zones/{zone_id}/dns_records is not in the 2024 subset; Cloudflare's SDK types (dns.records.list: "
        + "V4PagePaginationArray of RecordResponse: id, name, type, content, proxiable, proxied, ttl (1 = automatic, else "
        + "30..86400), settings, meta, comment, tags, created_on, modified_on; priority on MX, data {flags, tag, value} on "
        + "CAA; result_info page, per_page, count, total_count, total_pages; developers.cloudflare.com/api/resources/dns/"
        + "subresources/records/methods/list: DNS Read or DNS Write, per_page default 100, maximum 5,000,000) give its "
        + "shape. Failures use zones_api-response-common-failure.",
        PathTemplate: "/zones/{zone_id}/dns_records",
        SuccessSchema: """
            {"type":"object","required":["success","errors","messages","result","result_info"],
             "properties":{"success":{"const":true},"errors":{"type":"array","maxItems":0},"messages":{"type":"array"},
              "result_info":{"type":"object","required":["page","per_page","count","total_count"],
               "properties":{"page":{"type":"integer","minimum":1},"per_page":{"type":"integer","minimum":1,"maximum":5000000},
                "count":{"type":"integer","minimum":0},"total_count":{"type":"integer","minimum":0},"total_pages":{"type":"integer","minimum":0}}},
              "result":{"type":"array","items":{"type":"object",
               "required":["id","name","type","content","proxiable","proxied","ttl","settings","meta","tags","created_on","modified_on"],
               "properties":{"id":{"type":"string","maxLength":32},"name":{"type":"string","maxLength":255},
                "type":{"enum":["A","AAAA","CAA","CERT","CNAME","DNSKEY","DS","HTTPS","LOC","MX","NAPTR","NS","OPENPGPKEY","PTR","SMIMEA","SRV","SSHFP","SVCB","TLSA","TXT","URI"]},
                "content":{"type":"string"},"proxiable":{"type":"boolean"},"proxied":{"type":"boolean"},
                "ttl":{"anyOf":[{"const":1},{"type":"number","minimum":30,"maximum":86400}]},
                "settings":{"type":"object"},"meta":{"type":"object"},"comment":{"type":["string","null"]},
                "tags":{"type":"array","items":{"type":"string"}},
                "created_on":{"type":"string","format":"date-time"},"modified_on":{"type":"string","format":"date-time"},
                "priority":{"type":"number","minimum":0,"maximum":65535},
                "data":{"type":"object","properties":{"flags":{"type":["number","string"]},"tag":{"type":"string"},"value":{"type":"string"}}}}}}}}
            """,
        FailureAs: "/components/schemas/zones_api-response-common-failure");

    private const string EnabledSettingSchema = """
        {"type":"object","required":["success","errors","messages","result"],
         "properties":{"success":{"const":true},"errors":{"type":"array","maxItems":0},"messages":{"type":"array"},
          "result":{"type":"object","properties":{"enabled":{"type":"boolean"}}}}}
        """;

    public static readonly SdkShapeOperation UniversalSslSettings = new(
        "universal-ssl-settings-sdk-shape",
        "GET /zones/{zone_id}/ssl/universal/settings is not in the 2024 subset; Cloudflare's SDK types (ssl/universal/settings.ts "
        + "UniversalSSLSettings {enabled?: boolean}; developers.cloudflare.com/api/resources/ssl/subresources/universal, Accepted "
        + "Permissions SSL and Certificates Read/Write) give its shape. Failures use zones_api-response-common-failure.",
        PathTemplate: "/zones/{zone_id}/ssl/universal/settings",
        SuccessSchema: EnabledSettingSchema,
        FailureAs: "/components/schemas/zones_api-response-common-failure");

    public static readonly SdkShapeOperation OriginPullSettings = new(
        "origin-pull-settings-sdk-shape",
        "GET /zones/{zone_id}/origin_tls_client_auth/settings is not in the 2024 subset; Cloudflare's SDK types "
        + "(origin-tls-client-auth/settings.ts SettingGetResponse {enabled?: boolean}, false by default; "
        + "developers.cloudflare.com/api/resources/origin_tls_client_auth/subresources/settings/methods/get, Accepted Permissions "
        + "SSL and Certificates Read/Write) give its shape. Failures use zones_api-response-common-failure.",
        PathTemplate: "/zones/{zone_id}/origin_tls_client_auth/settings",
        SuccessSchema: EnabledSettingSchema,
        FailureAs: "/components/schemas/zones_api-response-common-failure");

    public static readonly SdkShapeOperation CertificatePacks = new(
        "certificate-packs-sdk-shape",
        "GET /zones/{zone_id}/ssl/certificate_packs is not in the 2024 subset; Cloudflare's SDK types (ssl/certificate-packs/"
        + "certificate-packs.ts list: V4PagePaginationArray of CertificatePackListResponse {id, certificates [{id, hosts, status, "
        + "bundle_method?, expires_on?, issuer?, signature?, ...}], hosts, status (Status enum), type mh_custom|managed_hostname|"
        + "sni_custom|universal|advanced|total_tls|keyless|legacy_custom, certificate_authority? google|lets_encrypt|ssl_com, "
        + "cloudflare_branding?, primary_certificate?, validation_method? txt|http|email, validity_days? 14|30|90|365}; query "
        + "status=all for every status, active packs otherwise; developers.cloudflare.com/api/resources/ssl/subresources/"
        + "certificate_packs/methods/list, Accepted Permissions SSL and Certificates Read/Write) give its shape. Older answers "
        + "also carry digicert and sectigo as certificate_authority, which the schema allows. Failures use "
        + "zones_api-response-common-failure.",
        PathTemplate: "/zones/{zone_id}/ssl/certificate_packs",
        SuccessSchema: """
            {"type":"object","required":["success","errors","messages","result","result_info"],
             "properties":{"success":{"const":true},"errors":{"type":"array","maxItems":0},"messages":{"type":"array"},
              "result_info":{"type":"object","required":["page","per_page","count","total_count","total_pages"],
               "properties":{"page":{"type":"integer","minimum":1},"per_page":{"type":"integer","minimum":5,"maximum":50},
                "count":{"type":"integer","minimum":0},"total_count":{"type":"integer","minimum":0},"total_pages":{"type":"integer","minimum":0}}},
              "result":{"type":"array","items":{"type":"object","required":["id","certificates","hosts","status","type"],
               "properties":{"id":{"type":"string"},
                "certificates":{"type":"array","items":{"type":"object","required":["id","hosts","status"],
                 "properties":{"id":{"type":"string"},"hosts":{"type":"array","items":{"type":"string"}},"status":{"type":"string"},
                  "bundle_method":{"type":"string"},"expires_on":{"type":"string","format":"date-time"},"issuer":{"type":"string"},
                  "modified_on":{"type":"string","format":"date-time"},"priority":{"type":"number"},"signature":{"type":"string"},
                  "uploaded_on":{"type":"string","format":"date-time"},"zone_id":{"type":"string","maxLength":32}}}},
                "hosts":{"type":"array","minItems":1,"maxItems":50,"items":{"type":"string"}},
                "status":{"enum":["initializing","pending_validation","deleted","pending_issuance","pending_deployment","pending_deletion",
                 "pending_expiration","expired","active","initializing_timed_out","validation_timed_out","issuance_timed_out",
                 "deployment_timed_out","deletion_timed_out","pending_cleanup","staging_deployment","staging_active","deactivating",
                 "inactive","backup_issued","holding_deployment"]},
                "type":{"enum":["mh_custom","managed_hostname","sni_custom","universal","advanced","total_tls","keyless","legacy_custom"]},
                "certificate_authority":{"enum":["google","lets_encrypt","ssl_com","digicert","sectigo"]},
                "cloudflare_branding":{"type":"boolean"},"primary_certificate":{"type":"string"},
                "validation_method":{"enum":["txt","http","email"]},"validity_days":{"enum":[14,30,90,365]},
                "dcv_delegation_records":{"type":"array"},"validation_errors":{"type":"array"},"validation_records":{"type":"array"}}}}}}
            """,
        FailureAs: "/components/schemas/zones_api-response-common-failure");

    public static IReadOnlyList<AllowedDeviation> All { get; } =
        [RuleActionPattern, RateLimitCodeBelowMinimum, NullZoneOwner, UnsatisfiableFailureSchemas, AccountTokenVerify, PageRules, HostnameTlsSettings, SslOriginPull,
         AccountTokens, DnsRecords, UniversalSslSettings, OriginPullSettings, CertificatePacks];
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
