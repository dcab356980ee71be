using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vigil.Simulation;

/// <summary>
/// A loopback-only server that answers like the Cloudflare v4 API under /client/v4, serving a <see cref="Scenario"/>.
/// </summary>
public sealed class CloudflareSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorState _state;

    private CloudflareSimulator(WebApplication app, SimulatorState state, string baseUrl, SimulatorStats stats, FaultInjector faults)
    {
        _app = app;
        _state = state;
        BaseUrl = baseUrl;
        Stats = stats;
        Faults = faults;
    }

    /// <summary>"http://127.0.0.1:{port}/client/v4", without a trailing slash.</summary>
    public string BaseUrl { get; }

    public Scenario Scenario => _state.Scenario;

    public SimulatorStats Stats { get; }

    public FaultInjector Faults { get; }

    public static async Task<CloudflareSimulator> StartAsync(Scenario scenario, SimulatorOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new SimulatorOptions();
        scenario.Validate();
        var state = new SimulatorState(scenario, options);
        var stats = new SimulatorStats();
        var faults = new FaultInjector();
        var pipeline = new RequestPipeline(state, stats, faults);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Embedded in a test host or a CLI, the simulator must not take over Ctrl+C and SIGTERM.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        app.UseRouting();
        app.Use(pipeline.InvokeAsync);
        new AccountEndpoints(state, pipeline.Authenticator).Map(app);
        new ZoneEndpoints(state).Map(app);
        new RulesetEndpoints(state).Map(app);
        new ProtectionEndpoints(state).Map(app);
        new UserEndpoints(pipeline.Authenticator).Map(app);
        await app.StartAsync(ct).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new CloudflareSimulator(app, state, $"http://127.0.0.1:{port}/client/v4", stats, faults);
    }

    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Makes a token unknown from now on, as if deleted mid-sync.</summary>
    public void RevokeToken(string tokenValue)
    {
        ArgumentNullException.ThrowIfNull(tokenValue);
        _state.Revoke(tokenValue);
    }

    /// <summary>
    /// Test hook (in process, no HTTP endpoint): removes a membership from an account, as an admin would in the
    /// dashboard, so that the next sync no longer sees it. Returns the removed member, or null when there was none.
    /// </summary>
    public ScenarioMember? RemoveMember(string accountId, string memberId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(memberId);
        return _state.RemoveMember(accountId, memberId);
    }

    /// <summary>Test hook (in process, no HTTP endpoint): adds a membership to an account, e.g. to bring a removed one back.</summary>
    public void AddMember(string accountId, ScenarioMember member)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(member);
        _state.AddMember(accountId, member);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
