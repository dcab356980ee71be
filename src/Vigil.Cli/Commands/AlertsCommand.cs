using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.App.Alerts;
using Vigil.Core;
using Vigil.Core.Alerts;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil alerts add webhook|slack|email ... | list | remove ID | log [--format json] | test</c>: where alerts go after
/// each sync-and-evaluate. Thin over <see cref="AlertService"/>; secrets come from environment variables only.
/// </summary>
internal static class AlertsCommand
{
    public static Command Build()
    {
        var webhookUrl = new Argument<string>("URL") { Description = "Where to POST the alert JSON (https; http only on loopback)" };
        var secretEnv = new Option<string?>("--secret-env") { Description = "Environment variable holding the signing secret: each body is signed with HMAC-SHA256 in X-Vigil-Signature-256" };
        var webhook = new Command("webhook", "Send alerts as JSON to a webhook, signed when a secret is set") { webhookUrl, secretEnv };
        webhook.SetAction((parse, ct) => AddWebhookAsync(parse.GetValue(webhookUrl)!, parse.GetValue(secretEnv), ct));

        var slackUrl = new Argument<string>("URL") { Description = "The Slack incoming-webhook URL (its path is a secret: it is stored sealed and never shown)" };
        var slack = new Command("slack", "Send alerts to a Slack channel through an incoming webhook") { slackUrl };
        slack.SetAction((parse, ct) => AddSlackAsync(parse.GetValue(slackUrl)!, ct));

        var address = new Argument<string>("ADDRESS") { Description = "The recipient's email address" };
        var host = new Option<string>("--smtp-host") { Description = "The SMTP server", Required = true };
        var port = new Option<int>("--smtp-port") { Description = "The SMTP port (default 587; 465 with --tls tls)" };
        var from = new Option<string>("--from") { Description = "The sender address", Required = true };
        var tls = new Option<string>("--tls") { Description = "starttls (default), tls (TLS from the first byte) or none (a relay on this machine only)", DefaultValueFactory = _ => "starttls" };
        tls.AcceptOnlyFromAmong("starttls", "tls", "none");
        var user = new Option<string?>("--smtp-user") { Description = "The SMTP user to authenticate as (default: no authentication)" };
        var passwordEnv = new Option<string?>("--smtp-password-env") { Description = "Environment variable holding the SMTP password (stored sealed)" };
        var email = new Command("email", "Send alerts by email over SMTP") { address, host, port, from, tls, user, passwordEnv };
        email.SetAction((parse, ct) => AddEmailAsync(parse.GetValue(address)!, parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(from)!,
            parse.GetValue(tls)!, parse.GetValue(user), parse.GetValue(passwordEnv), ct));

        var add = new Command("add", "Add an alert channel") { webhook, slack, email };

        var listFormat = ChecksCommand.FormatOption();
        var list = new Command("list", "List the alert channels (URLs with their path redacted; secrets are never shown)") { listFormat };
        list.SetAction((parse, ct) => ListAsync(parse.GetValue(listFormat) == "json", ct));

        var id = new Argument<string>("ID") { Description = "The channel id, from 'vigil alerts list'" };
        var remove = new Command("remove", "Remove an alert channel (its log entries stay)") { id };
        remove.SetAction((parse, ct) => RemoveAsync(parse.GetValue(id)!, ct));

        var format = ChecksCommand.FormatOption();
        var limit = new Option<int>("--limit") { Description = "How many deliveries to show, newest first (default 50)", DefaultValueFactory = _ => 50 };
        var log = new Command("log", "Show the alerts raised and their deliveries, newest first") { format, limit };
        log.SetAction((parse, ct) => LogAsync(parse.GetValue(format) == "json", parse.GetValue(limit), ct));

        var test = new Command("test", "Send a test message to every alert channel and report each result (exit 1 when any failed)");
        test.SetAction((_, ct) => TestAsync(ct));

        var retry = new Command("retry", "Send every pending delivery (one that failed earlier) again now, to the channels that have not received it (exit 1 when any failed)");
        retry.SetAction((_, ct) => RetryAsync(ct));

        return new Command("alerts", "Alerts after each sync: failing checks, failed syncs, overdue revocations and reviews, to webhooks, Slack and email")
        {
            add, list, remove, log, test, retry,
        };
    }

