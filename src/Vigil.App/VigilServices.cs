using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Cloudflare;
using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Storage;

namespace Vigil.App;

/// <summary>
/// The services an operation needs over one organisation's store: the Cloudflare client, preflight, sync and the
/// evaluator. The CLI builds one per command, the server one per organisation it works on. Disposing it closes the store.
/// </summary>
public sealed class VigilServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private VigilServices(IVigilStore store, ServiceProvider provider, TimeProvider time)
    {
        Store = store;
        _provider = provider;
        Time = time;
    }

    public IVigilStore Store { get; }

    public TimeProvider Time { get; }

    public ConnectionPreflight Preflight => _provider.GetRequiredService<ConnectionPreflight>();

    public SyncService Sync => _provider.GetRequiredService<SyncService>();

    /// <summary>Member writes with a remediate credential (vigil review apply).</summary>
    public Cloudflare.Remediation.MemberRemediator Remediator => _provider.GetRequiredService<Cloudflare.Remediation.MemberRemediator>();

    /// <summary>Evaluates and stores the results; on a read-only home it evaluates without storing.</summary>
    public ComplianceEvaluator Evaluator => CheckEvaluation.Evaluator(Store, Time, line => Console.Error.WriteLine($"vigil: note: {line}"));

    /// <param name="logging">How log lines are written (the CLI sends them to stderr); null: no logging.</param>
    /// <param name="configure">Cloudflare client options (API base URL, budget); null: the defaults.</param>
    /// <param name="extra">More registrations, e.g. the scheduler's shared credential budget and request observer.</param>
    public static VigilServices Create(IVigilStore store, Action<ILoggingBuilder>? logging = null, Action<CloudflareOptions>? configure = null, TimeProvider? time = null,
        Action<IServiceCollection>? extra = null)
    {
        var services = new ServiceCollection();
        extra?.Invoke(services);
        services.AddLogging(builder => logging?.Invoke(builder));
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        services.AddSingleton<IConnectionStore>(store);
        services.AddSingleton<ISyncStore>(store);
        services.AddVigilCloudflare(configure);
        // Alert deliveries: their own client, no redirect followed (a webhook that redirects is refused, not chased).
        services.AddHttpClient(Vigil.App.Alerts.AlertService.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return new VigilServices(store, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), time ?? TimeProvider.System);
    }

    /// <summary>Alert channels, the alert rules run after each sync, deliveries and their log.</summary>
    public Alerts.AlertService Alerts => new(
        Store, Time, _provider.GetRequiredService<IHttpClientFactory>().CreateClient(Vigil.App.Alerts.AlertService.HttpClientName),
        logger: _provider.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil.Alerts"));

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Store.DisposeAsync();
    }
}
