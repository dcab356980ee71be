using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.App.Alerts;

/// <summary>An <see cref="Alert"/> as kept with a pending delivery, so that a later round sends the very same alert.</summary>
internal static class AlertJson
{
    public static string Write(Alert alert) => new JsonObject
    {
        ["id"] = alert.Id,
        ["kind"] = alert.Kind,
        ["subject"] = alert.Subject,
        ["title"] = alert.Title,
        ["details"] = new JsonArray([.. alert.Details.Select(d => (JsonNode?)JsonValue.Create(d))]),
        ["raised_at"] = alert.RaisedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["severity"] = alert.Severity,
        ["run_id"] = alert.RunId,
    }.ToJsonString();

    /// <summary>The alert, or null when the text is not one this version can read.</summary>
    public static Alert? Read(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject node)
            {
                return null;
            }

            return new Alert(
                node["id"]!.GetValue<string>(),
                node["kind"]!.GetValue<string>(),
                node["subject"]!.GetValue<string>(),
                node["title"]!.GetValue<string>(),
                [.. (node["details"] as JsonArray ?? []).Select(d => d!.GetValue<string>())],
                DateTimeOffset.Parse(node["raised_at"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                node["severity"]?.GetValue<string>(),
                node["run_id"]?.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null;
        }
    }
}