    private static async Task<int> AddWebhookAsync(string url, string? secretEnv, CancellationToken ct)
    {
        var secret = secretEnv is null ? null : Secret(secretEnv);
        await using var services = await CliServices.StartAsync(ct);
        var channel = await services.Alerts.AddWebhookAsync(url, secret, ct);
        return Added(channel);
    }

    private static async Task<int> AddSlackAsync(string url, CancellationToken ct)
    {
        await using var services = await CliServices.StartAsync(ct);
        return Added(await services.Alerts.AddSlackAsync(url, ct));
    }

    private static async Task<int> AddEmailAsync(string address, string host, int port, string from, string tls, string? user, string? passwordEnv, CancellationToken ct)
    {
        var mode = tls switch { "tls" => SmtpTls.Tls, "none" => SmtpTls.None, _ => SmtpTls.StartTls };
        var password = passwordEnv is null ? null : Secret(passwordEnv);
        var settings = new SmtpSettings(host, port == 0 ? (mode == SmtpTls.Tls ? 465 : 587) : port, from, mode, user);
        await using var services = await CliServices.StartAsync(ct);
        return Added(await services.Alerts.AddEmailAsync(address, settings, password, ct));
    }

    private static async Task<int> ListAsync(bool json, CancellationToken ct)
    {
        await using var services = await CliServices.StartAsync(ct);
        var channels = await services.Alerts.ListChannelsAsync(ct);
        if (json)
        {
            // What the store keeps in the clear only: the sealed URL, signing secret and SMTP password never leave it here.
            var array = new JsonArray([.. channels.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["kind"] = Render.Lower(c.Kind),
                ["target"] = c.Target,
                ["signed"] = c.HasSigningSecret,
                ["smtp"] = c.Smtp is { } s
                    ? new JsonObject { ["host"] = s.Host, ["port"] = s.Port, ["tls"] = TlsName(s.Tls), ["from"] = s.From, ["user"] = s.User }
                    : null,
                ["created_at"] = Time(c.CreatedAt),
            })]);
            Console.WriteLine(array.ToJsonString(JsonOptions));
            return ExitCodes.Ok;
        }

        if (channels.Count == 0)
        {
            Console.WriteLine("No alert channels. Add one: vigil alerts add webhook URL [--secret-env VAR], vigil alerts add slack URL, or vigil alerts add email ADDRESS --smtp-host HOST --from ADDRESS");
            return ExitCodes.Ok;
        }

        var table = Render.Table("id", "kind", "target", "details", "added");
        foreach (var c in channels)
        {
            var details = c.Kind switch
            {
                AlertChannelKind.Webhook => c.HasSigningSecret ? "signed (HMAC-SHA256)" : "unsigned",
                AlertChannelKind.Email when c.Smtp is { } s => $"via {s.Host}:{s.Port} ({TlsName(s.Tls)}) from {s.From}{(s.User is null ? "" : $" as {s.User}")}",
                _ => "",
            };
            table.AddRow(c.Id, Render.Lower(c.Kind), c.Target, details, Time(c.CreatedAt));
        }

        Render.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> RemoveAsync(string id, CancellationToken ct)
    {
        await using var services = await CliServices.StartAsync(ct);
        await services.Alerts.RemoveChannelAsync(id, ct);
        Console.WriteLine($"Removed alert channel {id.Trim()}. Its log entries stay.");
        return ExitCodes.Ok;
    }

    private static async Task<int> LogAsync(bool json, int limit, CancellationToken ct)
    {
        if (limit < 1)
        {
            throw new UsageException("--limit must be 1 or more");
        }

        await using var services = await CliServices.StartAsync(ct);
        var entries = await services.Alerts.LogAsync(limit, ct);
        if (json)
        {
            var array = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
            {
                ["alert_id"] = e.AlertId,
                ["raised_at"] = Time(e.RaisedAt),
                ["kind"] = e.Kind,
                ["subject"] = e.Subject,
                ["title"] = e.Title,
                ["channel_id"] = e.ChannelId,
                ["channel"] = e.Channel,
                ["status"] = e.Status,
                ["attempts"] = e.Attempts,
                ["error"] = e.Error,
                ["delivered_at"] = e.DeliveredAt is { } at ? Time(at) : null,
                ["next_attempt_at"] = e.NextAttemptAt is { } next ? Time(next) : null,
            })]);
            Console.WriteLine(array.ToJsonString(JsonOptions));
            return ExitCodes.Ok;
        }

        if (entries.Count == 0)
        {
            Console.WriteLine("No alerts yet. Alerts are raised after each sync; 'vigil alerts test' sends a test message.");
            return ExitCodes.Ok;
        }

        var table = Render.Table("raised", "kind", "title", "channel", "status", "attempts", "error", "next attempt");
        foreach (var e in entries)
        {
            table.AddRow(Time(e.RaisedAt), e.Kind, e.Title, e.Channel, e.Status, e.Attempts.ToString(CultureInfo.InvariantCulture), e.Error ?? "",
                e.NextAttemptAt is { } next ? Time(next) : "");
        }

        Render.Write(table);
        return ExitCodes.Ok;
    }

    private static async Task<int> TestAsync(CancellationToken ct)
    {
        await using var services = await CliServices.StartAsync(ct);
        var results = await services.Alerts.TestAsync(ct);
        foreach (var r in results)
        {
            Console.WriteLine(r.Status == AlertDeliveryResult.Sent ? $"{r.ChannelId} {r.Channel}: sent" : $"{r.ChannelId} {r.Channel}: failed: {r.Error}");
        }

        var failed = results.Count(r => r.Status != AlertDeliveryResult.Sent);
        Console.WriteLine(failed == 0 ? $"Test message sent to {results.Count} channel(s)." : $"{failed} of {results.Count} channel(s) failed.");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }

    private static async Task<int> RetryAsync(CancellationToken ct)
    {
        await using var services = await CliServices.StartAsync(ct);
        var results = await services.Alerts.RetryPendingAsync(all: true, ct);
        if (results.Count == 0)
        {
            Console.WriteLine("No alert delivery is pending.");
            return ExitCodes.Ok;
        }

        foreach (var r in results)
        {
            Console.WriteLine(r.Status == AlertDeliveryResult.Sent
                ? $"{r.AlertId} to {r.ChannelId} {r.Channel}: sent"
                : $"{r.AlertId} to {r.ChannelId} {r.Channel}: failed: {r.Error}" + (r.NextAttemptAt is { } next ? $" (next attempt {Time(next)})" : ""));
        }

        var failed = results.Count(r => r.Status != AlertDeliveryResult.Sent);
        Console.WriteLine(failed == 0 ? $"{results.Count} pending delivery(ies) sent." : $"{failed} of {results.Count} pending delivery(ies) failed.");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Error;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static int Added(AlertChannel channel)
    {
        Console.WriteLine($"Added alert channel {channel.Id}: {AlertService.Describe(channel)}");
        return ExitCodes.Ok;
    }

    private static Secret Secret(string variable) =>
        SecretInput.FromEnvironment(variable, out var problem) ?? throw new UsageException(problem!);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The <c>--tls</c> value that sets this mode, so that what list prints can be typed back.</summary>
    private static string TlsName(SmtpTls tls) => tls switch { SmtpTls.Tls => "tls", SmtpTls.None => "none", _ => "starttls" };
}
