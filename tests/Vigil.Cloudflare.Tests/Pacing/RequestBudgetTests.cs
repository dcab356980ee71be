using Microsoft.Extensions.Time.Testing;
using Vigil.Cloudflare.Pacing;

namespace Vigil.Cloudflare.Tests.Pacing;

public sealed class RequestBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Acquires one turn, moving fake time forward in small steps while it waits; returns the send time.</summary>
    private static async Task<DateTimeOffset> AcquireAsync(RequestBudget budget, FakeTimeProvider time, TimeSpan? step = null)
    {
        var task = budget.AcquireAsync(CancellationToken.None).AsTask();
        while (!task.IsCompleted)
        {
            await Task.Delay(1);
            if (!task.IsCompleted)
            {
                time.Advance(step ?? TimeSpan.FromMilliseconds(250));
            }
        }
        await task;
        budget.Complete();
        return time.GetUtcNow();
    }

    [Fact]
    public async Task Never_sends_more_than_the_limit_in_any_sliding_window()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 10, window: TimeSpan.FromSeconds(60), perSecond: 100, time);
        var sends = new List<DateTimeOffset>();
        for (var i = 0; i < 35; i++)
        {
            sends.Add(await AcquireAsync(budget, time));
            if (i % 4 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(7)); // an uneven pace, so windows straddle bursts
            }
        }

        foreach (var windowStart in sends)
        {
            var inWindow = sends.Count(s => s >= windowStart && s < windowStart + budget.Window);
            Assert.True(inWindow <= 10, $"{inWindow} sends in the window starting {windowStart:HH:mm:ss.fff}");
        }
        Assert.Equal(35, budget.Sent);
        Assert.True(budget.TimeWaited > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_burst_spends_the_limit_then_waits_a_whole_window_rather_than_refilling()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 5, window: TimeSpan.FromSeconds(60), perSecond: 100, time);
        var sends = new List<DateTimeOffset>();
        for (var i = 0; i < 7; i++)
        {
            sends.Add(await AcquireAsync(budget, time, TimeSpan.FromSeconds(1)));
        }

        Assert.All(sends.Take(5), s => Assert.Equal(Start, s));
        // A token bucket would let the 6th through after 12 s; the window log holds it until the first send leaves the window.
        Assert.True(sends[5] >= Start.AddSeconds(60), $"6th send at {sends[5]:HH:mm:ss}");
    }

    [Fact]
    public async Task Cloudflare_remaining_figure_wins_when_lower_than_the_budget()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 100, window: TimeSpan.FromMinutes(5), perSecond: 100, time);
        await AcquireAsync(budget, time);
        budget.ObserveServerQuota(remaining: 2, resetAfter: TimeSpan.FromSeconds(30));

        Assert.Equal(Start, await AcquireAsync(budget, time));
        Assert.Equal(Start, await AcquireAsync(budget, time));
        var third = await AcquireAsync(budget, time, TimeSpan.FromSeconds(1));

        Assert.Equal(Start.AddSeconds(30), third);
    }

    [Fact]
    public async Task Cloudflare_figure_counts_requests_still_in_flight()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 100, window: TimeSpan.FromMinutes(5), perSecond: 100, time);
        await budget.AcquireAsync(CancellationToken.None); // answered below
        await budget.AcquireAsync(CancellationToken.None); // still in flight
        budget.Complete();
        budget.ObserveServerQuota(remaining: 2, resetAfter: TimeSpan.FromSeconds(10));

        // One of the two remaining is taken by the request in flight: one more may go now, the next waits for the reset.
        Assert.Equal(Start, await AcquireAsync(budget, time));
        Assert.Equal(Start.AddSeconds(10), await AcquireAsync(budget, time, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_higher_stale_figure_does_not_undo_a_lower_one_in_the_same_server_window()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 100, window: TimeSpan.FromMinutes(5), perSecond: 100, time);
        budget.ObserveServerQuota(remaining: 0, resetAfter: TimeSpan.FromSeconds(20));
        budget.ObserveServerQuota(remaining: 50, resetAfter: TimeSpan.FromSeconds(20));

        Assert.Equal(Start.AddSeconds(20), await AcquireAsync(budget, time, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Retry_after_blocks_every_caller_until_it_has_passed()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 100, window: TimeSpan.FromMinutes(5), perSecond: 100, time);
        budget.BlockFor(TimeSpan.FromSeconds(17));

        var sent = await AcquireAsync(budget, time, TimeSpan.FromSeconds(1));

        Assert.Equal(Start.AddSeconds(17), sent);
        Assert.True(budget.TimeWaited >= TimeSpan.FromSeconds(17));
    }

    [Fact]
    public async Task Per_second_cap_spreads_a_burst()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 100, window: TimeSpan.FromMinutes(5), perSecond: 3, time);
        var sends = new List<DateTimeOffset>();
        for (var i = 0; i < 7; i++)
        {
            sends.Add(await AcquireAsync(budget, time, TimeSpan.FromMilliseconds(100)));
        }

        foreach (var s in sends)
        {
            Assert.True(sends.Count(x => x >= s && x < s.AddSeconds(1)) <= 3);
        }
        Assert.False(budget.IsPacing); // the per-second cap is speed, not the rate-limit budget
    }

    [Fact]
    public async Task Estimates_time_for_more_requests_from_the_send_log()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 10, window: TimeSpan.FromSeconds(60), perSecond: 1000, time);
        for (var i = 0; i < 10; i++)
        {
            await AcquireAsync(budget, time);
        }

        Assert.Equal(TimeSpan.FromSeconds(60), budget.EstimateTimeFor(5));
        Assert.Equal(TimeSpan.FromSeconds(120), budget.EstimateTimeFor(15));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(budget.EstimateTimeFor(5) < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Cancellation_stops_a_waiting_caller()
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(limit: 1, window: TimeSpan.FromMinutes(5), perSecond: 10, time);
        await budget.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = budget.AcquireAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(1, budget.Sent);
    }

    [Theory]
    [InlineData("retry-after")]
    [InlineData("ratelimit-reset")]
    public async Task No_wait_the_server_asks_for_lasts_longer_than_the_window(string how)
    {
        var time = new FakeTimeProvider(Start);
        var budget = new RequestBudget(600, TimeSpan.FromMinutes(5), 20, time);
        if (how == "retry-after")
        {
            budget.BlockFor(TimeSpan.FromSeconds(999999));
        }
        else
        {
            budget.ObserveServerQuota(0, TimeSpan.FromDays(3));
        }

        var sentAt = await AcquireAsync(budget, time, TimeSpan.FromSeconds(10));

        Assert.InRange(sentAt - Start, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));
    }
}
