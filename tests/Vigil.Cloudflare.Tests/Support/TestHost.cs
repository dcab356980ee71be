using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Storage;

namespace Vigil.Cloudflare.Tests.Support;

/// <summary>The composition the CLI uses (AddVigilCloudflare), with fast retries, in-memory stores and captured logs.</summary>
internal sealed class TestHost : IDisposable
{
    private readonly ServiceProvider _services;

    public TestHost(string baseUrl, Action<CloudflareOptions>? configure = null, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddVigilCloudflare(o =>
        {
            o.BaseUrl = baseUrl;
            o.MaxRequestsPerSecond = 200;
            // The whole catalogue costs about a dozen calls a zone; tests of the budget itself set their own.
            o.BudgetRequests = 5000;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(20);
            o.RequestTimeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(o);
        });
        if (handler is not null)
        {
            services.AddHttpClient<CloudflareApiClient>().ConfigurePrimaryHttpMessageHandler(() => handler);
        }
        services.AddSingleton<IConnectionStore>(Connections);
        services.AddSingleton<ISyncStore>(Store);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public CapturingLoggerProvider Logs { get; } = new();

    public InMemoryConnectionStore Connections { get; } = new();

    public InMemorySyncStore Store { get; } = new();

    public CloudflareApiClient Client => _services.GetRequiredService<CloudflareApiClient>();

    public SyncService Sync => _services.GetRequiredService<SyncService>();

    public ConnectionPreflight Preflight => _services.GetRequiredService<ConnectionPreflight>();

    public void Dispose() => _services.Dispose();
}
