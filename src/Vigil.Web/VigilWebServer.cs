using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Vigil.App.Users;
using Vigil.Storage;
using Vigil.Web.Api;
using Vigil.Web.Security;

namespace Vigil.Web;

/// <summary>What a host adds to the server: the scheduler's services, extra endpoints, limits, time.</summary>
public sealed class VigilWebHostOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Registers more services (e.g. the scheduler's hosted service) before the app is built.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Maps more endpoints (e.g. /metrics) after Vigil's own; they need sign-in unless marked anonymous.</summary>
    public Action<WebApplication>? ConfigureApp { get; init; }

    public SignInLimits SignInLimits { get; init; } = new();

    /// <summary>
    /// Where the keys that protect session cookies and anti-forgery tokens are kept (default: web-keys in the Vigil home),
    /// so sessions survive a restart. Several servers over one PostgreSQL database share this folder (or sign in again).
    /// </summary>
    public string? DataProtectionPath { get; init; }

    /// <summary>The lowest log level written to the console (default Warning).</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>
    /// The Vigil home whose report signing key signs the reports the web app generates, and whose <c>reports</c> folder
    /// keeps them (default: the Vigil home, as <c>vigil report</c> uses). Several servers over one PostgreSQL database
    /// share it, as they share <see cref="DataProtectionPath"/>.
    /// </summary>
    public string? ReportsHome { get; init; }
}

/// <summary>
/// The web app over one Vigil database: sign-in, the pages, the REST API and /health on Kestrel. <c>vigil serve</c>,
/// <c>vigil demo --serve</c> and the tests start it the same way; it never opens or disposes the store it is given.
/// </summary>
public sealed class VigilWebServer : IAsyncDisposable
{
    private readonly IReadOnlyList<ListenUrl> _urls;

    private VigilWebServer(WebApplication app, IReadOnlyList<ListenUrl> urls)
    {
        App = app;
        _urls = urls;
    }

    /// <summary>The ASP.NET Core application (services, endpoints).</summary>
    public WebApplication App { get; }

    /// <summary>The addresses Kestrel bound (with the real port when 0 was asked for); known once started.</summary>
    public IReadOnlyList<string> Addresses =>
        App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>One line for the console: where it listens, and a warning when that is plain HTTP off loopback.</summary>
    public string Banner => ServeUrls.Describe(_urls, Addresses);

    /// <summary>Builds the server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <exception cref="App.InvalidRequestException">A URL, the HTTPS rule or the certificate is wrong (the message says how to fix it).</exception>
    public static VigilWebServer Create(IVigilStore store, ServeOptions options, VigilWebHostOptions? host = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        host ??= new VigilWebHostOptions();
        var urls = ServeUrls.Parse(options.Urls);
        ServeUrls.Validate(urls, options);
        var certificate = urls.Any(u => u.Https) ? ServeUrls.LoadCertificate(options) : null;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(VigilWebServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(host.MinimumLogLevel);
        // The key folder is private to the Vigil user (mode 0700), like the master key file beside it.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var url in urls)
            {
                void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
                {
                    if (url.Https)
                    {
                        listen.UseHttps(certificate!);
                    }
                }

                if (url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                {
                    kestrel.ListenLocalhost(url.Port, Listen);
                }
                else if (url.Host is "0.0.0.0")
                {
                    kestrel.ListenAnyIP(url.Port, Listen);
                }
                else
                {
                    kestrel.Listen(System.Net.IPAddress.Parse(url.Host), url.Port, Listen);
                }
            }
        });

        ConfigureServices(builder.Services, store, host);
        host.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        Configure(app);
        host.ConfigureApp?.Invoke(app);
        return new VigilWebServer(app, urls);
    }

    public Task StartAsync(CancellationToken ct) => App.StartAsync(ct);

    /// <summary>Runs until <paramref name="ct"/> is cancelled (Ctrl+C in the CLI), then stops gracefully.</summary>
    public async Task RunUntilCancelledAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(grace.Token);
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();

