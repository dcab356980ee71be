using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests.Reports;

/// <summary>
/// A small validator over the OCSF schema sources pinned in <c>shared/ocsf/schema-1.6.0</c> (beside the repository):
/// resolves a class through its <c>extends</c> chain (class, then the classes it extends, down to base_event) and each
/// object through its own, merges every attribute with its dictionary entry (type, is_array, enum), and checks an event:
/// every required attribute present, no attribute the class does not define, each value of the dictionary's type
/// (primitive types through dictionary.json's types, objects recursively), integer enums within their values, and the
/// objects' at_least_one / just_one constraints. Profiles are not applied (Vigil's events declare none).
/// </summary>
internal sealed class OcsfSchema
{
    private const string RelativePath = "shared/ocsf/schema-1.6.0";
    private static readonly HashSet<string> BaseKinds = ["string_t", "integer_t", "long_t", "float_t", "boolean_t", "json_t"];

    private readonly string _root;
    private readonly JsonObject _attributes;
    private readonly JsonObject _types;
    private readonly Dictionary<string, Definition> _objects = [];

    private OcsfSchema(string root)
    {
        _root = root;
        var dictionary = Load(Path.Combine(root, "dictionary.json"));
        _attributes = dictionary["attributes"]!.AsObject();
        _types = dictionary["types"]!["attributes"]!.AsObject();
        Version = Load(Path.Combine(root, "version.json"))["version"]!.GetValue<string>();
    }

    public string Version { get; }

