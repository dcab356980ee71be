using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Vigil.Cloudflare.Tests.Support;

/// <summary>Keeps every formatted log line and every structured argument, to prove no secret is ever logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var arguments = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {arguments} | {exception}");
        }
    }
}
