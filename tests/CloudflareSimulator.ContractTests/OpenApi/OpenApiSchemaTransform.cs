using System.Text.Json.Nodes;

namespace Vigil.Simulation.ContractTests.OpenApi;

/// <summary>
/// Rewrites OpenAPI 3.0 Schema Objects into JSON Schema 2020-12 so a standard validator can check responses.
/// The differences that matter for validation, and nothing else, are translated:
/// <list type="number">
/// <item><c>nullable: true</c> adds "null" to <c>type</c> (OAS 3.0.3 §4.7.24.1: only when <c>type</c> is present;
/// an <c>enum</c> must list <c>null</c> itself to allow it, so enums are left as written).</item>
/// <item>A <c>$ref</c> ignores its siblings (OAS 3.0.3 §4.7.26), whereas 2020-12 would apply them: siblings are dropped.</item>
/// <item>OpenAPI-only annotations (<c>example</c>, <c>discriminator</c>, <c>xml</c>, <c>externalDocs</c>, <c>x-*</c>)
/// are dropped; a discriminator is only a hint, the <c>oneOf</c> beside it still decides.</item>
/// </list>
/// Any other keyword must be one whose meaning is the same in both languages; an unknown one (for example the boolean
/// <c>exclusiveMinimum</c> of 3.0) throws, so a newer document cannot silently change what is checked.
/// </summary>
internal static class OpenApiSchemaTransform
{
    private static readonly HashSet<string> OpenApiOnlyAnnotations =
        new(["example", "discriminator", "xml", "externalDocs"], StringComparer.Ordinal);

    private static readonly HashSet<string> SameMeaningKeywords = new(
        [
            "type", "enum", "format", "default", "title", "description", "readOnly", "writeOnly", "deprecated",
            "required", "minLength", "maxLength", "pattern", "minimum", "maximum", "multipleOf",
            "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
            "properties", "additionalProperties", "items", "allOf", "anyOf", "oneOf", "not",
        ],
        StringComparer.Ordinal);

    /// <summary>Returns a transformed copy of <paramref name="schema"/>; the input is not modified.</summary>
    public static JsonNode Transform(JsonNode schema, string location)
    {
        if (schema is not JsonObject source)
        {
            throw new NotSupportedException($"{location}: a Schema Object must be a JSON object.");
        }

        if (source["$ref"] is { } reference)
        {
            return new JsonObject { ["$ref"] = reference.DeepClone() };
        }

        var target = new JsonObject();
        foreach (var (keyword, value) in source)
        {
            var here = $"{location}/{keyword}";
            if (keyword == "nullable" || OpenApiOnlyAnnotations.Contains(keyword) || keyword.StartsWith("x-", StringComparison.Ordinal))
            {
                continue;
            }

            if (!SameMeaningKeywords.Contains(keyword))
            {
                throw new NotSupportedException($"{here}: keyword '{keyword}' has no translation to JSON Schema 2020-12.");
            }

            target[keyword] = keyword switch
            {
                "properties" => TransformEach(AsObject(value, here), here),
                "items" or "not" => Transform(value!, here),
                "additionalProperties" when value is JsonObject => Transform(value, here),
                "allOf" or "anyOf" or "oneOf" => TransformArray(value, here),
                _ => value?.DeepClone(),
            };
        }

        if (source["nullable"]?.GetValue<bool>() == true && target["type"] is JsonValue type)
        {
            target["type"] = new JsonArray(type.GetValue<string>(), "null");
        }

        return target;
    }

    private static JsonObject TransformEach(JsonObject schemasByName, string location)
    {
        var result = new JsonObject();
        foreach (var (name, schema) in schemasByName)
        {
            result[name] = Transform(schema!, $"{location}/{name}");
        }

        return result;
    }

    private static JsonArray TransformArray(JsonNode? value, string location)
    {
        if (value is not JsonArray schemas)
        {
            throw new NotSupportedException($"{location}: expected an array of Schema Objects.");
        }

        var result = new JsonArray();
        for (var i = 0; i < schemas.Count; i++)
        {
            result.Add(Transform(schemas[i]!, $"{location}/{i}"));
        }

        return result;
    }

    private static JsonObject AsObject(JsonNode? value, string location) =>
        value as JsonObject ?? throw new NotSupportedException($"{location}: expected an object of Schema Objects.");
}
