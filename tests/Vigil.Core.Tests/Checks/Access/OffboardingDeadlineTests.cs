using Vigil.Core.Checks.Access;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class OffboardingDeadlineTests
{
    [Fact]
    public void In_utc_the_day_ends_at_midnight_utc()
    {
        var deadline = OffboardingDeadline.For(new DateOnly(2026, 9, 30), TimeZoneInfo.Utc, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), deadline.Due);
        Assert.Equal("2026-10-01 00:00 UTC (end of 2026-09-30 + 0 days grace)", deadline.Description);
    }

    [Fact]
    public void When_the_clocks_skip_midnight_the_day_ends_at_the_jump()
    {
        // Chile starts summer time at 24:00 on Saturday 2026-09-05: 00:00 on the 6th never happens, clocks show 01:00 (UTC-3).
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        Assert.True(santiago.IsInvalidTime(new DateTime(2026, 9, 6, 0, 0, 0, DateTimeKind.Unspecified)));

        var deadline = OffboardingDeadline.For(new DateOnly(2026, 9, 5), santiago, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 9, 6, 4, 0, 0, TimeSpan.Zero), deadline.Due);
        Assert.StartsWith("2026-09-06 01:00 America/Santiago", deadline.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void When_midnight_happens_twice_the_day_ends_at_the_first()
    {
        // Cuba ends summer time at 01:00 on Sunday 2026-11-01, back to 00:00: midnight comes first at 04:00 UTC (UTC-4).
        var havana = TimeZoneInfo.FindSystemTimeZoneById("America/Havana");
        Assert.True(havana.IsAmbiguousTime(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Unspecified)));

        var deadline = OffboardingDeadline.For(new DateOnly(2026, 10, 31), havana, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 4, 0, 0, TimeSpan.Zero), deadline.Due);
    }

    [Fact]
    public void East_of_utc_the_day_ends_before_midnight_utc()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

        var deadline = OffboardingDeadline.For(new DateOnly(2026, 9, 30), tokyo, TimeSpan.FromDays(2));

        Assert.Equal(new DateTimeOffset(2026, 10, 2, 15, 0, 0, TimeSpan.Zero), deadline.Due);
        Assert.Equal("2026-10-03 00:00 Asia/Tokyo (end of 2026-09-30 + 2 days grace)", deadline.Description);
    }
}
