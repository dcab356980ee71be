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

    public static IReadOnlyList<AllowedDeviation> All { get; } =
        [RuleActionPattern, RateLimitCodeBelowMinimum, NullZoneOwner, UnsatisfiableFailureSchemas, AccountTokenVerify];
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
