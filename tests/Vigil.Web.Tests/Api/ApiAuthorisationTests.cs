using System.Net;
using System.Text;
using Vigil.Core.Users;

namespace Vigil.Web.Tests.Api;

/// <summary>One server for the authorisation matrix: nobody is signed in, or a viewer is (neither can change anything).</summary>
public sealed class ApiServer : IAsyncLifetime
{
    private readonly List<string> _seen = [];

    internal WebServerFixture Web { get; private set; } = null!;
    internal ApiClient Viewer { get; private set; } = null!;
    internal ApiClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Web = await WebServerFixture.StartAsync();
        await Web.AddUserAsync("auditor@example.com", UserRole.Viewer);
        Viewer = ApiClient.For(Web, await Web.ApiKeyAsync("auditor@example.com"), _seen);
        Anonymous = ApiClient.For(Web, null, _seen);
    }

    public async Task DisposeAsync()
    {
        Viewer.Dispose();
        Anonymous.Dispose();
        await Web.DisposeAsync();
    }
}

/// <summary>Every /api/v1 endpoint: 401 without a session or key; a viewer reads (never 401/403) and changes nothing (403).</summary>
public sealed class ApiAuthorisationTests(ApiServer server) : IClassFixture<ApiServer>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "api/v1/connections" }, { "POST", "api/v1/connections" }, { "POST", "api/v1/connections/cloudflare/test" }, { "DELETE", "api/v1/connections/cloudflare" },
        { "GET", "api/v1/syncs" }, { "POST", "api/v1/syncs" }, { "GET", "api/v1/syncs/some-run" },
        { "GET", "api/v1/checks" }, { "GET", "api/v1/findings" }, { "GET", "api/v1/zones" }, { "GET", "api/v1/zones/shop.example" },
        { "GET", "api/v1/members" }, { "GET", "api/v1/members/acc/member" }, { "GET", "api/v1/mappings" },
        { "PUT", "api/v1/mappings/a@example.com" }, { "DELETE", "api/v1/mappings/a@example.com" },
        { "GET", "api/v1/people" }, { "POST", "api/v1/people/import" },
        { "GET", "api/v1/settings" }, { "PUT", "api/v1/settings/offboarding_grace_days" },
        { "GET", "api/v1/systems" }, { "PUT", "api/v1/systems/cloudflare" }, { "PUT", "api/v1/systems/cloudflare/roles/sre" },
        { "GET", "api/v1/accounts" }, { "PUT", "api/v1/accounts/acc/sso" }, { "DELETE", "api/v1/accounts/acc/sso" },
        { "POST", "api/v1/reviews" }, { "GET", "api/v1/reviews" }, { "GET", "api/v1/reviews/c1" }, { "POST", "api/v1/reviews/c1/decisions" },
        { "POST", "api/v1/reviews/c1/decisions/bulk" }, { "POST", "api/v1/reviews/c1/reassign" }, { "POST", "api/v1/reviews/c1/complete" },
        { "POST", "api/v1/reviews/c1/apply" },
        { "POST", "api/v1/reports" }, { "GET", "api/v1/reports" }, { "GET", "api/v1/reports/key" }, { "GET", "api/v1/reports/0123456789abcdef0123456789abcdef" },
        { "GET", "api/v1/reports/0123456789abcdef0123456789abcdef/file" }, { "GET", "api/v1/reports/0123456789abcdef0123456789abcdef/manifest" },
        { "POST", "api/v1/reports/verify" },
        { "GET", "api/v1/history" }, { "GET", "api/v1/diff" },
    };

    /// <summary>POSTs that change nothing, so that a viewer may make them: checking a report against its manifest.</summary>
    private static readonly HashSet<string> ReadingPosts = ["api/v1/reports/verify"];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_answers_401_without_a_session_or_key(string method, string path)
    {
        var (status, problem, response) = await server.Anonymous.SendAsync(new HttpMethod(method), path, content: Body(method, path));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_viewer_reads_but_changes_nothing(string method, string path)
    {
        var (status, _, _) = await server.Viewer.SendAsync(new HttpMethod(method), path, content: Body(method, path));
        if (method == "GET" || ReadingPosts.Contains(path))
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, status);
            Assert.NotEqual(HttpStatusCode.Unauthorized, status);
            Assert.True((int)status < 500, $"{method} {path}: {status}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, status);
        }
    }

    [Fact]
    public async Task The_openapi_document_needs_sign_in_too()
    {
        var (status, _, _) = await server.Anonymous.GetAsync("openapi/v1.json");
        Assert.Contains(status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Redirect });
        Assert.Equal(HttpStatusCode.OK, (await server.Viewer.GetAsync("openapi/v1.json")).Status);
    }

    /// <summary>
    /// The audit of "API tests for every endpoint, including authorisation": every operation the OpenAPI document lists
    /// answers 401 without a session or key, and is in <see cref="Endpoints"/>, so that the viewer matrix above covers
    /// it too (a new endpoint without an entry there fails here).
    /// </summary>
    [Fact]
    public async Task Every_operation_in_the_openapi_document_is_in_the_matrix_and_refuses_the_unauthenticated()
    {
        var (status, document, _) = await server.Viewer.GetAsync("openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, status);
        var operations = new List<(string Method, string Template)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                operations.Add((operation.Name.ToUpperInvariant(), path.Name));
            }
        }
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the document");

        var matrix = Endpoints.Select(row => ((string)row[0], (string)row[1])).ToList();
        var uncovered = new List<string>();
        foreach (var (method, template) in operations)
        {
            var pattern = new System.Text.RegularExpressions.Regex(
                "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(template.TrimStart('/')), @"\\{[^/]+?\}", "[^/]+") + "$");
            if (!matrix.Any(m => m.Item1 == method && pattern.IsMatch(m.Item2)))
            {
                uncovered.Add($"{method} {template}");
            }

            var concrete = System.Text.RegularExpressions.Regex.Replace(template.TrimStart('/'), @"\{[^/]+?\}", "sample");
            var (anonymous, _, response) = await server.Anonymous.SendAsync(new HttpMethod(method), concrete, content: Body(method, concrete));
            Assert.True(anonymous == HttpStatusCode.Unauthorized, $"{method} {template}: {anonymous} without credentials");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.True(uncovered.Count == 0, "endpoints in the OpenAPI document that the authorisation matrix does not test: " + string.Join(", ", uncovered));
        // And the other way round: nothing in the matrix that the document does not describe.
        Assert.All(matrix, m => Assert.Contains(operations, o => o.Method == m.Item1
            && System.Text.RegularExpressions.Regex.IsMatch(m.Item2, "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(o.Template.TrimStart('/')), @"\\{[^/]+?\}", "[^/]+") + "$")));
    }

    // Each endpoint gets the content type it accepts, so that the refusal comes from authorisation, not from the media type.
    private static HttpContent? Body(string method, string path) =>
        method is "GET" or "DELETE" ? null
        : path.EndsWith("/import", StringComparison.Ordinal) ? new MultipartFormDataContent { { new StringContent("email,name\n"), "file", "staff.csv" } }
        : path.EndsWith("/bulk", StringComparison.Ordinal) ? new StringContent("member_email,account_id,decision,role,comment\n", Encoding.UTF8, "text/csv")
        : new StringContent("{}", Encoding.UTF8, "application/json");
}
