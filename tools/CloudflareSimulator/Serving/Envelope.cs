using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Vigil.Simulation;

/// <summary>Writes Cloudflare's response envelope: result, success, errors, messages and, on lists, result_info.</summary>
internal static class Envelope
{
    public static Task WriteSuccessAsync<T>(
        HttpContext context,
        T result,
        JsonTypeInfo<T> typeInfo,
        ResultInfo? resultInfo = null,
        IReadOnlyList<ApiMessage>? messages = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result, typeInfo);
            writer.WriteBoolean("success", true);
            writer.WritePropertyName("errors");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WritePropertyName("messages");
            JsonSerializer.Serialize(writer, messages ?? [], ApiJsonContext.Default.IReadOnlyListApiMessage);
            if (resultInfo is not null)
            {
                writer.WritePropertyName("result_info");
                JsonSerializer.Serialize(writer, resultInfo, ApiJsonContext.Default.ResultInfo);
            }

            writer.WriteEndObject();
        }

        return WriteAsync(context, StatusCodes.Status200OK, buffer.WrittenMemory);
    }

    /// <summary>A cursor-paged list (rulesets): result_info carries the next page's cursor, absent on the last page.</summary>
    public static Task WriteSuccessWithCursorAsync<T>(HttpContext context, T result, JsonTypeInfo<T> typeInfo, string? nextCursor, int perPage)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result, typeInfo);
            writer.WriteBoolean("success", true);
            writer.WritePropertyName("errors");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WritePropertyName("messages");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WritePropertyName("result_info");
            writer.WriteStartObject();
            if (nextCursor is not null)
            {
                writer.WriteString("cursor", nextCursor);
            }

            writer.WriteNumber("per_page", perPage);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return WriteAsync(context, StatusCodes.Status200OK, buffer.WrittenMemory);
    }

    /// <summary>A page-style list whose result_info has another shape than <see cref="ResultInfo"/> (token lists: no total_pages).</summary>
    public static Task WriteSuccessAsync<T, TInfo>(HttpContext context, T result, JsonTypeInfo<T> typeInfo, TInfo resultInfo, JsonTypeInfo<TInfo> infoType)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result, typeInfo);
            writer.WriteBoolean("success", true);
            writer.WritePropertyName("errors");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WritePropertyName("messages");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WritePropertyName("result_info");
            JsonSerializer.Serialize(writer, resultInfo, infoType);
            writer.WriteEndObject();
        }

        return WriteAsync(context, StatusCodes.Status200OK, buffer.WrittenMemory);
    }

    public static Task WriteFailureAsync(HttpContext context, ApiFailure failure)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNull("result");
            writer.WriteBoolean("success", false);
            writer.WritePropertyName("errors");
            JsonSerializer.Serialize(writer, failure.Errors, ApiJsonContext.Default.IReadOnlyListApiMessage);
            writer.WritePropertyName("messages");
            writer.WriteStartArray();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return WriteAsync(context, failure.Status, buffer.WrittenMemory);
    }

    private static async Task WriteAsync(HttpContext context, int status, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
