using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vigil.Web.Tests.Api;

/// <summary>
/// An API client signed in with a Bearer key that keeps every response body it received, so a test can search them
/// all (e.g. for a credential that must never come back).
/// </summary>
internal sealed class ApiClient(HttpClient http, List<string> seen) : IDisposable
{
    public HttpClient Http { get; } = http;

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, object? json = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json");
        }
        else if (content is not null)
        {
            request.Content = content;
        }

        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        lock (seen)
        {
            seen.Add($"{method} {path} -> {(int)response.StatusCode} {response.Headers}{response.Content.Headers}\n{text}");
        }

        var body = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response.StatusCode, body, response);
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, object? json = null) => SendAsync(HttpMethod.Post, path, json);

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PutAsync(string path, object json) => SendAsync(HttpMethod.Put, path, json);

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public static ApiClient For(WebServerFixture web, string? apiKey, List<string> seen)
    {
        var http = web.Client();
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return new ApiClient(http, seen);
    }

    public void Dispose() => Http.Dispose();
}
