using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Core.Alerts;

namespace Vigil.App.Alerts;

/// <summary>A send that did not work; <see cref="Retryable"/> says whether trying again may help (network, 5xx, 429, SMTP 4xx).</summary>
internal sealed class AlertSendException(string message, bool retryable) : Exception(message)
{
    public bool Retryable { get; } = retryable;
}

/// <summary>Puts one alert on the wire for one channel: a webhook POST, a Slack message or an email.</summary>
internal sealed class AlertSender(HttpClient http, TimeSpan timeout)
{
    /// <summary>The webhook header carrying "sha256=" and the lower-case hex HMAC-SHA256 of the body under the channel's secret.</summary>
    public const string SignatureHeader = "X-Vigil-Signature-256";

    public const string EventHeader = "X-Vigil-Event";

    public const string DeliveryHeader = "X-Vigil-Delivery";

    public async Task SendAsync(AlertChannel channel, AlertTargets.Unpacked sealedPart, Alert alert, string organisation, CancellationToken ct)
    {
        switch (channel.Kind)
        {
            case AlertChannelKind.Webhook:
                var body = WebhookBody(alert, organisation);
                await PostAsync(sealedPart.Url!, body, alert, sealedPart.SigningSecret, ct);
                break;
            case AlertChannelKind.Slack:
                await PostAsync(sealedPart.Url!, SlackBody(alert, organisation), alert, null, ct);
                break;
            case AlertChannelKind.Email:
                await EmailAsync(channel, sealedPart.Password, alert, organisation, ct);
                break;
            default:
                throw new AlertSendException($"unknown channel kind {channel.Kind}", retryable: false);
        }
    }

    /// <summary>Vigil's webhook JSON (snake_case), UTF-8: the bytes the signature covers.</summary>
    public static byte[] WebhookBody(Alert alert, string organisation) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["id"] = alert.Id,
        ["type"] = alert.Kind,
        ["organisation"] = organisation,
        ["subject"] = alert.Subject,
        ["title"] = alert.Title,
        ["severity"] = alert.Severity,
        ["details"] = new JsonArray([.. alert.Details.Select(d => (JsonNode?)JsonValue.Create(d))]),
        ["raised_at"] = Time(alert.RaisedAt),
        ["run_id"] = alert.RunId,
    }.ToJsonString());

    /// <summary>"sha256=" + hex HMAC-SHA256 of <paramref name="body"/>.</summary>
    public static string Signature(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>A Slack incoming-webhook message: mrkdwn text with Slack's three characters escaped (names come from Cloudflare).</summary>
    public static byte[] SlackBody(Alert alert, string organisation)
    {
        var text = new StringBuilder();
        text.Append('*').Append(Slack(alert.Title)).Append('*');
        foreach (var line in alert.Details)
        {
            text.Append("\n• ").Append(Slack(line));
        }

        text.Append("\n_Vigil").Append(organisation == Core.Organisations.Organisation.DefaultName ? "" : $", organisation {Slack(organisation)}")
            .Append(", ").Append(Slack(alert.Kind)).Append(", ").Append(Time(alert.RaisedAt)).Append('_');
        return Encoding.UTF8.GetBytes(new JsonObject { ["text"] = text.ToString() }.ToJsonString());
    }

    public static MimeMessage Email(AlertChannel channel, Alert alert, string organisation)
    {
        var smtp = channel.Smtp!;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(channel.Target));
        message.Subject = "[Vigil] " + OneLine(alert.Title);
        var body = new StringBuilder();
        body.AppendLine(alert.Title).AppendLine();
        foreach (var line in alert.Details)
        {
            body.Append("- ").AppendLine(line);
        }

        body.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Organisation: {organisation}")
            .AppendLine(CultureInfo.InvariantCulture, $"Alert: {alert.Kind} {alert.Id}, raised {Time(alert.RaisedAt)}")
            .AppendLine("Sent by Vigil; see 'vigil alerts log'.");
        message.Body = new TextPart("plain") { Text = body.ToString() };
        message.Headers.Add("X-Vigil-Alert", alert.Id);
        return message;
    }

    private async Task PostAsync(string url, byte[] body, Alert alert, string? secret, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Vigil", "1.0"));
        request.Headers.TryAddWithoutValidation(EventHeader, alert.Kind);
        request.Headers.TryAddWithoutValidation(DeliveryHeader, alert.Id);
        if (secret is not null)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, Signature(body, secret));
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutSource.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AlertSendException($"no answer within {timeout.TotalSeconds:0} s", retryable: true);
        }
        catch (HttpRequestException e)
        {
            // The message names host and port at most, never the path (the redacted part).
            throw new AlertSendException(Redacted(e.Message, url), retryable: true);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return;
            }

            var said = await ReadSomeAsync(response, ct);
            var message = $"HTTP {status} {response.ReasonPhrase}{(said.Length > 0 ? $": {Redacted(said, url)}" : "")}";
            throw new AlertSendException(message, retryable: status is 408 or 429 || status >= 500);
        }
    }

    private async Task EmailAsync(AlertChannel channel, string? password, Alert alert, string organisation, CancellationToken ct)
    {
        var smtp = channel.Smtp ?? throw new AlertSendException("the email channel has no SMTP settings", retryable: false);
        var message = Email(channel, alert, organisation);
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        try
        {
            var security = smtp.Tls switch
            {
                SmtpTls.Tls => SecureSocketOptions.SslOnConnect,
                SmtpTls.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
            if (smtp.User is { } user)
            {
                await client.AuthenticateAsync(user, password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (AuthenticationException e)
        {
            throw new AlertSendException($"SMTP authentication as {smtp.User} failed: {OneLine(e.Message)}", retryable: false);
        }
        catch (SmtpCommandException e)
        {
            // 4xx is transient by SMTP's own rules (RFC 5321 §4.2.1); 5xx is permanent.
            throw new AlertSendException($"SMTP server {smtp.Host}:{smtp.Port} answered {(int)e.StatusCode}: {OneLine(e.Message)}", retryable: (int)e.StatusCode is >= 400 and < 500);
        }
        catch (Exception e) when (e is SmtpProtocolException or SocketException or IOException or TimeoutException or SslHandshakeException or ServiceNotConnectedException)
        {
            throw new AlertSendException($"SMTP server {smtp.Host}:{smtp.Port}: {OneLine(e.Message)}", retryable: true);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AlertSendException($"SMTP server {smtp.Host}:{smtp.Port}: no answer within {timeout.TotalSeconds:0} s", retryable: true);
        }
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[300];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
            var text = OneLine(Encoding.UTF8.GetString(buffer, 0, read));
            return text.Length > 200 ? text[..200] + "…" : text;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return "";
        }
    }

    private static string Redacted(string text, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? text.Replace(url, AlertTargets.Redact(parsed), StringComparison.Ordinal)
            .Replace(parsed.PathAndQuery is "/" ? "\u0000" : parsed.PathAndQuery, "/…", StringComparison.Ordinal) : text;

    private static string Slack(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
