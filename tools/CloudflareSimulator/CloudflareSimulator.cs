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
        new AuditLogEndpoints(state).Map(app);
        if (options.ControlApi)
        {
            new ControlEndpoints(state).Map(app);
        }
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
    /// dashboard (with its audit log entry), so that the next sync no longer sees it. Returns the removed member, or null when there was none.
    /// </summary>
    public ScenarioMember? RemoveMember(string accountId, string memberId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(memberId);
        // As in the dashboard, the removal is recorded in the account's audit log.
        var member = _state.AccountsById.GetValueOrDefault(accountId)?.Members.FirstOrDefault(m => m.Id == memberId);
        if (member is not null)
        {
            _state.RemoveMemberLogged(accountId, memberId, log: true);
        }
        return member;
    }

    /// <summary>Test hook (in process, no HTTP endpoint): adds a membership to an account, e.g. to bring a removed one back.</summary>
    public void AddMember(string accountId, ScenarioMember member)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(member);
        _state.AddMemberLogged(accountId, member, log: true); // logged, as the dashboard would
    }

    /// <summary>The control API's base URL ("http://127.0.0.1:{port}/__control"); it answers only when <see cref="SimulatorOptions.ControlApi"/> is set.</summary>
    public string ControlUrl => BaseUrl[..^Handlers.Prefix.Length] + ControlEndpoints.Prefix;

    /// <summary>Audit log entries recorded so far, every account.</summary>
    public int AuditLogCount => _state.AuditLog.Count;

    /// <summary>Test hook: sets a zone setting, with an audit log entry when <paramref name="log"/>.</summary>
    public SimAuditEntry? SetZoneSetting(string zoneId, string setting, string value, bool log = true, string? actor = null) =>
        _state.SetZoneSetting(zoneId, setting, value, log, actor);

    /// <summary>Test hook: orders an edge certificate pack for a zone, with an audit log entry when <paramref name="log"/>.</summary>
    public SimAuditEntry? OrderCertificatePack(string zoneId, ScenarioCertificatePack pack, bool log = true, string? actor = null) =>
        _state.OrderCertificatePack(zoneId, pack, log, actor);

    /// <summary>Test hook: adds a zone to an account.</summary>
    public SimAuditEntry? AddZone(string accountId, ScenarioZone zone, bool log = true, string? actor = null) => _state.AddZone(accountId, zone, log, actor);

    /// <summary>Test hook: removes a zone.</summary>
    public SimAuditEntry? RemoveZone(string zoneId, bool log = true, string? actor = null) => _state.RemoveZone(zoneId, log, actor);

    /// <summary>Test hook: adds a membership, with an audit log entry when <paramref name="log"/>.</summary>
    public SimAuditEntry? AddMember(string accountId, ScenarioMember member, bool log, string? actor = null) => _state.AddMemberLogged(accountId, member, log, actor);

    /// <summary>Test hook: removes a membership, with an audit log entry when <paramref name="log"/>.</summary>
    public SimAuditEntry? RemoveMember(string accountId, string memberId, bool log, string? actor = null) => _state.RemoveMemberLogged(accountId, memberId, log, actor);

    /// <summary>Test hook: replaces a membership's roles.</summary>
    public SimAuditEntry? SetMemberRoles(string accountId, string memberId, IReadOnlyList<string> roleIds, bool log = true, string? actor = null) =>
        _state.SetMemberRoles(accountId, memberId, roleIds, log, actor);

    /// <summary>Test hook: turns the rules of a zone's phase entrypoint on or off.</summary>
    public SimAuditEntry? SetZoneRuleEnabled(string zoneId, string phase, bool enabled, bool log = true, string? actor = null) =>
        _state.SetZoneRuleEnabled(zoneId, phase, enabled, log, actor);

    /// <summary>Test hook: records an audit log entry as given (its id and time are the simulator's).</summary>
    public SimAuditEntry RecordAuditEntry(SimAuditEntry entry) => _state.RecordRaw(entry);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
