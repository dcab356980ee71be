using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Cloudflare.Api;
using Vigil.Cloudflare.Pacing;
using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Sync;

namespace Vigil.Cloudflare;

public static class CloudflareServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Cloudflare client, the process-wide request budget, preflight and sync. Sync also needs an
    /// <see cref="Core.Storage.IConnectionStore"/> and an <see cref="Core.Storage.ISyncStore"/> (Vigil.Storage registers them).
    /// </summary>
    public static IServiceCollection AddVigilCloudflare(this IServiceCollection services, Action<CloudflareOptions>? configure = null)
    {
        var options = services.AddOptions<CloudflareOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CloudflareOptions>, CloudflareOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        // One budget for the whole process: every sync, preflight and connection draws on the same share of the limit.
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<CloudflareOptions>>().Value;
            return new RequestBudget(o.BudgetRequests, o.BudgetWindow, o.MaxRequestsPerSecond, sp.GetRequiredService<TimeProvider>());
        });
        // Redirects are never followed: a 3xx would resend the credential headers (X-Auth-Key survives a redirect) to
        // another address, or take another address's answer as Cloudflare's data. The client fails the request instead.
        services.AddHttpClient<CloudflareApiClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.TryAddTransient<ConnectionPreflight>();
        services.TryAddTransient<SyncService>();
        services.TryAddTransient<Remediation.MemberRemediator>();
        return services;
    }
}
