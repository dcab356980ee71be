using Vigil.Core;
using Vigil.Core.Alerts;

namespace Vigil.Storage.Tests.StoreContract;

/// <summary>Alert channels (sealed), the remembered alert conditions and the delivery log, on every engine.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Alert_channels_keep_their_order_and_settings_and_their_sealed_part_opens_only_for_them()
    {
        var email = new AlertChannel("ch-2", AlertChannelKind.Email, "ops@acme.example", Sample.Start.AddMinutes(1),
            Smtp: new SmtpSettings("smtp.acme.example", 587, "vigil@acme.example", SmtpTls.StartTls, "mailer"));
        var webhook = new AlertChannel("ch-9", AlertChannelKind.Webhook, "https://hooks.acme.example/…", Sample.Start, HasSigningSecret: true);
        await using (var opened = await OpenAsync())
        {
            var store = opened.Store!;
            Assert.Empty(await store.ListAlertChannelsAsync(Ct));
            await store.SaveAlertChannelAsync(email, new Secret("""{"password":"pw-email"}"""), Ct);
            await store.SaveAlertChannelAsync(webhook, new Secret("""{"url":"https://hooks.acme.example/in/abc"}"""), Ct);
        }

        await using (var reopened = await OpenAsync())
        {
            var store = reopened.Store!;
            var channels = await store.ListAlertChannelsAsync(Ct);
            Sample.AssertDeepEqual<IReadOnlyList<AlertChannel>>([email, webhook], channels);
            Assert.Equal("""{"url":"https://hooks.acme.example/in/abc"}""", (await store.ReadAlertChannelSecretAsync("ch-9", Ct)).Reveal());
            await Assert.ThrowsAsync<KeyNotFoundException>(() => store.ReadAlertChannelSecretAsync("ch-404", Ct));

            Assert.True(await store.RemoveAlertChannelAsync("ch-2", Ct));
            Assert.False(await store.RemoveAlertChannelAsync("ch-2", Ct));
            Assert.Equal(["ch-9"], (await store.ListAlertChannelsAsync(Ct)).Select(c => c.Id));
        }
    }

    [Fact]
    public async Task Alert_conditions_are_held_updated_and_cleared_together()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        await store.SaveAlertConditionsAsync(
            [new AlertCondition("check:a", "m1\nm2", Sample.Start), new AlertCondition("sync", "run-1", Sample.Start)], [], Ct);
        await store.SaveAlertConditionsAsync(
            [new AlertCondition("check:a", "m1", Sample.Start), new AlertCondition("review-due:c1", "2026-12-01", Sample.Start.AddHours(1))], ["sync", "never-held"], Ct);

        Sample.AssertDeepEqual<IReadOnlyList<AlertCondition>>(
            [new AlertCondition("check:a", "m1", Sample.Start), new AlertCondition("review-due:c1", "2026-12-01", Sample.Start.AddHours(1))],
            await store.ListAlertConditionsAsync(Ct));
    }

    [Fact]
    public async Task The_alert_log_lists_the_newest_first_with_every_field()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        var sent = new AlertLogEntry("a-1", Sample.Start, "check_failed", "cloudflare.member-2fa-enabled", "Check failing: 2FA", "ch-1",
            "webhook https://hooks.acme.example/…", "sent", 2, null, Sample.Start.AddSeconds(3));
        var failed = sent with { ChannelId = "ch-2", Channel = "email ops@acme.example", Status = "failed", Attempts = 3, Error = "HTTP 503", DeliveredAt = null };
        var none = new AlertLogEntry("a-2", Sample.Start.AddHours(1), "sync_failed", "run-2", "Sync run-2 failed", null, "none", "no_channel", 0, null, null);
        await store.AddAlertLogAsync([sent, failed], Ct);
        await store.AddAlertLogAsync([none], Ct);

        Sample.AssertDeepEqual<IReadOnlyList<AlertLogEntry>>([none, failed], await store.ListAlertLogAsync(2, Ct));
        Assert.Equal(3, (await store.ListAlertLogAsync(50, Ct)).Count);
    }

    [Fact]
    public async Task Alerts_of_one_organisation_are_invisible_to_another()
    {
        await using var opened = await OpenAsync();
        var store = opened.Store!;
        await store.SaveAlertChannelAsync(new AlertChannel("ch-1", AlertChannelKind.Slack, "https://hooks.slack.com/…", Sample.Start), new Secret("{}"), Ct);
        await store.SaveAlertConditionsAsync([new AlertCondition("sync", "run-1", Sample.Start)], [], Ct);
        await store.AddAlertLogAsync([new AlertLogEntry("a-1", Sample.Start, "test", "test", "Vigil test alert", "ch-1", "slack", "sent", 1, null, Sample.Start)], Ct);

        await using var other = store.ForOrganisation(await store.AddOrganisationAsync("Other Corp", Sample.Start, Ct));
        Assert.Empty(await other.ListAlertChannelsAsync(Ct));
        Assert.Empty(await other.ListAlertConditionsAsync(Ct));
        Assert.Empty(await other.ListAlertLogAsync(10, Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => other.ReadAlertChannelSecretAsync("ch-1", Ct));
        Assert.False(await other.RemoveAlertChannelAsync("ch-1", Ct));
        // The same id in another organisation is its own channel.
        await other.SaveAlertChannelAsync(new AlertChannel("ch-1", AlertChannelKind.Webhook, "https://other.example/…", Sample.Start), new Secret("""{"url":"x"}"""), Ct);
        Assert.Equal(AlertChannelKind.Slack, Assert.Single(await store.ListAlertChannelsAsync(Ct)).Kind);
        Assert.Equal("{}", (await store.ReadAlertChannelSecretAsync("ch-1", Ct)).Reveal());
    }
}

