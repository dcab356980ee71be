using Vigil.App.Alerts;
using Vigil.App.Tests.Support;
using Vigil.Core.Checks;

namespace Vigil.App.Tests.Alerts;

/// <summary>
/// Deliveries that still fail after a round are kept pending and re-sent in a later round (the next evaluation, or
/// 'vigil alerts retry') over a real loopback receiver: once per change, never again to a receiver that got it, given
/// up after the documented number of rounds.
/// </summary>
public sealed class AlertPendingTests
{
    private static CancellationToken Ct => CancellationToken.None;

    // One attempt per round keeps the rounds apart; 4 rounds, 5 min after the first failed one, then 10, 20.
    private static readonly AlertRetryPolicy Rounds = new AlertRetryPolicy(1, TimeSpan.Zero, TimeSpan.FromSeconds(10)) with
    {
        MaxRounds = 4,
        FirstRoundDelay = TimeSpan.FromMinutes(5),
    };

    [Fact]
    public async Task A_failed_delivery_is_re_sent_when_due_to_the_failing_receiver_only_until_it_is_accepted()
    {
        using var good = new WebhookReceiver();
        using var flaky = new WebhookReceiver(n => n <= 2 ? 503 : 200);
        await using var fixture = await AlertFixture.StartAsync(Rounds);
        await fixture.Alerts.AddWebhookAsync(good.Url("/good"), null, Ct);
        var flakyChannel = await fixture.Alerts.AddWebhookAsync(flaky.Url("/flaky"), null, Ct);

        var raised = await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);
        var failed = raised.Deliveries.Single(d => d.ChannelId == flakyChannel.Id);
        Assert.Equal(("failed", AlertFixture.Start.AddMinutes(5)), (failed.Status, failed.NextAttemptAt));
        var pending = Assert.Single(await fixture.Alerts.PendingAsync(Ct));
        Assert.Equal((flakyChannel.Id, 1), (pending.ChannelId, pending.Rounds));

        // Not due yet: nothing is sent.
        Assert.Empty(await fixture.Alerts.RetryPendingAsync(all: false, Ct));
        Assert.Single(flaky.Received);

        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        var second = Assert.Single(await fixture.Alerts.RetryPendingAsync(all: false, Ct));
        Assert.Equal(("failed", fixture.Time.GetUtcNow().AddMinutes(10)), (second.Status, second.NextAttemptAt));

        fixture.Time.Advance(TimeSpan.FromMinutes(10));
        var third = Assert.Single(await fixture.Alerts.RetryPendingAsync(all: false, Ct));
        Assert.Equal("sent", third.Status);
        Assert.Empty(await fixture.Alerts.PendingAsync(Ct));

        fixture.Time.Advance(TimeSpan.FromDays(1));
        Assert.Empty(await fixture.Alerts.RetryPendingAsync(all: true, Ct));
        Assert.Single(good.Received);
        Assert.Equal(3, flaky.Received.Count);
        // The very same alert every time: a receiver can tell a repeat by its id.
        Assert.Single(flaky.Received.Select(p => p.Headers["X-Vigil-Delivery"]).Distinct());
        Assert.Equal(good.Received[0].Text, flaky.Received[2].Text);

        var log = await fixture.Alerts.LogAsync(10, Ct);
        Assert.Equal(["sent", "failed", "failed", "sent"], log.Select(e => e.Status));
        Assert.Equal([null, AlertFixture.Start.AddMinutes(15), AlertFixture.Start.AddMinutes(5), null], log.Select(e => e.NextAttemptAt));
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_given_up_after_the_last_round()
    {
        using var down = new WebhookReceiver(_ => 503);
        await using var fixture = await AlertFixture.StartAsync(Rounds);
        await fixture.Alerts.AddWebhookAsync(down.Url(), null, Ct);

        await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);
        AlertDeliveryResult? last = null;
        for (var round = 2; round <= 4; round++)
        {
            fixture.Time.Advance(TimeSpan.FromHours(1));
            last = Assert.Single(await fixture.Alerts.RetryPendingAsync(all: false, Ct));
        }

        Assert.Equal("failed", last!.Status);
        Assert.Null(last.NextAttemptAt);
        Assert.EndsWith("given up after 4 rounds", last.Error);
        Assert.Empty(await fixture.Alerts.PendingAsync(Ct));
        fixture.Time.Advance(TimeSpan.FromDays(2));
        Assert.Empty(await fixture.Alerts.RetryPendingAsync(all: true, Ct));
        Assert.Equal(4, down.Received.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_kept_pending()
    {
        using var gone = new WebhookReceiver(_ => 404);
        await using var fixture = await AlertFixture.StartAsync(Rounds);
        await fixture.Alerts.AddWebhookAsync(gone.Url(), null, Ct);

        var raised = await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com"), Ct);

        Assert.Null(Assert.Single(raised.Deliveries).NextAttemptAt);
        Assert.Empty(await fixture.Alerts.PendingAsync(Ct));
    }

    [Fact]
    public async Task Two_rounds_at_the_same_time_send_a_pending_delivery_once()
    {
        using var flaky = new WebhookReceiver(n => n == 1 ? 503 : 200);
        await using var fixture = await AlertFixture.StartAsync(Rounds);
        await fixture.Alerts.AddWebhookAsync(flaky.Url(), null, Ct);
        await fixture.Alerts.RaiseAsync(fixture.Failing2fa("ada@example.com", "bob@example.com"), Ct);
        Assert.Single(await fixture.Alerts.PendingAsync(Ct));

        var rounds = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => fixture.Alerts.RetryPendingAsync(all: true, Ct))));

        Assert.Equal(1, rounds.Sum(r => r.Count));
        Assert.Equal(2, flaky.Received.Count);
    }

    [Fact]
    public async Task The_next_evaluation_re_sends_what_is_due_before_raising_anything_new()
    {
        using var flaky = new WebhookReceiver(n => n == 1 ? 503 : 200);
        await using var fixture = await AlertFixture.StartAsync(Rounds);
        await fixture.Alerts.AddWebhookAsync(flaky.Url(), null, Ct);
        var evaluation = AlertFixture.Evaluation("ada@example.com");
        var first = await fixture.Alerts.AfterSyncAsync(null, evaluation, CheckOptions.Default, Ct);
        Assert.Equal("failed", Assert.Single(first.Deliveries).Status);

        fixture.Time.Advance(TimeSpan.FromMinutes(6));
        var next = await fixture.Alerts.AfterSyncAsync(null, evaluation, CheckOptions.Default, Ct);

        Assert.Empty(next.Raised);
        Assert.Equal("sent", Assert.Single(next.Retried!).Status);
        Assert.Equal(2, flaky.Received.Count);
        Assert.Equal(flaky.Received[0].Text, flaky.Received[1].Text);
    }
}
