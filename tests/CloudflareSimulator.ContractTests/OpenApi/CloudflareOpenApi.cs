using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Vigil.Simulation.ContractTests.OpenApi;

/// <summary>
/// Cloudflare's OpenAPI 3.0 document, turned into JSON Schema once (<see cref="OpenApiSchemaTransform"/>) and registered
/// under <see cref="DocumentUri"/>, so every <c>$ref: #/components/...</c> resolves inside the document exactly as written
/// and a response is validated against its operation's schema by pointer.
/// </summary>
internal sealed class CloudflareOpenApi
{
    public static readonly Uri DocumentUri = new("https://vigil.invalid/cloudflare/openapi-subset.json");

    private static readonly Lazy<CloudflareOpenApi> SharedInstance =
        new(() => Load(RepositoryLayout.CloudflareOpenApiPath(), AllowedDeviations.All.OfType<DocumentCorrection>()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly JsonObject _document;
    private readonly BuildOptions _buildOptions;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemasByPointer = new(StringComparer.Ordinal);

    // Test classes run in parallel; building registers into the shared registry, so builds take turns.
    private readonly Lock _buildGate = new();

    private CloudflareOpenApi(JsonObject document, BuildOptions buildOptions)
    {
        _document = document;
        _buildOptions = buildOptions;
    }

    /// <summary>
    /// The document found by <see cref="RepositoryLayout.CloudflareOpenApiPath"/> with the corrections of
    /// <see cref="AllowedDeviations"/>, loaded once per test run.
    /// </summary>
    public static CloudflareOpenApi Shared => SharedInstance.Value;

    public static CloudflareOpenApi Load(string path, IEnumerable<DocumentCorrection> corrections) =>
        Parse(File.ReadAllText(path), corrections);

    public static CloudflareOpenApi Parse(string openApiJson, IEnumerable<DocumentCorrection> corrections)
    {
        var original = JsonNode.Parse(openApiJson) as JsonObject
            ?? throw new FormatException("The OpenAPI document is not a JSON object.");
        foreach (var correction in corrections)
        {
            Correct(original, correction);
        }

        var document = TransformSchemas(original);

        var registry = new SchemaRegistry();
        using var json = JsonDocument.Parse(document.ToJsonString());
        registry.Register(DocumentUri, new JsonElementBaseDocument(json.RootElement.Clone(), DocumentUri));
        return new CloudflareOpenApi(document, new BuildOptions { SchemaRegistry = registry });
    }

    private static void Correct(JsonObject document, DocumentCorrection correction)
    {
        // "/-" (JSON Pointer's "after the last element") appends to an array whose last element is Expected.
        if (correction.Pointer.EndsWith("/-", StringComparison.Ordinal))
        {
            var array = NodeAt(document, correction.Pointer[..^2]) as JsonArray;
            var last = array is { Count: > 0 } ? array[^1]?.GetValue<string>() : null;
            if (last != correction.Expected)
            {
                throw new InvalidOperationException(
                    $"Correction {correction.Id} expects \"{correction.Expected}\" last at {correction.Pointer[..^2]} but the document has "
                    + $"{(last is null ? "nothing" : $"\"{last}\"")}: the document changed, revisit AllowedDeviations.");
            }

            array!.Add(correction.Replacement);
            return;
        }

        var separator = correction.Pointer.LastIndexOf('/');
        var parent = NodeAt(document, correction.Pointer[..separator]) as JsonObject;
        var name = Unescape(correction.Pointer[(separator + 1)..]);
        var found = parent?[name]?.GetValue<string>();
        if (found != correction.Expected)
        {
            throw new InvalidOperationException(
                $"Correction {correction.Id} expects \"{correction.Expected}\" at {correction.Pointer} but the document has "
                + $"{(found is null ? "nothing" : $"\"{found}\"")}: the document changed, revisit AllowedDeviations.");
        }

        parent![name] = correction.Replacement;
    }

    public IEnumerable<string> PathTemplates => Paths.Select(p => p.Key);

    /// <summary>
    /// The response the document declares for <c>GET <paramref name="pathTemplate"/></c> answering <paramref name="status"/>:
    /// the exact code, else its range (<c>4XX</c>), else <c>default</c>.
    /// </summary>
    public ResponseContract GetResponse(string pathTemplate, int status)
    {
        var operation = Paths[pathTemplate]?["get"] as JsonObject
            ?? throw new KeyNotFoundException($"The document has no GET {pathTemplate}.");
        var responses = operation["responses"] as JsonObject
            ?? throw new FormatException($"GET {pathTemplate} declares no responses.");

        var exact = status.ToString(CultureInfo.InvariantCulture);
        var range = $"{exact[0]}XX";
        var key = new[] { exact, range, "default" }.FirstOrDefault(responses.ContainsKey)
            ?? throw new KeyNotFoundException($"GET {pathTemplate} declares no response for {status} (nor {range} or default).");

        var pointer = ResponseSchemaPointer(responses[key]!, $"/paths/{Escape(pathTemplate)}/get/responses/{Escape(key)}");
        var schema = _schemasByPointer.GetOrAdd(pointer, BuildReference);
        return new ResponseContract(pathTemplate, key, pointer, schema);
    }