// Pending alert deliveries: kept with their next attempt, claimed once per round, finished with the log.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_pending_alert_delivery_is_claimed_by_one_round_only_and_finished_with_its_log_line()
    {
        var failed = new AlertLogEntry("a-1", Sample.Start, "check_failed", "cloudflare.member-2fa-enabled", "Check failing: 2FA", "ch-1",
            "webhook https://hooks.acme.example/…", "failed", 3, "HTTP 503", null, Sample.Start.AddMinutes(5));
        var later = new PendingAlertDelivery("a-1", "ch-1", """{"id":"a-1"}""", 1, 3, Sample.Start.AddMinutes(5), "HTTP 503");
        var other = new PendingAlertDelivery("a-2", "ch-1", """{"id":"a-2"}""", 2, 4, Sample.Start.AddHours(2), "timeout");
        await using (var opened = await OpenAsync())
        {
            var store = opened.Store!;
            await store.RecordAlertDeliveriesAsync([failed], [later, other], Ct);
            Sample.AssertDeepEqual<IReadOnlyList<PendingAlertDelivery>>([later, other], await store.ListPendingAlertDeliveriesAsync(Ct));
            Assert.Equal(Sample.Start.AddMinutes(5), Assert.Single(await store.ListAlertLogAsync(10, Ct)).NextAttemptAt);

            // Not due yet: nothing is taken.
            Assert.Empty(await store.ClaimAlertDeliveriesAsync(Sample.Start.AddMinutes(4), Sample.Start.AddMinutes(4), Sample.Start.AddMinutes(19), Ct));
        }

        await using (var reopened = await OpenAsync())
        {
            var store = reopened.Store!;
            var lease = Sample.Start.AddMinutes(21);
            var now = Sample.Start.AddMinutes(6);
            Sample.AssertDeepEqual<IReadOnlyList<PendingAlertDelivery>>([later], await store.ClaimAlertDeliveriesAsync(now, now, lease, Ct));
            // A second round at the same time finds it held, even one that takes every pending delivery.
            Assert.Empty(await store.ClaimAlertDeliveriesAsync(now, now, lease, Ct));
            Sample.AssertDeepEqual<IReadOnlyList<PendingAlertDelivery>>([other], await store.ClaimAlertDeliveriesAsync(DateTimeOffset.MaxValue, now, lease, Ct));
            // After the lease (a round that crashed), it can be taken again.
            Sample.AssertDeepEqual<IReadOnlyList<PendingAlertDelivery>>([later, other], await store.ClaimAlertDeliveriesAsync(DateTimeOffset.MaxValue, lease, lease.AddMinutes(15), Ct));

            var sent = failed with { Status = "sent", Attempts = 1, Error = null, DeliveredAt = Sample.Start.AddMinutes(6), NextAttemptAt = null };
            await store.RecordAlertDeliveriesAsync([sent], [], Ct);
            Sample.AssertDeepEqual<IReadOnlyList<PendingAlertDelivery>>([other], await store.ListPendingAlertDeliveriesAsync(Ct));
            Sample.AssertDeepEqual<IReadOnlyList<AlertLogEntry>>([sent, failed], await store.ListAlertLogAsync(10, Ct));

            // A failed round replaces the pending row and releases it; claiming everything ignores the due time.
            var again = other with { Rounds = 3, Attempts = 7, NextAttemptAt = Sample.Start.AddHours(4), LastError = "HTTP 502" };
            await store.RecordAlertDeliveriesAsync([], [again], Ct);
            Sample.AssertDeepEqual<IReadOnlyList<PendingAlertDelivery>>([again], await store.ClaimAlertDeliveriesAsync(DateTimeOffset.MaxValue, now, lease, Ct));
        }
    }
}
