using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vigil.Simulation;

/// <summary>
/// A loopback-only server that answers like the Cloudflare v4 API under /client/v4, serving a <see cref="Scenario"/>.
/// </summary>
public sealed class CloudflareSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CloudflareSimulator(WebApplication app, Scenario scenario, string baseUrl, SimulatorStats stats, FaultInjector faults)
    {
        _app = app;
        Scenario = scenario;
        BaseUrl = baseUrl;
        Stats = stats;
        Faults = faults;
    }

    /// <summary>"http://127.0.0.1:{port}/client/v4", without a trailing slash.</summary>
    public string BaseUrl { get; }

    public Scenario Scenario { get; }

    public SimulatorStats Stats { get; }

    public FaultInjector Faults { get; }

    public static async Task<CloudflareSimulator> StartAsync(Scenario scenario, SimulatorOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new SimulatorOptions();
        scenario.Validate();
        var stats = new SimulatorStats();
        var faults = new FaultInjector();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        app.Run(static context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync(ct).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new CloudflareSimulator(app, scenario, $"http://127.0.0.1:{port}/client/v4", stats, faults);
    }

    /// <summary>Makes a token unknown from now on, as if deleted mid-sync.</summary>
    public void RevokeToken(string tokenValue)
    {
        ArgumentNullException.ThrowIfNull(tokenValue);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
