using System.Buffers;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Vigil.App.Tests.Support;

/// <summary>One message as the test SMTP server received it, with the envelope and who authenticated.</summary>
internal sealed record ReceivedMail(string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, string? User, MimeMessage Message);

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1: MailKit talks the whole protocol to it, EHLO to QUIT.
/// Accepts one user and password when given (AUTH over the plain loopback connection).
/// </summary>
internal sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly List<ReceivedMail> _received = [];

    public SmtpReceiver(string? user = null, string? password = null)
    {
        Port = WebhookReceiver.FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AuthenticationRequired(user is not null).AllowUnsecureAuthentication(true))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        if (user is not null)
        {
            services.Add(new DelegatingUserAuthenticator((u, p) => u == user && p == password));
        }

        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public IReadOnlyList<ReceivedMail> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }
    }

    private sealed class Store(SmtpReceiver receiver) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(SmtpServer.ISessionContext context, SmtpServer.IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, ct);
            lock (receiver._received)
            {
                receiver._received.Add(new ReceivedMail(
                    $"{transaction.From.User}@{transaction.From.Host}",
                    [.. transaction.To.Select(t => $"{t.User}@{t.Host}")],
                    context.Authentication.IsAuthenticated ? context.Authentication.User : null,
                    message));
            }

            return SmtpResponse.Ok;
        }
    }
}
