using System.Text.Json;
using Vigil.Simulation.ContractTests.OpenApi;

namespace Vigil.Simulation.ContractTests;

/// <summary>What a response was checked against, what it broke and which allowed deviations were needed.</summary>
internal sealed record ContractOutcome(string CheckedAgainst, IReadOnlyList<SchemaViolation> Violations, IReadOnlyList<AllowedDeviation> Applied);

/// <summary>Checks one response against Cloudflare's document, applying <see cref="AllowedDeviations"/> and nothing else.</summary>
internal static class ContractCheck
{
    public static ContractOutcome Check(CloudflareOpenApi document, string pathTemplate, int status, JsonElement body)
    {
        var applied = new List<AllowedDeviation>();
        var template = pathTemplate;
        if (!document.HasOperation(template) && AllowedDeviations.All.OfType<SdkShapeOperation>().FirstOrDefault(s => s.PathTemplate == template) is { } sdkShape)
        {
            applied.Add(sdkShape);
            var succeeded = status is >= 200 and < 300;
            var violations = succeeded
                ? SchemaViolation.Collect(Json.Schema.JsonSchema.FromText(sdkShape.SuccessSchema), body)
                : document.Validate(sdkShape.FailureAs, body);
            return new ContractOutcome($"GET {template} → {status} ({(succeeded ? "SDK shape" : sdkShape.FailureAs)})",
                [.. violations, .. EnvelopeRules(status, body)], applied);
        }

        if (!document.HasOperation(template))
        {
            var standIn = AllowedDeviations.All.OfType<StandInOperation>().FirstOrDefault(s => s.PathTemplate == template)
                ?? throw new InvalidOperationException($"GET {template} is not in Cloudflare's document and AllowedDeviations names no stand-in for it.");
            applied.Add(standIn);
            template = standIn.ValidatedAs;
        }

        var contract = document.GetResponse(template, status);
        var pointer = contract.SchemaPointer;
        if (status >= 400 && document.FailureEnvelopeInside(contract) is { } failureEnvelope)
        {
            applied.Add(AllowedDeviations.UnsatisfiableFailureSchemas);
            pointer = failureEnvelope;
        }

        var kept = new List<SchemaViolation>();
        foreach (var violation in document.Validate(pointer, body))
        {
            var exemption = AllowedDeviations.All.OfType<ExemptViolation>().FirstOrDefault(e => e.Covers(status, violation));
            if (exemption is null)
            {
                kept.Add(violation);
            }
            else if (!applied.Contains(exemption))
            {
                applied.Add(exemption);
            }
        }

        kept.AddRange(EnvelopeRules(status, body));
        return new ContractOutcome($"GET {template} → {contract.ResponseKey} ({pointer})", kept, applied);
    }

    /// <summary>
    /// Two envelope rules the document means but cannot express: <c>success</c> agrees with the HTTP status, and a
    /// failure names at least one error (the failure schemas write <c>errors: {minLength: 1}</c>, which constrains
    /// strings only, in OpenAPI as in JSON Schema; the intent is evidently minItems).
    /// </summary>
    private static IEnumerable<SchemaViolation> EnvelopeRules(int status, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        var succeeded = status is >= 200 and < 300;
        if (body.TryGetProperty("success", out var success) && success.ValueKind is JsonValueKind.True or JsonValueKind.False
            && success.GetBoolean() != succeeded)
        {
            yield return new SchemaViolation("/success", "envelope", $"success is {success.GetBoolean()} on HTTP {status}", "(envelope rule)");
        }

        if (!succeeded && body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() == 0)
        {
            yield return new SchemaViolation("/errors", "envelope", $"HTTP {status} with no error in errors", "(envelope rule)");
        }
    }
}
