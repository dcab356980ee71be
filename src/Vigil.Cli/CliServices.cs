using Microsoft.Extensions.Logging;
using Vigil.App;
using Vigil.Cloudflare;

namespace Vigil.Cli;

/// <summary>Opens the services a command that talks to Cloudflare needs, over the store of the selected organisation.</summary>
internal static class CliServices
{
    public static async Task<VigilServices> StartAsync(CancellationToken ct, Action<CloudflareOptions>? configure = null)
    {
        var store = await CliStore.OpenAsync(ct);
        return VigilServices.Create(store, Logging, configure);
    }

    private static void Logging(ILoggingBuilder logging) => logging
        .SetMinimumLevel(Environment.GetEnvironmentVariable("VIGIL_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Warning)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        })
        // Log lines go to stderr so that --format json on stdout stays parseable.
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}
