using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Api;

public sealed partial class CloudflareApiClient
{
    /// <summary>Entries per page of the audit log (Audit Logs v2 <c>limit</c>).</summary>
    internal const int AuditLogPageSize = 1000;

    /// <summary>
    /// One account's audit log (Audit Logs v2, <c>GET /accounts/{account_id}/logs/audit</c>) from <paramref name="since"/> to
    /// <paramref name="before"/>, oldest first: <c>since</c> and <c>before</c> are required, pages follow the opaque cursor
    /// (<c>result_info.cursor</c>, or <c>result_info.cursors.after</c> as some SDK builds read it). Each page's entries are
    /// mapped; an entry without an id, an action type or a readable action time is a shape Vigil does not understand
    /// (<see cref="AuditLogShapeException"/>). Needs Account Settings Read.
    /// </summary>
    internal async IAsyncEnumerable<(ApiPage<JsonElement> Page, IReadOnlyList<AuditLogEntry> Entries)> ListAuditLogAsync(
        ApiSession session, string accountId, DateTimeOffset since, DateTimeOffset before, [EnumeratorCancellation] CancellationToken ct)
    {
        // Whole seconds: since rounds down and before (exclusive) rounds up, so an entry made in the second the sync began
        // is not lost (truncating before dropped it); an entry read twice this way is de-duplicated by id.
        var upper = before.UtcTicks % TimeSpan.TicksPerSecond == 0 ? before : before.AddTicks(TimeSpan.TicksPerSecond - before.UtcTicks % TimeSpan.TicksPerSecond);
        var path = $"/accounts/{Id(accountId, "account")}/logs/audit?since={Escape(Rfc3339(since))}&before={Escape(Rfc3339(upper))}"
            + $"&limit={AuditLogPageSize}&direction=asc";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            if (page > _options.MaxPagesWithoutCount)
            {
                throw new CloudflareResponseException(
                    $"Cloudflare's audit log of account {accountId} did not end after {page - 1} pages; Vigil stops at {_options.MaxPagesWithoutCount} pages, so the log is incomplete.");
            }
            ApiResponse<List<JsonElement>> response;
            try
            {
                response = await GetAsync(session, cursor is null ? path : $"{path}&cursor={Escape(cursor)}", Json.EnvelopeListJsonElement,
                    CloudflarePermissions.AccountSettingsRead, ct).ConfigureAwait(false);
            }
            catch (CloudflareApiException ex) when (ex.StatusCode is >= 200 and < 300)
            {
                throw new AuditLogShapeException($"the answer was not the audit log's JSON envelope ({ex.Message})", ex);
            }
            var items = response.Result ?? throw new AuditLogShapeException("the answer has no result list");
            var entries = items.Select(item => MapAuditEntry(item, accountId)).ToList();
            yield return (new ApiPage<JsonElement>(page, items, response.Info, response.Raw), entries);
            cursor = response.Info?.Cursor is { Length: > 0 } next ? next : response.Info?.Cursors?.After is { Length: > 0 } after ? after : null;
            if (cursor is null || items.Count == 0 || !seen.Add(cursor))
            {
                yield break;
            }
        }
    }

    private static string Rfc3339(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One v2 entry (SDK type <c>AuditListResponse</c>: id, account, action, actor, raw, resource, zone) to Vigil's record.</summary>
    internal static AuditLogEntry MapAuditEntry(JsonElement item, string accountId)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new AuditLogShapeException($"an entry is a JSON {item.ValueKind.ToString().ToLowerInvariant()}, not an object");
        }
        var id = Text(item, "id") ?? throw new AuditLogShapeException("an entry has no id");
        var action = Child(item, "action");
        var type = Text(action, "type") ?? throw new AuditLogShapeException($"entry {id} has no action.type");
        var timeText = Text(action, "time") ?? throw new AuditLogShapeException($"entry {id} has no action.time");
        if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new AuditLogShapeException($"entry {id} has an action.time that is not a time (\"{timeText}\")");
        }
        var actor = Child(item, "actor");
        var raw = Child(item, "raw");
        var resource = Child(item, "resource");
        var zone = Child(item, "zone");
        var result = action is { } a && a.TryGetProperty("result", out var r) ? r.ValueKind switch
        {
            JsonValueKind.String => r.GetString(),
            JsonValueKind.True => "success",
            JsonValueKind.False => "failure",
            _ => null,
        } : null;
        return new AuditLogEntry(id, Text(Child(item, "account"), "id") ?? accountId, time.ToUniversalTime(), type,
            Text(resource, "type"), Text(resource, "id"), Text(zone, "id"), Text(actor, "email"), Text(actor, "type"),
            Text(raw, "method"), Text(raw, "uri"), result);
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static string? Text(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } text ? text : null;
}

/// <summary>The audit log answered in a shape Vigil does not understand: the account is then synced in full.</summary>
public sealed class AuditLogShapeException(string message, Exception? inner = null) : Exception(message, inner);