    /// <summary>The pinned schema, found in a 'shared' folder beside or above the repository; missing is a failure.</summary>
    public static OcsfSchema Pinned()
    {
        var tried = new List<string>();
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativePath);
            if (File.Exists(Path.Combine(candidate, "dictionary.json")))
            {
                return new OcsfSchema(candidate);
            }
            tried.Add(candidate);
        }
        throw new DirectoryNotFoundException($"The OCSF schema ({RelativePath}) was not found beside or above the repository. Looked at: {string.Join(", ", tried)}");
    }

    /// <summary>A resolved event class: its uid (category uid * 1000 + class uid) and its merged attributes.</summary>
    public sealed record Definition(string Name, int? ClassUid, IReadOnlyDictionary<string, JsonObject> Attributes, JsonObject? Constraints);

    /// <summary>Resolves an event class by name (e.g. "compliance_finding") through its extends chain.</summary>
    public Definition Class(string name)
    {
        var chain = new List<JsonObject>();
        string? categoryName = null;
        int? localUid = null;
        for (string? current = name; current is not null;)
        {
            var file = Directory.GetFiles(Path.Combine(_root, "events"), current + ".json", SearchOption.AllDirectories).Single();
            var node = Load(file);
            chain.Add(node);
            localUid ??= node["uid"]?.GetValue<int>();
            categoryName ??= node["category"]?.GetValue<string>();
            current = node["extends"]?.GetValue<string>();
        }

        int? classUid = null;
        var definition = Merge(name, null, chain);
        if (categoryName is not null && localUid is { } uid)
        {
            // As OCSF's compiler does: the class fixes category_uid and class_uid (the dictionary lists only 0, Unknown).
            var categoryUid = Load(Path.Combine(_root, "categories.json"))["attributes"]![categoryName]!["uid"]!.GetValue<int>();
            classUid = categoryUid * 1000 + uid;
            definition.Attributes["category_uid"]["enum"] = new JsonObject { [categoryUid.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject() };
            definition.Attributes["class_uid"]["enum"] = new JsonObject { [classUid.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject() };
        }
        return definition with { ClassUid = classUid };
    }

    /// <summary>Resolves an object (e.g. "resource_details") through its extends chain.</summary>
    public Definition Object(string name)
    {
        if (_objects.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var chain = new List<JsonObject>();
        for (string? current = name; current is not null;)
        {
            var node = Load(Path.Combine(_root, "objects", current + ".json"));
            chain.Add(node);
            current = node["extends"]?.GetValue<string>();
        }
        return _objects[name] = Merge(name, null, chain);
    }

    private Definition Merge(string name, int? classUid, List<JsonObject> chain)
    {
        var attributes = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        JsonObject? constraints = null;
        // From the root of the chain to the class itself: the nearer definition wins, field by field.
        foreach (var node in Enumerable.Reverse(chain))
        {
            constraints = node["constraints"]?.AsObject() ?? constraints;
            foreach (var (attribute, spec) in node["attributes"]?.AsObject() ?? [])
            {
                if (attribute == "$include" || spec is not JsonObject fields)
                {
                    continue; // profiles: only when an event declares them
                }
                var merged = attributes.TryGetValue(attribute, out var existing) ? existing : Dictionary(attribute);
                foreach (var (key, value) in fields)
                {
                    merged[key] = key == "enum" && merged["enum"] is JsonObject before && value is JsonObject added
                        ? Union(before, added)
                        : value?.DeepClone();
                }
                attributes[attribute] = merged;
            }
        }
        return new Definition(name, classUid, attributes, constraints);
    }

    private JsonObject Dictionary(string attribute) =>
        _attributes[attribute] is JsonObject entry ? entry.DeepClone().AsObject() : new JsonObject();

    private static JsonObject Union(JsonObject a, JsonObject b)
    {
        var union = a.DeepClone().AsObject();
        foreach (var (key, value) in b)
        {
            union[key] = value?.DeepClone();
        }
        return union;
    }

    /// <summary>Every problem of <paramref name="value"/> against <paramref name="definition"/>; empty when it conforms.</summary>
    public IReadOnlyList<string> Validate(JsonObject value, Definition definition)
    {
        var problems = new List<string>();
        ValidateObject(value, definition, definition.Name, problems);
        return problems;
    }

    private void ValidateObject(JsonObject value, Definition definition, string path, List<string> problems)
    {
        foreach (var (name, spec) in definition.Attributes)
        {
            if (spec["requirement"]?.GetValue<string>() == "required" && value[name] is null)
            {
                problems.Add($"{path}.{name}: required but missing");
            }
        }

        foreach (var (name, item) in value)
        {
            if (!definition.Attributes.TryGetValue(name, out var spec))
            {
                problems.Add($"{path}.{name}: not an attribute of {definition.Name}");
                continue;
            }
            if (item is null)
            {
                continue;
            }
            if (spec["is_array"]?.GetValue<bool>() == true)
            {
                if (item is not JsonArray array)
                {
                    problems.Add($"{path}.{name}: must be an array");
                    continue;
                }
                for (var i = 0; i < array.Count; i++)
                {
                    ValidateValue(array[i], spec, $"{path}.{name}[{i}]", problems);
                }
            }
            else
            {
                ValidateValue(item, spec, $"{path}.{name}", problems);
            }
        }

        if (definition.Constraints?["at_least_one"] is JsonArray atLeastOne && !atLeastOne.Any(a => value[a!.GetValue<string>()] is not null))
        {
            problems.Add($"{path}: needs at least one of {string.Join(", ", atLeastOne)}");
        }
        if (definition.Constraints?["just_one"] is JsonArray justOne && justOne.Count(a => value[a!.GetValue<string>()] is not null) != 1)
        {
            problems.Add($"{path}: needs exactly one of {string.Join(", ", justOne)}");
        }
    }

    private void ValidateValue(JsonNode? item, JsonObject spec, string path, List<string> problems)
    {
        var type = spec["type"]?.GetValue<string>();
        if (item is null || type is null)
        {
            problems.Add($"{path}: {(type is null ? "has no type in the dictionary" : "is null")}");
            return;
        }

        if (type == "object")
        {
            if (item is not JsonObject)
            {
                problems.Add($"{path}: must be an object");
            }
            return;
        }

        if (!type.EndsWith("_t", StringComparison.Ordinal))
        {
            if (item is JsonObject child)
            {
                ValidateObject(child, Object(type), path, problems);
            }
            else
            {
                problems.Add($"{path}: must be a {type} object");
            }
            return;
        }

        // Walk the primitive type down to its base kind, checking each level's pattern on the way.
        for (var current = type; ;)
        {
            var entry = _types[current]?.AsObject();
            if (entry?["regex"]?.GetValue<string>() is { } pattern && item is JsonValue text && text.TryGetValue<string>(out var s) && !Regex.IsMatch(s, pattern))
            {
                problems.Add($"{path}: '{s}' does not match {current}'s pattern");
            }
            if (BaseKinds.Contains(current))
            {
                if (!Is(item, current))
                {
                    problems.Add($"{path}: must be {current} ({type}), was {item.ToJsonString()}");
                }
                break;
            }
            current = entry?["type"]?.GetValue<string>() ?? throw new InvalidOperationException($"type {current} has no base type");
        }

        if (spec["enum"] is JsonObject values && type is "integer_t" && !values.ContainsKey(item.ToJsonString()))
        {
            problems.Add($"{path}: {item.ToJsonString()} is not one of {string.Join(", ", values.Select(v => v.Key))}");
        }
    }

    private static bool Is(JsonNode item, string kind) => kind switch
    {
        "json_t" => true,
        "string_t" => item is JsonValue v && v.TryGetValue<string>(out _),
        "boolean_t" => item is JsonValue v && v.TryGetValue<bool>(out _),
        "integer_t" => item is JsonValue v && v.TryGetValue<int>(out _),
        "long_t" => item is JsonValue v && v.TryGetValue<long>(out _),
        "float_t" => item is JsonValue v && v.TryGetValue<double>(out _),
        _ => false,
    };

    private static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
}
