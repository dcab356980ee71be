using Spectre.Console;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Sync;

namespace Vigil.Cli.Output;

/// <summary>
/// Shows sync progress: a live status line on a terminal, plain log lines (to stderr, at most every few seconds and on
/// each stage change) otherwise. When the request budget paces the sync it says so, with the time left, rather than look stuck.
/// </summary>
internal sealed class SyncProgressDisplay : IProgress<SyncProgress>
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private readonly bool _interactive;
    private readonly Lock _gate = new();
    private SyncProgress? _latest;
    private SyncStageKind? _lastPlainStage;
    private DateTimeOffset _lastPlainAt;

    public SyncProgressDisplay(bool interactive) => _interactive = interactive;

    public void Report(SyncProgress value)
    {
        lock (_gate)
        {
            _latest = value;
            if (_interactive)
            {
                return;
            }
            var now = TimeProvider.System.GetUtcNow();
            if (_lastPlainStage != value.Stage || now - _lastPlainAt >= PlainInterval)
            {
                _lastPlainStage = value.Stage;
                _lastPlainAt = now;
                Console.Error.WriteLine($"{now:HH:mm:ss} sync: {Describe(value)}");
            }
        }
    }

    /// <summary>Runs <paramref name="work"/>; on a terminal, with a spinner showing the latest progress.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!_interactive)
        {
            return await work();
        }
        return await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync("connecting to Cloudflare...", async context =>
        {
            var task = work();
            while (!task.IsCompleted)
            {
                await Task.WhenAny(task, Task.Delay(150));
                SyncProgress? latest;
                lock (_gate)
                {
                    latest = _latest;
                }
                if (latest is not null)
                {
                    context.Status(Markup.Escape(Describe(latest)));
                }
            }
            return await task;
        });
    }

    /// <summary>A line written once a stage commits and its checks are evaluated.</summary>
    public static void StageCommitted(SyncStageKind stage, string evaluated)
    {
        var line = $"{Render.Lower(stage)} stage committed; {evaluated}";
        if (Console.IsErrorRedirected || !Render.IsInteractive)
        {
            Console.Error.WriteLine($"{TimeProvider.System.GetUtcNow():HH:mm:ss} sync: {line}");
        }
        else
        {
            AnsiConsole.MarkupLine($"[green]✓[/] {Markup.Escape(line)}");
        }
    }

    internal static string Describe(SyncProgress p)
    {
        var parts = new List<string> { $"{Render.Lower(p.Stage)} stage ({p.ConnectionName})" };
        if (p.Stage == SyncStageKind.Access)
        {
            parts.Add($"accounts {p.AccountsDone}/{p.AccountsTotal}");
            parts.Add($"members {p.Members}");
        }
        else
        {
            parts.Add($"zones {p.ZonesDone}/{p.ZonesTotal}");
        }
        parts.Add($"{p.ApiCalls} API calls");
        if (p.PacedByRateLimit)
        {
            var left = p.EstimatedTimeLeft is { } t ? $", about {Math.Ceiling(t.TotalMinutes):0} min left" : "";
            parts.Add($"paced by the Cloudflare rate-limit budget{left}");
        }
        return string.Join(", ", parts);
    }
}
