using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Cloudflare.Tests.Support;

/// <summary>One HTTP request as a <see cref="LoopbackServer"/> received it: request line target and headers, raw.</summary>
internal sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => Target.Split('?', 2)[0];
}

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 (port 0) for hostile-server tests: it records every request (target and headers)
/// and lets the test write whatever bytes it likes as the answer: redirects, huge Retry-After values, endless bodies.
/// One request per connection (it answers with Connection: close).
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ReceivedRequest, Stream, CancellationToken, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<ReceivedRequest> _requests = [];

    public LoopbackServer(Func<ReceivedRequest, Stream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Origin => $"http://127.0.0.1:{Port}";

    public string BaseUrl => Origin + "/client/v4";

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Body bytes the responder managed to write (set by <see cref="StreamBodyAsync"/>).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    private long _bytesWritten;

    /// <summary>A complete JSON answer.</summary>
    public static async Task WriteJsonAsync(Stream stream, int status, string body, CancellationToken ct, params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await stream.WriteAsync(bytes, ct);
    }

    /// <summary>Writes a 200 JSON answer whose body is <paramref name="total"/> bytes, in chunks, counting what got out;
    /// with <paramref name="declareLength"/> the header says how long it is, else it is sent until the connection closes.</summary>
    public async Task StreamBodyAsync(Stream stream, long total, bool declareLength, CancellationToken ct)
    {
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{(declareLength ? $"Content-Length: {total}\r\n" : "")}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)' ');
        Encoding.ASCII.GetBytes("{\"success\":true,\"errors\":[],\"result\":\"").CopyTo(chunk, 0);
        Array.Fill(chunk, (byte)'x', 40, chunk.Length - 40);
        try
        {
            for (long sent = 0; sent < total; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, total - sent)), ct);
                Interlocked.Add(ref _bytesWritten, Math.Min(chunk.Length, total - sent));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up: what matters is how much it took before it did.
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null)
                {
                    return;
                }
                lock (_requests)
                {
                    _requests.Add(request);
                }
                await _respond(request, stream, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A client that hangs up early is part of these tests.
            }
        }
    }

    private static async Task<ReceivedRequest?> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(buffer))
        {
            if (await stream.ReadAsync(one, ct) == 0 || buffer.Count > 64 * 1024)
            {
                return null;
            }
            buffer.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        return new ReceivedRequest(parts[0], parts[1], headers);
    }

    private static bool EndsWithBlankLine(List<byte> b) =>
        b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        429 => "Too Many Requests",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
