using System.Net;
using System.Text.RegularExpressions;
using Vigil.App.Users;
using Vigil.Core;
using Vigil.Core.Users;
using Vigil.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.Web.Tests;

/// <summary>
/// A real Vigil web server: Kestrel on a free loopback port over a throw-away SQLite home, as <c>vigil serve</c> starts
/// it. Each test class (or test) makes its own; dispose stops it and deletes the home.
/// </summary>
internal sealed partial class WebServerFixture : IAsyncDisposable
{
    private WebServerFixture(string home, IVigilStore store, VigilWebServer server)
    {
        Home = home;
        Store = store;
        Server = server;
        BaseUrl = new Uri(server.Addresses[0].TrimEnd('/') + "/");
    }

    public string Home { get; }

    /// <summary>The database the server runs on, bound to the default organisation.</summary>
    public IVigilStore Store { get; }

    public VigilWebServer Server { get; }

    public Uri BaseUrl { get; }

    public static async Task<WebServerFixture> StartAsync(SignInLimits? limits = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var home = Directory.CreateTempSubdirectory("vigil-web-test-").FullName;
        var store = await SqliteStore.OpenInHomeAsync(home, time ?? TimeProvider.System, CancellationToken.None);
        var server = VigilWebServer.Create(store, new ServeOptions { Urls = "http://127.0.0.1:0" }, new VigilWebHostOptions
        {
            Time = time ?? TimeProvider.System,
            SignInLimits = limits ?? new SignInLimits(),
            DataProtectionPath = Path.Combine(home, "web-keys"),
            ReportsHome = home,
            ConfigureServices = services,
        });
        await server.StartAsync(CancellationToken.None);
        return new WebServerFixture(home, store, server);
    }

    /// <summary>Adds a user to the default organisation (or <paramref name="store"/>'s) and returns their password.</summary>
    public async Task<string> AddUserAsync(string email, UserRole role, IVigilStore? store = null)
    {
        var (_, password) = await new UserAccounts(TimeProvider.System).AddAsync(store ?? Store, email, role, null, CancellationToken.None);
        return password!.Reveal();
    }

    public async Task<string> ApiKeyAsync(string email, IVigilStore? store = null) =>
        (await new UserAccounts(TimeProvider.System).CreateApiKeyAsync(store ?? Store, email, CancellationToken.None)).Reveal();

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests assert them).</summary>
    public HttpClient Client(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = BaseUrl,
        };

    /// <summary>Fetches the sign-in page for its anti-forgery token, then posts the form as a browser would.</summary>
    public async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var token = await FormTokenAsync(client, "signin");
        return await client.PostAsync("signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>A signed-in client (asserts the sign-in succeeded).</summary>
    public async Task<HttpClient> SignedInClientAsync(string email, string password)
    {
        var client = Client();
        var response = await SignInAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The anti-forgery token of the form on <paramref name="path"/>.</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"no anti-forgery token on {path}");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
