using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Vigil.Core.Users;

namespace Vigil.Web.Tests.Api;

/// <summary>
/// The OpenAPI document the server serves at /openapi/v1.json is the one committed at src/Vigil.Web/Api/openapi-v1.json.
/// After changing the API, regenerate the copy with
/// <c>VIGIL_UPDATE_OPENAPI=1 dotnet test tests/Vigil.Web.Tests --filter FullyQualifiedName~OpenApiDocumentTests</c>
/// and commit it.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_served_document_matches_the_committed_copy()
    {
        await using var web = await WebServerFixture.StartAsync();
        await web.AddUserAsync("viewer@example.com", UserRole.Viewer);
        using var client = web.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await web.ApiKeyAsync("viewer@example.com"));

        var response = await client.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = Canonical(await response.Content.ReadAsStringAsync());
        var document = JsonDocument.Parse(served).RootElement;
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/findings", out _));
        Assert.False(document.GetProperty("paths").TryGetProperty("/health", out _));

        var path = CommittedPath();
        if (Environment.GetEnvironmentVariable("VIGIL_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path), $"{path} is missing; regenerate it (see this test's summary)");
        var committed = Canonical(await File.ReadAllTextAsync(path));
        Assert.True(committed == served,
            "the API changed but src/Vigil.Web/Api/openapi-v1.json did not: regenerate it with " +
            "VIGIL_UPDATE_OPENAPI=1 dotnet test tests/Vigil.Web.Tests --filter FullyQualifiedName~OpenApiDocumentTests, review the diff and commit it");
    }

    private static string Canonical(string json) =>
        JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";

    private static string CommittedPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Vigil.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Vigil.sln not found above the test's folder"), "src", "Vigil.Web", "Api", "openapi-v1.json");
    }
}