    /// <summary>Validates <paramref name="instance"/> against the schema at <paramref name="pointer"/> in the document, e.g. "/components/schemas/zones_zone".</summary>
    public IReadOnlyList<SchemaViolation> Validate(string pointer, JsonElement instance) =>
        SchemaViolation.Collect(_schemasByPointer.GetOrAdd(pointer, BuildReference), instance);

    public bool HasOperation(string pathTemplate) => Paths[pathTemplate]?["get"] is JsonObject;

    /// <summary>
    /// For an error schema of the form allOf(…, {"$ref": "#/components/schemas/X_api-response-common-failure"}), the
    /// pointer of that failure envelope; otherwise null. See <see cref="AllowedDeviations.UnsatisfiableFailureSchemas"/>.
    /// </summary>
    public string? FailureEnvelopeInside(ResponseContract contract)
    {
        if (NodeAt(_document, contract.SchemaPointer)?["allOf"] is not JsonArray parts)
        {
            return null;
        }

        const string prefix = "#/components/schemas/";
        return parts
            .Select(part => part?["$ref"]?.GetValue<string>())
            .Where(reference => reference is not null
                && reference.StartsWith(prefix, StringComparison.Ordinal)
                && reference.EndsWith("_api-response-common-failure", StringComparison.Ordinal))
            .Select(reference => reference![1..])
            .FirstOrDefault();
    }

    private static JsonNode? NodeAt(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var segment in pointer.Split('/').Skip(1))
        {
            var name = Unescape(segment);
            node = node switch
            {
                JsonObject o => o[name],
                JsonArray a when int.TryParse(name, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    private JsonObject Paths => _document["paths"] as JsonObject ?? throw new FormatException("The document has no paths.");

    private JsonSchema BuildReference(string pointer)
    {
        var reference = new JsonObject { ["$ref"] = $"{DocumentUri}#{EncodeFragment(pointer)}" };
        using var json = JsonDocument.Parse(reference.ToJsonString());
        lock (_buildGate)
        {
            return JsonSchema.Build(json.RootElement.Clone(), _buildOptions);
        }
    }

    /// <summary>Follows a Response Object (or its <c>$ref</c> to <c>#/components/responses/...</c>) to its JSON schema.</summary>
    private string ResponseSchemaPointer(JsonNode response, string pointer)
    {
        if (response["$ref"]?.GetValue<string>() is { } reference)
        {
            const string prefix = "#/components/responses/";
            if (!reference.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{pointer}: unexpected response reference {reference}.");
            }

            pointer = reference[1..];
            response = _document["components"]!["responses"]![reference[prefix.Length..]]
                ?? throw new KeyNotFoundException($"{pointer} does not exist.");
        }

        if (response["content"]?["application/json"]?["schema"] is null)
        {
            throw new NotSupportedException($"{pointer} has no application/json schema.");
        }

        return $"{pointer}/content/application~1json/schema";
    }

    /// <summary>Transforms every Schema Object a response can reach; parameters and the rest stay as they are.</summary>
    private static JsonObject TransformSchemas(JsonObject original)
    {
        var document = original.DeepClone().AsObject();
        if (document["components"]?["schemas"] is JsonObject schemas)
        {
            foreach (var name in schemas.Select(s => s.Key).ToList())
            {
                schemas[name] = OpenApiSchemaTransform.Transform(schemas[name]!, $"#/components/schemas/{name}");
            }
        }

        var responseObjects = new List<(JsonObject Response, string Location)>();
        if (document["components"]?["responses"] is JsonObject sharedResponses)
        {
            responseObjects.AddRange(sharedResponses.Select(r => ((JsonObject)r.Value!, $"#/components/responses/{r.Key}")));
        }

        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            foreach (var (status, response) in item?["get"]?["responses"]?.AsObject() ?? [])
            {
                responseObjects.Add(((JsonObject)response!, $"#/paths/{path}/get/responses/{status}"));
            }
        }

        foreach (var (response, location) in responseObjects)
        {
            foreach (var (mediaType, content) in response["content"]?.AsObject() ?? [])
            {
                if (content?["schema"] is { } schema)
                {
                    content["schema"] = OpenApiSchemaTransform.Transform(schema, $"{location}/content/{mediaType}/schema");
                }
            }
        }

        return document;
    }

    private static string Unescape(string pointerSegment) => pointerSegment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    private static string Escape(string pointerSegment) => pointerSegment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    // Path templates carry braces, which a URI fragment must percent-encode.
    private static string EncodeFragment(string pointer) => string.Join('/', pointer.Split('/').Select(Uri.EscapeDataString));
}

/// <summary>Where the document's schema for one response lives, and the built schema itself.</summary>
internal sealed record ResponseContract(string PathTemplate, string ResponseKey, string SchemaPointer, JsonSchema Schema)
{
    public IReadOnlyList<SchemaViolation> Validate(JsonElement body) => SchemaViolation.Collect(Schema, body);

    public override string ToString() => $"GET {PathTemplate} → {ResponseKey} ({SchemaPointer})";
}
