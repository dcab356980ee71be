using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.App;
using Vigil.Storage;

namespace Vigil.Web.Api;

/// <summary>What every endpoint needs from its request: the organisation's store, the caller, the clock, a JSON body.</summary>
internal static class ApiRequest
{
    /// <summary>The API's JSON: snake_case field names, enums as snake_case strings, nulls written.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    /// <summary>The signed-in organisation's store (see <see cref="ApiStore"/>).</summary>
    public static IVigilStore Store(HttpContext http) => ApiStore.Of(http);

    /// <summary>The caller's email: the user the cookie or API key signs in.</summary>
    public static string Email(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.FindFirstValue(ClaimTypes.Name) ?? user.Identity?.Name ?? "";

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(ApiRoles.Admin);

    public static TimeProvider Time(HttpContext http) => http.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>Reads the body as <typeparamref name="T"/>; a body that is not valid JSON for it is a 400 naming the field.</summary>
    public static async Task<T> BodyAsync<T>(HttpContext http, CancellationToken ct) where T : class
    {
        if (http.Request.ContentLength == 0 || http.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new InvalidRequestException("send a JSON body (Content-Type: application/json)", "body");
        }

        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options, ct)
                ?? throw new InvalidRequestException("the body is empty", "body");
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 1 } path ? path.TrimStart('$').TrimStart('.') : "body";
            throw new InvalidRequestException($"the body is not valid for this request{(field.Length > 0 && field != "body" ? $" at '{field}'" : "")}", field.Length > 0 ? field : "body");
        }
    }
}

/// <summary>The roles of local users, as their claims carry them.</summary>
internal static class ApiRoles
{
    public const string Admin = "admin";
    public const string Reviewer = "reviewer";
    public const string Viewer = "viewer";
}
