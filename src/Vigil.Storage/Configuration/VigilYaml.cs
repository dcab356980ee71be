using System.Globalization;
using System.Text;
using Vigil.Core.Checks;
using Vigil.Core.Configuration;
using Vigil.Core.Settings;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Vigil.Storage.Configuration;

/// <summary>
/// Reads and edits vigil.yaml, the organisation's configuration as data:
/// <code>
/// checks:
///   enabled: [access, zones]                            # optional; the checks.enabled setting
///   cloudflare.zone-hsts: {min_max_age_days: 180}       # thresholds (see CheckThresholds)
/// exceptions:
///   - check: cloudflare.zone-hsts
///     resource: legacy.example.com                      # zone, record, member email, account or token id or name
///     reason: "Legacy app, HSTS breaks its HTTP callback"
///     expires: 2027-06-30
///     approved_by: ciso@example.com
/// </code>
/// Every problem is a <see cref="ConfigException"/> naming the line and column. Edits change only the lines of the
/// exception added or removed, so the user's comments and layout stay, and the edited text is validated before it is returned.
/// </summary>
public static class VigilYaml
{
    /// <summary>The file name in VIGIL_HOME.</summary>
    public const string FileName = "vigil.yaml";

    /// <summary>Keys of one exception, in the order <see cref="AddException"/> writes them.</summary>
    private static readonly string[] ExceptionKeys = ["check", "resource", "reason", "expires", "approved_by"];

    /// <summary>The configuration the text holds; empty text is an empty configuration.</summary>
    /// <param name="source">Where the text came from, named in messages (a path, or "settings config_yaml").</param>
    /// <exception cref="ConfigException">The text is not valid YAML or not a valid configuration.</exception>
    public static VigilConfig Parse(string text, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = Load(text, source);
        if (root is null)
        {
            return VigilConfig.Empty with { Source = source };
        }

        var settings = new List<ConfiguredSetting>();
        var exceptions = new List<CheckException>();
        foreach (var (keyNode, value) in Mapping(root, source, "the document").Children)
        {
            var key = Key(keyNode, source);
            switch (key)
            {
                case "checks":
                    settings.AddRange(ReadChecks(value, source));
                    break;
                case "exceptions":
                    exceptions.AddRange(ReadExceptions(value, source));
                    break;
                default:
                    throw Error(source, keyNode, $"unknown key '{key}'; vigil.yaml has 'checks' and 'exceptions'");
            }
        }

        return new VigilConfig(settings, exceptions, source);
    }

