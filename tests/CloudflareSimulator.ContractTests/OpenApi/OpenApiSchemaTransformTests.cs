using System.Text.Json.Nodes;

namespace Vigil.Simulation.ContractTests.OpenApi;

public sealed class OpenApiSchemaTransformTests
{
    private static JsonNode Transform(string openApiSchema) =>
        OpenApiSchemaTransform.Transform(JsonNode.Parse(openApiSchema)!, "#/test");

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual.ToJsonString()}");

    [Fact]
    public void Nullable_adds_null_to_the_type()
    {
        AssertJson("""{"type":["string","null"],"format":"date-time"}""", Transform("""{"type":"string","nullable":true,"format":"date-time"}"""));
    }

    [Fact]
    public void Nullable_without_a_type_changes_nothing()
    {
        AssertJson("""{"enum":["a","b"]}""", Transform("""{"enum":["a","b"],"nullable":true}"""));
    }

    [Fact]
    public void Nullable_false_is_dropped_and_leaves_the_type_alone()
    {
        AssertJson("""{"type":"string"}""", Transform("""{"type":"string","nullable":false}"""));
    }

    [Fact]
    public void Nullable_leaves_an_enum_as_written()
    {
        // OAS 3.0.3: nullable widens the type only; an enum still has to list null to accept it.
        AssertJson("""{"type":["object","null"],"enum":[null]}""", Transform("""{"type":"object","nullable":true,"enum":[null]}"""));
    }

    [Fact]
    public void A_reference_loses_its_siblings()
    {
        AssertJson("""{"$ref":"#/components/schemas/x"}""", Transform("""{"$ref":"#/components/schemas/x","description":"d","maxLength":3}"""));
    }

    [Fact]
    public void OpenApi_only_annotations_are_dropped_but_properties_with_those_names_are_kept()
    {
        var result = Transform("""
            {"type":"object","example":{"a":1},"x-stainless":true,"discriminator":{"propertyName":"kind"},
             "properties":{"example":{"type":"string","example":"e"},"x-id":{"type":"integer"}}}
            """);

        AssertJson("""{"type":"object","properties":{"example":{"type":"string"},"x-id":{"type":"integer"}}}""", result);
    }

    [Fact]
    public void Nested_schemas_are_transformed_in_every_position()
    {
        var result = Transform("""
            {"allOf":[{"type":"string","nullable":true}],"anyOf":[{"type":"string","nullable":true}],
             "oneOf":[{"type":"string","nullable":true}],"not":{"type":"string","nullable":true},
             "items":{"type":"string","nullable":true},"additionalProperties":{"type":"string","nullable":true},
             "properties":{"p":{"type":"string","nullable":true}}}
            """);

        var nullableString = """{"type":["string","null"]}""";
        AssertJson(
            $$$"""
            {"allOf":[{{{nullableString}}}],"anyOf":[{{{nullableString}}}],"oneOf":[{{{nullableString}}}],"not":{{{nullableString}}},
             "items":{{{nullableString}}},"additionalProperties":{{{nullableString}}},"properties":{"p":{{{nullableString}}}}}
            """,
            result);
    }

    [Fact]
    public void Enum_and_default_values_are_copied_not_treated_as_schemas()
    {
        AssertJson(
            """{"enum":[{"nullable":true}],"default":{"example":1}}""",
            Transform("""{"enum":[{"nullable":true}],"default":{"example":1}}"""));
    }

    [Fact]
    public void A_keyword_without_a_known_translation_throws_with_its_location()
    {
        var error = Assert.Throws<NotSupportedException>(() => Transform("""{"properties":{"n":{"type":"number","exclusiveMinimum":true}}}"""));

        Assert.Contains("#/test/properties/n/exclusiveMinimum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_input_is_not_modified()
    {
        var input = JsonNode.Parse("""{"type":"string","nullable":true,"example":"x"}""")!;

        OpenApiSchemaTransform.Transform(input, "#/test");

        AssertJson("""{"type":"string","nullable":true,"example":"x"}""", input);
    }

    [Fact]
    public void Every_response_schema_in_Cloudflares_document_builds()
    {
        var document = CloudflareOpenApi.Shared;
        var built = new List<string>();
        foreach (var path in document.PathTemplates)
        {
            built.Add(document.GetResponse(path, 200).ToString());
            built.Add(document.GetResponse(path, 403).ToString());
        }

        Assert.Equal(31 * 2, built.Distinct().Count());
    }
}
