using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Simulation;

/// <summary>
/// The account audit log in both of Cloudflare's shapes, served from <see cref="SimulatorAuditLog"/>: Audit Logs v2
/// (<c>GET /accounts/{account_id}/logs/audit</c>: <c>since</c> and <c>before</c> required, opaque cursor paging with
/// <c>limit</c> and <c>direction</c>, the next cursor in <c>result_info.cursors.after</c> as the SDK's
/// CursorPaginationAfter reads it; not in openapi-subset.json, shaped after the SDK's AuditListResponse) and the legacy
/// log (<c>GET /accounts/{account_id}/audit_logs</c>: page/per_page up to 1000, optional since/before, with oldValue and
/// newValue; in openapi-subset.json). Both need Account Settings Read.
/// </summary>
internal sealed class AuditLogEndpoints(SimulatorState state)
{
    public const int V2DefaultLimit = 100;
    public const int V2MaxLimit = 1000;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapSimulatorRoute("/accounts/{account_id}/logs/audit", ListV2Async);
        routes.MapSimulatorRoute("/accounts/{account_id}/audit_logs", ListLegacyAsync);
    }

    private Task ListV2Async(HttpContext context)
    {
        if (!state.TryFindAccount(context, [PermissionGroups.AccountSettingsRead], out var account, out var failure))
        {
            return context.FailAsync(failure);
        }
        var query = context.Request.Query;
        if (!TryTime(query["since"], out var since) || !TryTime(query["before"], out var before))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("since and before are required: a date (2019-04-30) or an RFC 3339 timestamp"));
        }
        var limit = V2DefaultLimit;
        if (query.TryGetValue("limit", out var limitText) && !(int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= V2MaxLimit))
        {
            return context.FailAsync(ApiErrors.InvalidQuery($"limit must be an integer from 1 to {V2MaxLimit}"));
        }
        var direction = query["direction"].ToString();
        if (direction.Length > 0 && direction is not ("asc" or "desc"))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("direction must be asc or desc"));
        }
        var entries = state.AuditLog.Of(account.Id, since, before);
        if (direction != "asc")
        {
            Array.Reverse(entries); // newest first by default
        }
        var offset = 0;
        if (query.TryGetValue("cursor", out var cursorText) && cursorText.ToString() is { Length: > 0 } cursor && !TryReadCursor(cursor, out offset))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("cursor is not a cursor this endpoint gave out"));
        }
        var page = entries.Skip(offset).Take(limit).ToArray();
        var next = offset + page.Length < entries.Length ? Cursor(offset + page.Length) : null;
        return WriteAsync(context, writer =>
        {
            writer.WriteStartArray();
            foreach (var e in page)
            {
                WriteV2(writer, e);
            }
            writer.WriteEndArray();
        }, writer =>
        {
            writer.WriteNumber("count", page.Length);
            writer.WritePropertyName("cursors");
            writer.WriteStartObject();
            if (next is not null)
            {
                writer.WriteString("after", next);
            }
            writer.WriteEndObject();
        });
    }

    private Task ListLegacyAsync(HttpContext context)
    {
        if (!state.TryFindAccount(context, [PermissionGroups.AccountSettingsRead], out var account, out var failure))
        {
            return context.FailAsync(failure);
        }
        var query = context.Request.Query;
        var since = DateTimeOffset.MinValue;
        var before = DateTimeOffset.MaxValue;
        if ((query.ContainsKey("since") && !TryTime(query["since"], out since)) || (query.ContainsKey("before") && !TryTime(query["before"], out before)))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("since and before must be a date (2019-04-30) or an RFC 3339 timestamp"));
        }
        if (!Paging.TryRead(context, 100, 1000, out var paging, out failure))
        {
            return context.FailAsync(failure);
        }
        var direction = query["direction"].ToString();
        if (direction.Length > 0 && direction is not ("asc" or "desc"))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("direction must be asc or desc"));
        }
        var entries = state.AuditLog.Of(account.Id, since, before);
        if (direction != "asc")
        {
            Array.Reverse(entries);
        }
        var (items, info) = paging.Slice(entries);
        return WriteAsync(context, writer =>
        {
            writer.WriteStartArray();
            foreach (var e in items)
            {
                WriteLegacy(writer, e);
            }
            writer.WriteEndArray();
        }, writer =>
        {
            writer.WriteNumber("page", info.Page);
            writer.WriteNumber("per_page", info.PerPage);
            writer.WriteNumber("count", info.Count);
            writer.WriteNumber("total_count", info.TotalCount);
            writer.WriteNumber("total_pages", info.TotalPages);
        });
    }

    private static void WriteV2(Utf8JsonWriter w, SimAuditEntry e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WritePropertyName("account");
        w.WriteStartObject();
        w.WriteString("id", e.AccountId);
        w.WriteString("name", e.AccountName);
        w.WriteEndObject();
        w.WritePropertyName("action");
        w.WriteStartObject();
        w.WriteString("description", $"{e.ActionType} {e.ResourceType}");
        w.WriteString("result", e.Result);
        w.WriteString("time", Time(e.Time));
        w.WriteString("type", e.ActionType);
        w.WriteEndObject();
        w.WritePropertyName("actor");
        w.WriteStartObject();
        w.WriteString("id", UserIdOf(e.ActorEmail));
        w.WriteString("context", "api_token");
        w.WriteString("email", e.ActorEmail);
        w.WriteString("ip_address", "198.51.100.7");
        w.WriteString("token_id", "f6b5de0326bb5182b8a4840ee01ec774");
        w.WriteString("token_name", "terraform");
        w.WriteString("type", "user");
        w.WriteEndObject();
        w.WritePropertyName("raw");
        w.WriteStartObject();
        w.WriteString("cf_ray_id", $"8e{e.Id[..8]}a1b2c3d4");
        w.WriteString("method", e.Method);
        w.WriteNumber("status_code", e.Method == "POST" ? 201 : 200);
        w.WriteString("uri", e.Uri);
        w.WriteString("user_agent", "terraform-provider-cloudflare/5");
        w.WriteEndObject();
        w.WritePropertyName("resource");
        w.WriteStartObject();
        if (e.ResourceId is not null)
        {
            w.WriteString("id", e.ResourceId);
        }
        w.WriteString("product", e.ResourceType.Split('.')[0]);
        w.WritePropertyName("request");
        w.WriteStartObject();
        w.WriteEndObject();
        w.WritePropertyName("response");
        w.WriteStartObject();
        w.WriteEndObject();
        w.WritePropertyName("scope");
        w.WriteStartObject();
        w.WriteString(e.ZoneId is null ? "accounts" : "zones", e.ZoneId ?? e.AccountId);
        w.WriteEndObject();
        w.WriteString("type", e.ResourceType);
        w.WriteEndObject();
        if (e.ZoneId is not null)
        {
            w.WritePropertyName("zone");
            w.WriteStartObject();
            w.WriteString("id", e.ZoneId);
            if (e.ZoneName is not null)
            {
                w.WriteString("name", e.ZoneName);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteLegacy(Utf8JsonWriter w, SimAuditEntry e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WritePropertyName("action");
        w.WriteStartObject();
        w.WriteBoolean("result", e.Result == "success");
        w.WriteString("type", e.ActionType);
        w.WriteEndObject();
        w.WritePropertyName("actor");
        w.WriteStartObject();
        w.WriteString("email", e.ActorEmail);
        w.WriteString("id", UserIdOf(e.ActorEmail));
        w.WriteString("ip", "198.51.100.7");
        w.WriteString("type", "user");
        w.WriteEndObject();
        w.WriteString("interface", "API");
        w.WritePropertyName("metadata");
        w.WriteStartObject();
        w.WriteString("method", e.Method);
        w.WriteString("uri", e.Uri);
        if (e.ZoneName is not null)
        {
            w.WriteString("zone_name", e.ZoneName);
        }
        w.WriteEndObject();
        if (e.NewValue is not null)
        {
            w.WriteString("newValue", e.NewValue);
        }
        if (e.OldValue is not null)
        {
            w.WriteString("oldValue", e.OldValue);
        }
        w.WritePropertyName("owner");
        w.WriteStartObject();
        w.WriteString("id", e.AccountId);
        w.WriteEndObject();
        w.WritePropertyName("resource");
        w.WriteStartObject();
        if (e.ResourceId is not null)
        {
            w.WriteString("id", e.ResourceId);
        }
        w.WriteString("type", e.ResourceType);
        w.WriteEndObject();
        w.WriteString("when", Time(e.Time));
        w.WriteEndObject();
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> result, Action<Utf8JsonWriter> resultInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            result(writer);
            writer.WriteBoolean("success", true);
            writer.WritePropertyName("errors");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WritePropertyName("messages");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WritePropertyName("result_info");
            writer.WriteStartObject();
            resultInfo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A date (2019-04-30, UTC) or an RFC 3339 timestamp, as Cloudflare accepts for since and before.</summary>
    internal static bool TryTime(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"o:{offset}"));

    private static bool TryReadCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string UserIdOf(string email) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(email)))[..32];
}
