using Microsoft.Extensions.Logging;
using Vigil.App;
using Vigil.Cloudflare;

namespace Vigil.Cli;

/// <summary>Opens the services a command that talks to Cloudflare needs, over the store of the selected organisation.</summary>
internal static class CliServices
{
    /// <param name="time">The clock of the services; null: the system clock (the demo passes one it sets back to lay down its history).</param>
    public static async Task<VigilServices> StartAsync(CancellationToken ct, Action<CloudflareOptions>? configure = null, TimeProvider? time = null)
    {
        var store = await CliStore.OpenAsync(ct);
        return VigilServices.Create(store, Logging, configure, time);
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
