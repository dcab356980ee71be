using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.App.Alerts;
using Vigil.App.Tests.Support;
using Vigil.Core;
using Vigil.Core.Alerts;
using Vigil.Core.Checks;
using Vigil.Core.Sync;

namespace Vigil.App.Tests.Alerts;

/// <summary>Alerts over real loopback wires: an HTTP webhook receiver, a Slack-shaped receiver and an SMTP server in the test.</summary>
public sealed class AlertDeliveryTests
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_webhook_receives_the_JSON_body_signed_with_HMAC_SHA256_of_the_body()
    {
        using var receiver = new WebhookReceiver();
        await using var fixture = await AlertFixture.StartAsync();
        const string secret = "whsec-test-0123456789";
        var channel = await fixture.Alerts.AddWebhookAsync(receiver.Url("/vigil/hook"), new Secret(secret), Ct);

        var outcome = await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);

        var post = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("/vigil/hook", post.Path);
        Assert.StartsWith("application/json", post.Headers["Content-Type"]);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), post.Body));
        Assert.Equal(expected, post.Headers["X-Vigil-Signature-256"]);
        Assert.Equal("check_failed", post.Headers["X-Vigil-Event"]);

        using var json = JsonDocument.Parse(post.Body);
        var root = json.RootElement;
        Assert.Equal("check_failed", root.GetProperty("type").GetString());
        Assert.Equal(AlertFixture.TwoFactor, root.GetProperty("subject").GetString());
        Assert.Equal("default", root.GetProperty("organisation").GetString());
        Assert.Equal("high", root.GetProperty("severity").GetString());
        Assert.Contains("1 failing finding", root.GetProperty("title").GetString());
        Assert.Equal(["ada@example.com: ada@example.com has 2FA off"], root.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(post.Headers["X-Vigil-Delivery"], root.GetProperty("id").GetString());

        var delivery = Assert.Single(outcome.Deliveries);
        Assert.Equal((channel.Id, "sent", 1), (delivery.ChannelId, delivery.Status, delivery.Attempts));
        var logged = Assert.Single(await fixture.Alerts.LogAsync(10, Ct));
        Assert.Equal(("check_failed", "sent", channel.Id), (logged.Kind, logged.Status, logged.ChannelId));
    }

    [Fact]
    public async Task An_unsigned_webhook_has_no_signature_header()
    {
        using var receiver = new WebhookReceiver();
        await using var fixture = await AlertFixture.StartAsync();
        await fixture.Alerts.AddWebhookAsync(receiver.Url(), null, Ct);

        await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);

        var post = Assert.Single(await receiver.WaitForAsync(1));
        Assert.False(post.Headers.ContainsKey("X-Vigil-Signature-256"));
    }

    [Fact]
    public async Task Each_change_is_sent_once_a_second_evaluation_with_the_same_failure_sends_nothing()
    {
        using var receiver = new WebhookReceiver();
        await using var fixture = await AlertFixture.StartAsync();
        await fixture.Alerts.AddWebhookAsync(receiver.Url(), new Secret("s3cret-value"), Ct);

        await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);
        Assert.Single(await receiver.WaitForAsync(1));

        fixture.Time.Advance(TimeSpan.FromHours(6));
        var again = await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);
        Assert.Empty(again.Raised);
        Assert.Empty(again.Deliveries);

        // A new failing finding on the same check is a change: one alert naming only the new member.
        var more = await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com", "bob@example.com"), Ct);
        var posts = await receiver.WaitForAsync(2);
        Assert.Equal(2, posts.Count);
        using (var json = JsonDocument.Parse(posts[1].Body))
        {
            Assert.Equal("check_new_findings", json.RootElement.GetProperty("type").GetString());
            Assert.Equal(["bob@example.com: bob@example.com has 2FA off"], json.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        }

        // Passing forgets it; failing again later is a new change.
        Assert.Empty((await fixture.Alerts.RaiseAsync(fixture.Failing2fa(), Ct)).Raised);
        Assert.Single((await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct)).Raised);
        Assert.Equal(3, (await receiver.WaitForAsync(3)).Count);
        Assert.Equal(3, (await fixture.Alerts.LogAsync(10, Ct)).Count);
        Assert.Single(more.Raised);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_until_it_accepts()
    {
        // Fails twice, then accepts. The waits come from the fake clock: 1 s after the first failure, 2 s after the second.
        using var receiver = new WebhookReceiver(n => n <= 2 ? 503 : 200);
        await using var fixture = await AlertFixture.StartAsync(new AlertRetryPolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));
        await fixture.Alerts.AddWebhookAsync(receiver.Url(), null, Ct);

        var sending = fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);
        Assert.Single(await receiver.WaitForAsync(1));
        var firstWait = await AdvanceUntilAsync(fixture, () => receiver.Received.Count >= 2);
        var secondWait = await AdvanceUntilAsync(fixture, () => receiver.Received.Count >= 3);
        var outcome = await sending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(firstWait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));
        Assert.InRange(secondWait, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.5));
        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal(receiver.Received[0].Text, receiver.Received[2].Text);
        var delivery = Assert.Single(outcome.Deliveries);
        Assert.Equal(("sent", 3), (delivery.Status, delivery.Attempts));
        var logged = Assert.Single(await fixture.Alerts.LogAsync(10, Ct));
        Assert.Equal(("sent", 3), (logged.Status, logged.Attempts));
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_an_unreachable_channel_is_logged_as_failed_without_failing_the_step()
    {
        using var refusing = new WebhookReceiver(_ => 404);
        await using var fixture = await AlertFixture.StartAsync();
        await fixture.Alerts.AddWebhookAsync(refusing.Url("/gone"), null, Ct);
        await fixture.Alerts.AddSlackAsync($"http://127.0.0.1:{WebhookReceiver.FreePort()}/services/T/B/secretpath", Ct);

        var run = new SyncRun("run-9", "cli", AlertFixture.Start, AlertFixture.Start, SyncStatus.Failed, "HTTP 500 from Cloudflare", SyncCounts.Zero, [], []);
        var outcome = await fixture.Alerts.AfterSyncAsync(run, null, CheckOptions.Default, Ct);

        Assert.Null(outcome.Error);
        Assert.Equal(AlertKinds.SyncFailed, Assert.Single(outcome.Raised).Kind);
        Assert.Single(refusing.Received);
        var webhook = outcome.Deliveries.Single(d => d.Channel.StartsWith("webhook", StringComparison.Ordinal));
        Assert.Equal(("failed", 1), (webhook.Status, webhook.Attempts));
        Assert.Contains("HTTP 404", webhook.Error);
        var slack = outcome.Deliveries.Single(d => d.Channel.StartsWith("slack", StringComparison.Ordinal));
        Assert.Equal(("failed", 3), (slack.Status, slack.Attempts));
        Assert.DoesNotContain("secretpath", slack.Error + slack.Channel);
        Assert.All(await fixture.Alerts.LogAsync(10, Ct), e => Assert.Equal("failed", e.Status));
    }

    [Fact]
    public async Task Slack_gets_its_message_JSON_with_markup_from_Cloudflare_escaped()
    {
        using var receiver = new WebhookReceiver();
        await using var fixture = await AlertFixture.StartAsync();
        var channel = await fixture.Alerts.AddSlackAsync(receiver.Url("/services/T000/B000/XXXXsecretXXXX"), Ct);
        Assert.Equal($"http://127.0.0.1:{receiver.Port}/…", channel.Target);

        await fixture.Alerts.RaiseAsync(fixture.Failing2fa("<!channel> & <b>"), Ct);

        var post = Assert.Single(await receiver.WaitForAsync(1));
        using var json = JsonDocument.Parse(post.Body);
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith("*Check failing: ", text);
        Assert.Contains("&lt;!channel&gt; &amp; &lt;b&gt;", text);
        Assert.DoesNotContain("<!channel>", text);
    }

    [Fact]
    public async Task Email_goes_through_a_real_SMTP_exchange_on_loopback_with_authentication()
    {
        await using var smtp = new SmtpReceiver("vigil-mailer", "smtp-pa55word");
        await using var fixture = await AlertFixture.StartAsync();
        var settings = new SmtpSettings("127.0.0.1", smtp.Port, "vigil@acme.example", SmtpTls.None, "vigil-mailer");
        await fixture.Alerts.AddEmailAsync("secops@acme.example", settings, new Secret("smtp-pa55word"), Ct);

        var outcome = await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);

        Assert.Equal("sent", Assert.Single(outcome.Deliveries).Status);
        var mail = Assert.Single(smtp.Received);
        Assert.Equal("vigil-mailer", mail.User);
        Assert.Equal("vigil@acme.example", mail.EnvelopeFrom);
        Assert.Equal(["secops@acme.example"], mail.EnvelopeTo);
        Assert.Equal("secops@acme.example", mail.Message.To.Mailboxes.Single().Address);
        Assert.StartsWith("[Vigil] Check failing: ", mail.Message.Subject);
        Assert.Contains(AlertFixture.TwoFactor, mail.Message.Subject);
        Assert.Contains("- ada@example.com: ada@example.com has 2FA off", mail.Message.TextBody);
        Assert.Equal(outcome.Raised[0].Id, mail.Message.Headers["X-Vigil-Alert"]);
    }

    [Fact]
    public async Task A_server_without_STARTTLS_fails_that_delivery_only_and_the_password_is_never_sent()
    {
        using var receiver = new WebhookReceiver();
        await using var smtp = new SmtpReceiver();
        await using var fixture = await AlertFixture.StartAsync();
        await fixture.Alerts.AddEmailAsync("ops@acme.example", new SmtpSettings("127.0.0.1", smtp.Port, "vigil@acme.example", SmtpTls.StartTls, "mailer"), new Secret("pw-never-in-clear"), Ct);
        await fixture.Alerts.AddWebhookAsync(receiver.Url(), null, Ct);

        var outcome = await fixture.Alerts.AfterSyncAsync(null, AlertFixture.Evaluation("ada@example.com"), CheckOptions.Default, Ct);

        Assert.Null(outcome.Error);
        var email = outcome.Deliveries.Single(d => d.Channel.StartsWith("email", StringComparison.Ordinal));
        Assert.Equal("failed", email.Status);
        Assert.Contains("STARTTLS", email.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(smtp.Received);
        Assert.Equal("sent", outcome.Deliveries.Single(d => d.Channel.StartsWith("webhook", StringComparison.Ordinal)).Status);
        Assert.Single(await receiver.WaitForAsync(1));
    }

    [Fact]
    public async Task The_test_message_reaches_every_channel_and_reports_each_result()
    {
        using var receiver = new WebhookReceiver();
        await using var smtp = new SmtpReceiver();
        await using var fixture = await AlertFixture.StartAsync();
        await fixture.Alerts.AddWebhookAsync(receiver.Url(), new Secret("abc-secret"), Ct);
        await fixture.Alerts.AddEmailAsync("ops@acme.example", new SmtpSettings("127.0.0.1", smtp.Port, "vigil@acme.example", SmtpTls.None, null), null, Ct);
        await fixture.Alerts.AddWebhookAsync($"http://127.0.0.1:{WebhookReceiver.FreePort()}/dead", null, Ct);

        var results = await fixture.Alerts.TestAsync(Ct);

        Assert.Equal(["sent", "sent", "failed"], results.Select(r => r.Status));
        Assert.Equal("test", JsonDocument.Parse(Assert.Single(receiver.Received).Body).RootElement.GetProperty("type").GetString());
        Assert.Equal("[Vigil] Vigil test alert", Assert.Single(smtp.Received).Message.Subject);
        Assert.Equal(3, (await fixture.Alerts.LogAsync(10, Ct)).Count(e => e.Kind == "test"));
    }

    [Fact]
    public async Task Channel_urls_and_secrets_are_stored_sealed_and_shown_redacted()
    {
        await using var fixture = await AlertFixture.StartAsync();
        await fixture.Alerts.AddSlackAsync("https://hooks.slack.com/services/T0SLACK/B0SLACK/SlackPathSecret123", Ct);
        await fixture.Alerts.AddWebhookAsync("https://hooks.example.com/in/WebhookPathSecret456?token=QueryToken789", new Secret("SigningSecret000"), Ct);
        await fixture.Alerts.AddEmailAsync("ops@acme.example", new SmtpSettings("smtp.acme.example", 587, "vigil@acme.example", SmtpTls.StartTls, "mailer"), new Secret("SmtpPassword111"), Ct);

        var channels = await fixture.Alerts.ListChannelsAsync(Ct);
        Assert.Equal(["https://hooks.slack.com/…", "https://hooks.example.com/…", "ops@acme.example"], channels.Select(c => c.Target));
        Assert.True(channels[1].HasSigningSecret);

        await fixture.Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = string.Concat(await Task.WhenAll(new[] { fixture.DatabasePath, fixture.DatabasePath + "-wal" }.Where(File.Exists)
            .Select(async f => Encoding.UTF8.GetString(await File.ReadAllBytesAsync(f)))));
        foreach (var secret in new[] { "SlackPathSecret123", "WebhookPathSecret456", "QueryToken789", "SigningSecret000", "SmtpPassword111" })
        {
            Assert.DoesNotContain(secret, bytes);
        }
    }

    [Theory]
    [InlineData("ftp://example.com/x", "absolute http(s)")]
    [InlineData("http://hooks.example.com/x", "must use https")]
    [InlineData("https://user:pw@hooks.example.com/x", "user name or password")]
    [InlineData("not a url", "absolute http(s)")]
    public async Task Bad_webhook_urls_are_refused_without_repeating_them(string url, string expected)
    {
        await using var fixture = await AlertFixture.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => fixture.Alerts.AddWebhookAsync(url, null, Ct));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("/x", error.Message);
        Assert.Empty(await fixture.Alerts.ListChannelsAsync(Ct));
    }

    [Fact]
    public async Task A_password_is_refused_over_an_unencrypted_connection_to_another_machine()
    {
        await using var fixture = await AlertFixture.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => fixture.Alerts.AddEmailAsync("ops@acme.example",
            new SmtpSettings("smtp.acme.example", 25, "vigil@acme.example", SmtpTls.None, "mailer"), new Secret("pw-value"), Ct));
        Assert.Contains("--tls starttls", error.Message);
        await Assert.ThrowsAsync<InvalidRequestException>(() => fixture.Alerts.AddEmailAsync("not-an-address",
            new SmtpSettings("smtp.acme.example", 587, "vigil@acme.example", SmtpTls.StartTls, null), null, Ct));
        Assert.Empty(await fixture.Alerts.ListChannelsAsync(Ct));
    }

    // Moves the fake clock in 100 ms steps, giving the sender real time between steps, until the condition holds; returns how far it moved.
    private static async Task<TimeSpan> AdvanceUntilAsync(AlertFixture fixture, Func<bool> condition)
    {
        var moved = TimeSpan.Zero;
        for (var i = 0; i < 100; i++)
        {
            await Task.Delay(60);
            if (condition())
            {
                return moved;
            }

            fixture.Time.Advance(TimeSpan.FromMilliseconds(100));
            moved += TimeSpan.FromMilliseconds(100);
        }

        Assert.Fail("the receiver never got the retry");
        return moved;
    }
}
