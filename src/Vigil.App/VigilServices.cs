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
        return new VigilServices(store, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), time ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Store.DisposeAsync();
    }
}
