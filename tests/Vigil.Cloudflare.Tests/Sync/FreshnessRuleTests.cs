using Vigil.Cloudflare.Sync;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>The freshness rule of incremental sync: spread over the syncs of the period, oldest first, nothing past max age, no burst.</summary>
public sealed class FreshnessRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static List<(string Id, DateTimeOffset ObservedAt)> ReadAt(DateTimeOffset at, int count) =>
        [.. Enumerable.Range(0, count).Select(i => ($"r{i:000}", at))];

    [Fact]
    public void Nothing_is_re_read_an_hour_after_a_full_sync()
    {
        Assert.Empty(FreshnessRule.Due(ReadAt(T0, 100), Hour, MaxAge, T0 + Hour));
        Assert.Empty(FreshnessRule.Due(ReadAt(T0, 100), Hour, MaxAge, T0 + MaxAge / FreshnessRule.HoldOffDivisor - TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void After_the_hold_off_the_oldest_are_re_read_at_the_rate_that_meets_every_deadline()
    {
        var candidates = ReadAt(T0, 100);
        candidates[42] = ("r042", T0 - TimeSpan.FromHours(2));
        var due = FreshnessRule.Due(candidates, Hour, MaxAge, T0 + TimeSpan.FromHours(3));
        // 21 h left to the deadline at hourly syncs: 22 syncs, this one included, for 100 resources.
        Assert.Equal(5, due.Count);
        Assert.Equal(["r042", "r000", "r001", "r002", "r003"], due);
    }

    [Fact]
    public void What_would_pass_max_age_before_the_next_sync_is_always_re_read()
    {
        var candidates = ReadAt(T0, 10);
        candidates.Add(("late", T0 - TimeSpan.FromHours(23) - TimeSpan.FromMinutes(30)));
        candidates.Add(("never", DateTimeOffset.MinValue));
        Assert.Equal(["never", "late"], FreshnessRule.Due(candidates, Hour, MaxAge, T0 + TimeSpan.FromMinutes(10)));
        // Two syncs in the same instant: the rule assumes a minute between syncs rather than dividing by nothing.
        Assert.Equal(["never"], FreshnessRule.Due(candidates, TimeSpan.Zero, MaxAge, T0 - TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void Hourly_syncs_keep_every_resource_under_max_age_without_a_burst(int seed)
    {
        const int resources = 500;
        var random = new Random(seed);
        var read = ReadAt(T0, resources).ToDictionary(r => r.Id, r => r.ObservedAt, StringComparer.Ordinal);
        var perSync = new List<int>();
        for (var hour = 1; hour <= 96; hour++)
        {
            var now = T0 + hour * Hour;
            var changed = Enumerable.Range(0, 5).Select(_ => $"r{random.Next(resources):000}").ToHashSet(StringComparer.Ordinal);
            var due = FreshnessRule.Due([.. read.Where(r => !changed.Contains(r.Key)).Select(r => (r.Key, r.Value))], Hour, MaxAge, now);
            foreach (var id in changed.Concat(due))
            {
                read[id] = now;
            }
            perSync.Add(due.Count);
            Assert.All(read, r => Assert.True(now - r.Value <= MaxAge, $"{r.Key} read at {r.Value:dd HH:mm}, now {now:dd HH:mm}"));
        }
        // The spread after a full sync: 500 over the 22 syncs from the 3rd hour to the 24th (23 each); never a burst at
        // the 24th hour, and about 1/24 of the set per hour once the reads are spread.
        Assert.Equal(0, perSync.Take(2).Sum());
        Assert.True(perSync.Max() <= (int)Math.Ceiling(resources / 22.0), $"highest {perSync.Max()} in one sync: {string.Join(",", perSync)}");
        Assert.InRange(perSync.Skip(24).Average(), resources / 24.0 - 5, resources / 24.0 + 1); // + 1: each sync rounds its share up
    }
}
