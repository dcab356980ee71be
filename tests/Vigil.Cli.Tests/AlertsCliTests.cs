using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.App.Tests.Support;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// `vigil alerts ...` end to end: channels added from the command line (secrets from environment variables), a real
/// sync of the demo company raising alerts to a webhook, a Slack-shaped receiver and an SMTP server on loopback, once
/// per change, the log, the test message and removal.
/// </summary>
public sealed class AlertsCliTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";
    private const string HookSecret = "hook-secret-Zq8v3K";
    private const string SlackPath = "/services/T0DEMO/B0DEMO/SlackSecretPath42";

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.Postgres)]
    public async Task Alerts_go_to_every_channel_once_per_change_and_are_logged(string engine)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var hook = new WebhookReceiver();
        using var slack = new WebhookReceiver();
        await using var smtp = new SmtpReceiver();
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken).With("VIGIL_TEST_HOOK_SECRET", HookSecret);
        await using var database = await cli.UseAsync(engine);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);

        var added = (await cli.RunAsync("alerts", "add", "webhook", hook.Url("/vigil/in"), "--secret-env", "VIGIL_TEST_HOOK_SECRET")).ShouldExit(0);
        Assert.Contains("(signed)", added.Stdout);
        var addedSlack = (await cli.RunAsync("alerts", "add", "slack", slack.Url(SlackPath))).ShouldExit(0);
        (await cli.RunAsync("alerts", "add", "email", "secops@acme.example", "--smtp-host", "127.0.0.1", "--smtp-port", smtp.Port.ToString(),
            "--from", "vigil@acme.example", "--tls", "none")).ShouldExit(0);
        var list = (await cli.RunAsync("alerts", "list")).ShouldExit(0);
        foreach (var output in new[] { added.Output, addedSlack.Output, list.Output })
        {
            Assert.DoesNotContain(HookSecret, output);
            Assert.DoesNotContain("SlackSecretPath42", output);
            Assert.DoesNotContain("/vigil/in", output);
        }
        Assert.Contains($"http://127.0.0.1:{slack.Port}/…", list.Stdout);
        Assert.Contains("secops@acme.example", list.Stdout);

        (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        var posts = await hook.WaitForAsync(1);
        Assert.NotEmpty(posts);
        var types = new List<string>();
        foreach (var post in posts)
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HookSecret), post.Body));
            Assert.Equal(expected, post.Headers["X-Vigil-Signature-256"]);
            using var json = JsonDocument.Parse(post.Body);
            types.Add(json.RootElement.GetProperty("type").GetString()!);
            if (json.RootElement.GetProperty("subject").GetString() == "cloudflare.user-identified")
            {
                // No staff directory was imported: every member is unidentified; 20 are listed, then how many more.
                var details = json.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetString()!).ToList();
                Assert.Equal(21, details.Count);
                Assert.Contains(details, d => d.StartsWith("dana.okafor@acme-analytics.io: ", StringComparison.Ordinal) && d.Contains("is not identified", StringComparison.Ordinal));
                Assert.StartsWith("... and ", details[^1]);
                Assert.Contains("failing findings", json.RootElement.GetProperty("title").GetString());
            }
        }
        Assert.All(types, t => Assert.Equal("check_failed", t));
        Assert.Contains(posts, p => JsonDocument.Parse(p.Body).RootElement.GetProperty("subject").GetString() == "cloudflare.user-identified");
        Assert.Equal(posts.Count, (await slack.WaitForAsync(posts.Count)).Count);
        Assert.All(slack.Received, p => Assert.Equal(SlackPath, p.Path));
        for (var i = 0; i < 100 && smtp.Received.Count < posts.Count; i++)
        {
            await Task.Delay(50);
        }
        Assert.Equal(posts.Count, smtp.Received.Count);

        // The same failures at the next sync: nothing new is sent.
        (await cli.RunAsync("sync")).ShouldExit(0);
        await Task.Delay(300);
        Assert.Equal(posts.Count, hook.Received.Count);
        Assert.Equal(posts.Count, slack.Received.Count);
        Assert.Equal(posts.Count, smtp.Received.Count);

        var log = (await cli.RunAsync("alerts", "log", "--format", "json", "--limit", "500")).ShouldExit(0);
        using (var json = JsonDocument.Parse(log.Stdout))
        {
            var entries = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(3 * posts.Count, entries.Count);
            Assert.All(entries, e => Assert.Equal("sent", e.GetProperty("status").GetString()));
            Assert.All(entries, e => Assert.Equal(1, e.GetProperty("attempts").GetInt32()));
            Assert.Equal(3, entries.Select(e => e.GetProperty("channel_id").GetString()).Distinct().Count());
            Assert.DoesNotContain("SlackSecretPath42", log.Stdout);
        }

        var test = (await cli.RunAsync("alerts", "test")).ShouldExit(0);
        Assert.Equal(3, test.Stdout.Split('\n').Count(l => l.EndsWith(": sent", StringComparison.Ordinal)));
        Assert.Equal(posts.Count + 1, (await hook.WaitForAsync(posts.Count + 1)).Count);

        var slackId = list.Stdout.Split('\n').Single(l => l.Contains("slack", StringComparison.Ordinal) && l.Contains("ch-", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).First(w => w.StartsWith("ch-", StringComparison.Ordinal));
        (await cli.RunAsync("alerts", "remove", slackId)).ShouldExit(0);
        Assert.DoesNotContain(slackId, (await cli.RunAsync("alerts", "list")).ShouldExit(0).Stdout);
        Assert.Contains("no alert channel", (await cli.RunAsync("alerts", "remove", slackId)).ShouldExit(1).Stderr);
    }

    [Fact]
    public async Task A_channel_that_cannot_be_reached_never_fails_the_sync()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        (await cli.RunAsync("alerts", "add", "webhook", $"http://127.0.0.1:{WebhookReceiver.FreePort()}/dead")).ShouldExit(0);

        var sync = (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        Assert.Equal("complete", JsonDocument.Parse(sync.Stdout).RootElement.GetProperty("status").GetString());
        Assert.Contains("failed (see 'vigil alerts log')", sync.Stderr);

        var log = (await cli.RunAsync("alerts", "log", "--format", "json")).ShouldExit(0);
        var entries = JsonDocument.Parse(log.Stdout).RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal("failed", e.GetProperty("status").GetString()));
        Assert.Contains(entries, e => e.GetProperty("attempts").GetInt32() == 3);

        var test = (await cli.RunAsync("alerts", "test")).ShouldExit(1);
        Assert.Contains("failed", test.Stdout);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_clear_error_and_nothing_is_stored()
    {
        using var cli = new CliProcess();
        Assert.Contains("not set", (await cli.RunAsync("alerts", "add", "webhook", "https://hooks.example.com/x", "--secret-env", "VIGIL_NO_SUCH_VARIABLE")).ShouldExit(2).Stderr);
        Assert.Contains("must use https", (await cli.RunAsync("alerts", "add", "slack", "http://hooks.slack.com/services/T/B/secret")).ShouldExit(2).Stderr);
        Assert.Contains("not an email address", (await cli.RunAsync("alerts", "add", "email", "nobody", "--smtp-host", "smtp.example.com", "--from", "vigil@example.com")).ShouldExit(2).Stderr);
        Assert.Contains("No alert channels", (await cli.RunAsync("alerts", "list")).ShouldExit(0).Stdout);
        Assert.Contains("no alert channel yet", (await cli.RunAsync("alerts", "test")).ShouldExit(1).Stderr);
        Assert.Contains("No alerts yet", (await cli.RunAsync("alerts", "log")).ShouldExit(0).Stdout);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.Postgres)]
    public async Task A_delivery_that_failed_is_re_sent_later_once_to_the_receiver_that_missed_it(string engine)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        // Down for the first round (3 attempts), up from then on.
        using var hook = new WebhookReceiver(n => n <= 3 ? 503 : 200);
        using var steady = new WebhookReceiver();
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        await using var database = await cli.UseAsync(engine);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        (await cli.RunAsync("alerts", "add", "webhook", hook.Url("/flaky"))).ShouldExit(0);
        (await cli.RunAsync("alerts", "add", "webhook", steady.Url("/steady"))).ShouldExit(0);

        var sync = (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        Assert.Contains("failed (see 'vigil alerts log')", sync.Stderr);
        var alerts = (await steady.WaitForAsync(1)).Select(p => p.Headers["X-Vigil-Delivery"]).ToList();
        Assert.NotEmpty(alerts);
        Assert.Equal(3, hook.Received.Count);
        using (var log = JsonDocument.Parse((await cli.RunAsync("alerts", "log", "--format", "json", "--limit", "500")).ShouldExit(0).Stdout))
        {
            var failed = log.RootElement.EnumerateArray().Where(e => e.GetProperty("status").GetString() == "failed").ToList();
            Assert.Equal(alerts.Count, failed.Count);
            Assert.All(failed, e => Assert.Equal(JsonValueKind.String, e.GetProperty("next_attempt_at").ValueKind));
            Assert.Contains(failed, e => e.GetProperty("attempts").GetInt32() == 3 && e.GetProperty("error").GetString()!.Contains("HTTP 503", StringComparison.Ordinal));
        }

        var retry = (await cli.RunAsync("alerts", "retry")).ShouldExit(0);
        Assert.Contains($"{alerts.Count} pending delivery(ies) sent.", retry.Stdout);
        Assert.Contains("No alert delivery is pending.", (await cli.RunAsync("alerts", "retry")).ShouldExit(0).Stdout);
        (await cli.RunAsync("sync")).ShouldExit(0);
        await Task.Delay(300);

        // Each alert reached each receiver exactly once; the failed attempts carried the same id.
        Assert.Equal(alerts.Order(), steady.Received.Select(p => p.Headers["X-Vigil-Delivery"]).Order());
        Assert.Equal(alerts.Order(), hook.Received.Skip(3).Select(p => p.Headers["X-Vigil-Delivery"]).Order());
        using (var log = JsonDocument.Parse((await cli.RunAsync("alerts", "log", "--format", "json", "--limit", "500")).ShouldExit(0).Stdout))
        {
            var entries = log.RootElement.EnumerateArray().ToList();
            Assert.Equal(3 * alerts.Count, entries.Count);
            Assert.Equal(2 * alerts.Count, entries.Count(e => e.GetProperty("status").GetString() == "sent"));
            Assert.All(entries.Where(e => e.GetProperty("status").GetString() == "sent"), e => Assert.Equal(JsonValueKind.Null, e.GetProperty("next_attempt_at").ValueKind));
        }
        Assert.Contains("next attempt", (await cli.RunAsync("alerts", "log")).ShouldExit(0).Stdout);
    }

    [Fact]
    public async Task Alerts_list_as_json_shows_each_channel_without_its_secrets()
    {
        const string Password = "smtp-Pa55-Vq71";
        using var cli = new CliProcess().With("VIGIL_TEST_HOOK_SECRET", HookSecret).With("VIGIL_TEST_SMTP_PASSWORD", Password);
        Assert.Equal("[]", (await cli.RunAsync("alerts", "list", "--format", "json")).ShouldExit(0).Stdout.Trim());
        (await cli.RunAsync("alerts", "add", "webhook", "https://hooks.acme.example/vigil/in", "--secret-env", "VIGIL_TEST_HOOK_SECRET")).ShouldExit(0);
        (await cli.RunAsync("alerts", "add", "slack", "https://hooks.slack.com" + SlackPath)).ShouldExit(0);
        (await cli.RunAsync("alerts", "add", "email", "secops@acme.example", "--smtp-host", "smtp.acme.example", "--from", "vigil@acme.example",
            "--smtp-user", "mailer", "--smtp-password-env", "VIGIL_TEST_SMTP_PASSWORD")).ShouldExit(0);

        var list = (await cli.RunAsync("alerts", "list", "--format", "json")).ShouldExit(0);

        Assert.DoesNotContain(HookSecret, list.Output);
        Assert.DoesNotContain(Password, list.Output);
        Assert.DoesNotContain("SlackSecretPath42", list.Output);
        Assert.DoesNotContain("/vigil/in", list.Output);
        using var json = JsonDocument.Parse(list.Stdout);
        var channels = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["webhook", "slack", "email"], channels.Select(c => c.GetProperty("kind").GetString()));
        Assert.All(channels, c => Assert.StartsWith("ch-", c.GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.True(channels[0].GetProperty("signed").GetBoolean());
        Assert.Equal("https://hooks.acme.example/…", channels[0].GetProperty("target").GetString());
        Assert.Equal(JsonValueKind.Null, channels[1].GetProperty("smtp").ValueKind);
        var smtp = channels[2].GetProperty("smtp");
        Assert.Equal(("smtp.acme.example", 587, "starttls", "vigil@acme.example", "mailer"),
            (smtp.GetProperty("host").GetString(), smtp.GetProperty("port").GetInt32(), smtp.GetProperty("tls").GetString(), smtp.GetProperty("from").GetString(), smtp.GetProperty("user").GetString()));
        Assert.Equal(new[] { "created_at", "host", "id", "kind", "port", "signed", "smtp", "target", "tls", "from", "user" }.Order(StringComparer.Ordinal),
            channels[2].EnumerateObject().Select(p => p.Name).Concat(smtp.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal));
    }
}
