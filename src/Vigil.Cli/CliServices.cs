using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Cloudflare;
using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Checks;
using Vigil.Core.Storage;
using Vigil.Storage;

namespace Vigil.Cli;

/// <summary>The services one command needs that talks to Cloudflare: the store, the client, preflight and sync.</summary>
internal sealed class CliServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private CliServices(IVigilStore store, ServiceProvider provider)
    {
        Store = store;
        _provider = provider;
    }

    public IVigilStore Store { get; }

    public ConnectionPreflight Preflight => _provider.GetRequiredService<ConnectionPreflight>();

    public SyncService Sync => _provider.GetRequiredService<SyncService>();

    public ComplianceEvaluator Evaluator => CliStore.Evaluator(Store);

    public static async Task<CliServices> StartAsync(CancellationToken ct, Action<CloudflareOptions>? configure = null)
    {
        var store = await CliStore.OpenAsync(ct);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(Environment.GetEnvironmentVariable("VIGIL_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Warning)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            })
            // Log lines go to stderr so that --format json on stdout stays parseable.
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton<IConnectionStore>(store);
        services.AddSingleton<ISyncStore>(store);
        services.AddVigilCloudflare(configure);
        return new CliServices(store, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Store.DisposeAsync();
    }
}