    private static void ConfigureServices(IServiceCollection services, IVigilStore store, VigilWebHostOptions host)
    {
        services.AddSingleton(host.Time);
        services.AddSingleton(new RootStore(store));
        services.AddSingleton(new UserAccounts(host.Time));
        services.AddSingleton(host.SignInLimits);
        services.AddSingleton<AccountSignInThrottle>();
        services.AddSingleton<App.BackgroundSyncs>();
        services.AddSingleton(new WebReports(host.ReportsHome));
        services.AddHttpContextAccessor();
        var keys = new DirectoryInfo(host.DataProtectionPath ?? Path.Combine(VigilHome.Resolve(), "web-keys"));
        if (!keys.Exists)
        {
            keys.Create();
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        services.AddDataProtection().SetApplicationName("vigil").PersistKeysToFileSystem(keys);
        // The signed-in user's organisation: every page and API handler works on this view only.
        services.AddScoped<IVigilStore>(provider =>
        {
            var user = provider.GetRequiredService<IHttpContextAccessor>().HttpContext?.User;
            if (user?.Identity?.IsAuthenticated != true)
            {
                throw new InvalidOperationException("the organisation's store is only available to a signed-in request");
            }

            return provider.GetRequiredService<RootStore>().Store.ForOrganisation(user.Organisation());
        });

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = VigilSchemes.Default;
                o.DefaultChallengeScheme = VigilSchemes.Default;
            })
            .AddPolicyScheme(VigilSchemes.Default, "Session cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? VigilSchemes.ApiKey : VigilSchemes.Cookie)
            .AddCookie(VigilSchemes.Cookie, o =>
            {
                o.Cookie.Name = "vigil_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/forbidden";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden),
                    OnValidatePrincipal = ValidateSessionAsync,
                };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(VigilSchemes.ApiKey, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(VigilPolicies.Viewer, p => p.RequireRole("admin", "reviewer", "viewer"))
            .AddPolicy(VigilPolicies.Reviewer, p => p.RequireRole("admin", "reviewer"))
            .AddPolicy(VigilPolicies.Admin, p => p.RequireRole("admin"));

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "vigil_csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "X-CSRF-TOKEN";
            o.FormFieldName = "__RequestVerificationToken";
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/signin", StringComparison.OrdinalIgnoreCase)
                    ? RateLimitPartition.GetFixedWindowLimiter("address:" + context.Connection.RemoteIpAddress, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = host.SignInLimits.PerAddressPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address; wait a minute and try again.", ct);
            };
        });

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only a proxy on this machine (the default known proxies: loopback) may say the client used HTTPS.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        });

        services.AddRazorPages(o =>
            {
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.AuthorizeFolder("/", VigilPolicies.Viewer);
            })
            .AddApplicationPart(typeof(VigilWebServer).Assembly);
        services.AddProblemDetails();
        services.AddVigilApi();
        services.AddVigilOpenApi();
    }

    private static void Configure(WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseVigilSecurityHeaders();
        app.UseStatusCodePages(async context =>
        {
            // Plain pages for 403/404 in the browser. The API's handlers write their own problem details; what reaches
            // here from the API without a body (the sign-in challenge's 401, a role's 403, an unknown route's 404) gets one too.
            var response = context.HttpContext.Response;
            if (response.ContentLength is not null || !string.IsNullOrEmpty(response.ContentType))
            {
                return;
            }
            if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
            {
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = response.StatusCode,
                        Detail = response.StatusCode switch
                        {
                            StatusCodes.Status401Unauthorized => "Sign in first: send an API key as 'Authorization: Bearer KEY' (vigil users api-key EMAIL).",
                            StatusCodes.Status403Forbidden => "Your role does not allow this.",
                            StatusCodes.Status404NotFound => "There is no such API resource.",
                            _ => null,
                        },
                    },
                });
            }
            else
            {
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(response.StatusCode switch
                {
                    StatusCodes.Status403Forbidden => "403: your role does not allow this.",
                    StatusCodes.Status404NotFound => "404: there is no such page.",
                    _ => $"{response.StatusCode}",
                });
            }
        });
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseVigilApiAntiforgery();

        app.MapGet("/health", HealthAsync).AllowAnonymous();
        StaticAssets.Map(app);
        app.MapRazorPages();
        app.MapGroup("/api/v1")
            .RequireAuthorization(VigilPolicies.Viewer)
            .MapVigilApi();
        app.MapVigilOpenApi();
    }

    private static async Task<IResult> HealthAsync(RootStore root, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await root.Store.ListOrganisationsAsync(timeout.Token);
            return Results.Json(new HealthResponse("ok", root.Store.Engine));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return Results.Json(new HealthResponse("unavailable", root.Store.Engine), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>GET /health: whether the store answers.</summary>
    private sealed record HealthResponse(string Status, string Store);

    // The API and anything a script fetches get a status code; pages get the sign-in redirect.
    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || status == StatusCodes.Status403Forbidden)
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    // Each request re-reads the user: a removed user, or one whose password was reset, is signed out at once.
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var root = context.HttpContext.RequestServices.GetRequiredService<RootStore>();
        if (principal?.Identity?.IsAuthenticated == true)
        {
            await using var view = root.Store.ForOrganisation(principal.Organisation());
            var user = await UserAccounts.Users(view).FindUserAsync(principal.Email(), context.HttpContext.RequestAborted);
            if (user is not null && user.SecurityStamp == principal.FindFirst(VigilClaims.SecurityStamp)?.Value
                && Core.Users.WebUser.RoleName(user.Role) == principal.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value)
            {
                return;
            }
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(VigilSchemes.Cookie);
    }
}
