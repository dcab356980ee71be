using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.App.Tests.Support;

/// <summary>One POST as a <see cref="WebhookReceiver"/> received it.</summary>
internal sealed record ReceivedPost(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (HttpListener, a free port): records every request with its headers and raw body,
/// and answers each with the status the test chooses (by default 200).
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<ReceivedPost> _received = [];
    private readonly Func<int, int> _status;
    private readonly Task _loop;

    /// <param name="status">The status to answer the n-th request (1-based) with.</param>
    public WebhookReceiver(Func<int, int>? status = null)
    {
        _status = status ?? (_ => 200);
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>A URL whose path stands for a secret (as a Slack URL's does).</summary>
    public string Url(string path = "/hooks/T000/B000/XXXXsecretXXXX") => $"http://127.0.0.1:{Port}{path}";

    public IReadOnlyList<ReceivedPost> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (10 s at most).</summary>
    public async Task<IReadOnlyList<ReceivedPost>> WaitForAsync(int count)
    {
        for (var i = 0; i < 200 && Received.Count < count; i++)
        {
            await Task.Delay(50);
        }

        return Received;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            int n;
            lock (_received)
            {
                _received.Add(new ReceivedPost(context.Request.Url!.AbsolutePath, headers, body.ToArray()));
                n = _received.Count;
            }

            context.Response.StatusCode = _status(n);
            var answer = Encoding.UTF8.GetBytes(context.Response.StatusCode == 200 ? "ok" : "try again later");
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        // Close alone, not Stop then Close: on Linux, Close after Stop looks the port's endpoint up again and binds the port
        // anew to remove its prefixes, which fails with "Address already in use" when another test has taken the port since.
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