    /// <summary>The text with one more exception at the end of <c>exceptions:</c> (created when missing).</summary>
    /// <exception cref="ConfigException">The text or the new exception is not valid (unknown check, a duplicate, ...).</exception>
    public static string AddException(string text, CheckException exception, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(exception);
        Parse(text, source);
        var lines = SplitLines(text);
        var root = Load(text, source) as YamlMappingNode;
        var entry = root?.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "exceptions" });
        string indent;
        int insertAt; // 0-based index of the line the new item goes before
        if (entry is null || entry.Value.Key is null)
        {
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }
            lines.Add("exceptions:");
            indent = "  ";
            insertAt = lines.Count;
        }
        else if (entry.Value.Value is YamlSequenceNode { Children.Count: > 0 } sequence && sequence.Style != SequenceStyle.Flow)
        {
            var first = sequence.Children[0];
            var firstLine = lines[Line(first.Start) - 1];
            var dash = firstLine.IndexOf('-', StringComparison.Ordinal);
            indent = dash > 0 ? new string(' ', dash) : "";
            insertAt = LastLine(sequence.Children[^1]);
        }
        else if (entry.Value.Value is YamlScalarNode { Value: null or "" } or YamlSequenceNode { Children.Count: 0 })
        {
            // "exceptions:" with nothing, or "exceptions: []": the key's line becomes "exceptions:" and the item follows.
            var keyLine = Line(entry.Value.Key.Start) - 1;
            if (LastLine(entry.Value.Value) - 1 > keyLine)
            {
                throw Error(source, entry.Value.Value, "'exceptions' spans several lines without items; write it as 'exceptions:' and run the command again");
            }
            lines[keyLine] = lines[keyLine][..(Column(entry.Value.Key.Start) - 1)] + "exceptions:";
            indent = new string(' ', Column(entry.Value.Key.Start) - 1 + 2);
            insertAt = keyLine + 1;
        }
        else
        {
            throw Error(source, entry.Value.Value, "'exceptions' is not a block list ('- check: ...' items); edit it by hand");
        }

        string[] item =
        [
            $"{indent}- check: {exception.CheckId}",
            $"{indent}  resource: {Quote(exception.Resource)}",
            $"{indent}  reason: {Quote(exception.Reason)}",
            $"{indent}  expires: {exception.ExpiresText}",
            $"{indent}  approved_by: {Quote(exception.ApprovedBy)}",
        ];
        lines.InsertRange(insertAt, item);
        var edited = string.Join('\n', lines) + "\n";
        Parse(edited, source);
        return edited;
    }

    /// <summary>The text without the exception for this check and resource (case-insensitive).</summary>
    /// <exception cref="ConfigException">The text is not valid, or no exception names this check and resource.</exception>
    public static string RemoveException(string text, string checkId, string resource, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var config = Parse(text, source);
        var root = Load(text, source) as YamlMappingNode;
        var sequence = root?.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "exceptions" }).Value as YamlSequenceNode;
        var index = config.Exceptions.ToList().FindIndex(e =>
            string.Equals(e.CheckId, checkId.Trim(), StringComparison.OrdinalIgnoreCase) && string.Equals(e.Resource, resource.Trim(), StringComparison.OrdinalIgnoreCase));
        if (index < 0 || sequence is null)
        {
            throw new ConfigException(source, 0, 0, $"no exception for check {checkId} and resource {resource}");
        }
        if (sequence.Style == SequenceStyle.Flow)
        {
            throw Error(source, sequence, "'exceptions' is a flow list ([...]); edit it by hand");
        }

        var item = sequence.Children[index];
        var lines = SplitLines(text);
        var start = Line(item.Start) - 1;
        if (!lines[start].TrimStart().StartsWith('-') && start > 0 && lines[start - 1].Trim() == "-")
        {
            start--;
        }
        var end = LastLine(item); // exclusive
        lines.RemoveRange(start, end - start);
        var edited = string.Join('\n', lines);
        edited = edited.EndsWith('\n') || edited.Length == 0 ? edited : edited + "\n";
        Parse(edited, source);
        return edited;
    }

    private static YamlNode? Load(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var problem = e.InnerException is YamlException inner ? inner.Message : e.Message;
            // YamlDotNet's messages repeat the position; the exception's own mark is what we name.
            throw new ConfigException(source, Line(e.Start), Column(e.Start), $"not valid YAML: {Plain(problem)}");
        }

        if (stream.Documents.Count > 1)
        {
            throw Error(source, stream.Documents[1].RootNode, "vigil.yaml holds one document; remove the second '---'");
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        return root is YamlScalarNode { Value: null or "" } ? null : root;
    }

    private static IEnumerable<ConfiguredSetting> ReadChecks(YamlNode value, string source)
    {
        if (value is YamlScalarNode { Value: null or "" })
        {
            yield break;
        }

        var seen = new Dictionary<string, ConfiguredSetting>(StringComparer.Ordinal);
        foreach (var (keyNode, body) in Mapping(value, source, "'checks'").Children)
        {
            var id = Key(keyNode, source);
            if (id == "enabled")
            {
                var items = body switch
                {
                    YamlSequenceNode list => list.Children.Select(n => Scalar(n, source, "an item of 'checks: enabled'")).ToList(),
                    YamlScalarNode scalar => [Scalar(scalar, source, "'checks: enabled'")],
                    _ => throw Error(source, body, "'checks: enabled' is a list of check ids and families, e.g. [access, zones]"),
                };
                yield return Setting(seen, source, body, "checks.enabled", string.Join(",", items), $"checks: enabled: [{string.Join(", ", items)}]");
                continue;
            }

            var check = CheckCatalog.Find(id) ?? throw Error(source, keyNode,
                $"unknown check '{id}'; 'vigil checks --list' lists the check ids");
            var thresholds = CheckThresholds.Of(check.Definition.Id);
            if (body is YamlScalarNode { Value: null or "" })
            {
                continue;
            }
            foreach (var (thresholdKey, thresholdValue) in Mapping(body, source, $"'{id}'").Children)
            {
                var name = Key(thresholdKey, source);
                var threshold = thresholds.FirstOrDefault(t => t.Key == name) ?? throw Error(source, thresholdKey, thresholds.Count == 0
                    ? $"unknown key '{name}': {check.Definition.Id} has no thresholds"
                    : $"unknown key '{name}' for {check.Definition.Id}; it has {string.Join(", ", thresholds.Select(t => $"{t.Key} ({t.Meaning})"))}");
                var text = Scalar(thresholdValue, source, $"'{name}'");
                string converted;
                try
                {
                    converted = threshold.ToSetting(text);
                }
                catch (SettingValueException e)
                {
                    throw Error(source, thresholdValue, $"{check.Definition.Id} {name}: {e.Message}");
                }
                yield return Setting(seen, source, thresholdValue, threshold.SettingKey, converted, $"{check.Definition.Id} {name}: {text}");
            }
        }
    }

    private static ConfiguredSetting Setting(Dictionary<string, ConfiguredSetting> seen, string source, YamlNode node, string settingKey, string text, string written)
    {
        var key = OrganisationSettings.FindKey(settingKey) ?? throw new InvalidOperationException($"no setting {settingKey}");
        string value;
        try
        {
            value = key.Normalise(text);
        }
        catch (SettingValueException e)
        {
            throw Error(source, node, $"{written}: {e.Message}");
        }

        var setting = new ConfiguredSetting(key.Name, value, written, Line(node.Start), Column(node.Start));
        if (seen.TryGetValue(key.Name, out var earlier) && earlier.Value != value)
        {
            throw Error(source, node, $"{written} contradicts line {earlier.Line} ({earlier.Written}); both set {key.Name}");
        }
        seen[key.Name] = setting;
        return setting;
    }

    private static IEnumerable<CheckException> ReadExceptions(YamlNode value, string source)
    {
        if (value is YamlScalarNode { Value: null or "" })
        {
            return [];
        }
        if (value is not YamlSequenceNode list)
        {
            throw Error(source, value, "'exceptions' is a list of items like '- check: ID'");
        }

        var result = new List<CheckException>();
        foreach (var node in list.Children)
        {
            var item = Mapping(node, source, "an exception");
            var fields = new Dictionary<string, YamlScalarNode>(StringComparer.Ordinal);
            foreach (var (keyNode, fieldValue) in item.Children)
            {
                var key = Key(keyNode, source);
                if (!ExceptionKeys.Contains(key))
                {
                    throw Error(source, keyNode, $"unknown key '{key}' in an exception; an exception has {string.Join(", ", ExceptionKeys)}");
                }
                Scalar(fieldValue, source, $"'{key}'");
                fields[key] = (YamlScalarNode)fieldValue;
            }
            foreach (var key in ExceptionKeys.Where(k => !fields.ContainsKey(k) || string.IsNullOrWhiteSpace(fields[k].Value)))
            {
                throw Error(source, node, $"the exception lacks '{key}'; an exception has {string.Join(", ", ExceptionKeys)}");
            }

            var checkId = fields["check"].Value!.Trim();
            var check = CheckCatalog.Find(checkId) ?? throw Error(source, fields["check"],
                $"unknown check '{checkId}'; an exception must name an existing check ('vigil checks --list' lists them)");
            if (!DateOnly.TryParseExact(fields["expires"].Value!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
            {
                throw Error(source, fields["expires"], $"expires '{fields["expires"].Value}' is not a date YYYY-MM-DD");
            }
            var approver = fields["approved_by"].Value!.Trim();
            if (!LooksLikeEmail(approver))
            {
                throw Error(source, fields["approved_by"], $"approved_by '{approver}' is not an email address");
            }
            var resource = fields["resource"].Value!.Trim();
            var exception = new CheckException(check.Definition.Id, resource, fields["reason"].Value!.Trim(), expires, approver, Line(node.Start));
            if (result.FirstOrDefault(e => e.CheckId == exception.CheckId && string.Equals(e.Resource, resource, StringComparison.OrdinalIgnoreCase)) is { } twin)
            {
                throw Error(source, node, $"a second exception for {exception.CheckId} on {resource} (the first is on line {twin.Line}); keep one");
            }
            result.Add(exception);
        }
        return result;
    }

    private static YamlMappingNode Mapping(YamlNode node, string source, string what) =>
        node as YamlMappingNode ?? throw Error(source, node, $"{what} must be a mapping of 'key: value' lines");

    private static string Key(YamlNode node, string source) =>
        node is YamlScalarNode { Value: { Length: > 0 } key } ? key.Trim() : throw Error(source, node, "a key must be plain text");

    private static string Scalar(YamlNode node, string source, string what) =>
        node is YamlScalarNode { Value: { } value } ? value.Trim() : throw Error(source, node, $"{what} must be a single value, not a list or mapping");

    private static bool LooksLikeEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1 && text[(at + 1)..].Contains('.', StringComparison.Ordinal)
            && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }

    /// <summary>A YAML double-quoted scalar: backslash, quote and control characters escaped.</summary>
    private static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }

    /// <summary>The 0-based index of the line after the last line of this node's content (its last scalar's line).</summary>
    private static int LastLine(YamlNode node) => node switch
    {
        YamlMappingNode { Children.Count: > 0 } m => LastLine(m.Children.Last().Value),
        YamlSequenceNode { Children.Count: > 0, Style: not SequenceStyle.Flow } s => LastLine(s.Children[^1]),
        _ => Line(node.End) - (node.End.Column == 1 && node.End.Line > node.Start.Line ? 1 : 0),
    };

    private static List<string> SplitLines(string text) => [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')];

    private static int Line(Mark mark) => (int)mark.Line;

    private static int Column(Mark mark) => (int)mark.Column;

    private static string Plain(string message)
    {
        // "(Line: 3, Col: 5, Idx: 20) - (Line: ...): problem" -> "problem"
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    private static ConfigException Error(string source, YamlNode node, string problem) => new(source, Line(node.Start), Column(node.Start), problem);
}
