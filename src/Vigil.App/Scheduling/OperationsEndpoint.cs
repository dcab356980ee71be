using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;
using Vigil.Storage;

namespace Vigil.App.Scheduling;

/// <summary>
/// <c>vigil worker --metrics-urls URL</c>: a small Kestrel host with <c>GET /health</c> (200 when the database answers,
/// else 503) and <c>GET /metrics</c> (Prometheus text format, prometheus-net). <c>vigil serve</c> maps the same two
/// routes into its own host with <see cref="Map"/>.
/// </summary>
public sealed class OperationsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperationsEndpoint(WebApplication app) => _app = app;

    /// <summary>The addresses Kestrel listens on (the real port when the URL asked for port 0).</summary>
    public IReadOnlyList<string> Urls => [.. _app.Urls];

    /// <param name="urls">Kestrel URLs, separated by ';' (e.g. http://127.0.0.1:9464).</param>
    public static async Task<OperationsEndpoint> StartAsync(string urls, VigilMetrics metrics, IVigilStore database, ILoggerFactory logging, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logging);
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        Map(app, metrics, database);
        await app.StartAsync(ct);
        return new OperationsEndpoint(app);
    }

    /// <summary>Maps <c>/health</c> and <c>/metrics</c> into a host.</summary>
    public static void Map(WebApplication app, VigilMetrics metrics, IVigilStore database)
    {
        app.MapGet("/health", async (CancellationToken ct) =>
        {
            try
            {
                await database.ListOrganisationsAsync(ct);
                return Results.Text("healthy\n", "text/plain", statusCode: StatusCodes.Status200OK);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Text("unhealthy: the Vigil database does not answer\n", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapMetrics("/metrics", metrics.Registry);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
