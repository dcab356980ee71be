namespace Vigil.Cloudflare.Sync;

/// <summary>
/// The freshness guarantee of incremental sync: which resources (zones, accounts' access data, accounts' rulesets and
/// Logpush jobs) a sync re-reads although the audit log names no change to them, so that none is older than
/// max_resource_age_hours while the refresh is spread over the syncs of the period, oldest first.
/// </summary>
public static class FreshnessRule
{
    /// <summary>
    /// A resource read less than this share of max_resource_age_hours ago is never re-read for freshness (1/8: 3 h at the
    /// default 24 h). Right after a full sync nothing needs refreshing, so the syncs of the first hours stay cheap; the whole
    /// set is then spread over the syncs left before its deadline.
    /// </summary>
    public const int HoldOffDivisor = 8;

    /// <summary>The shortest interval freshness assumes between syncs (two syncs in the same minute would otherwise divide by nothing).</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The resources re-read for freshness, oldest first (those re-read for a change are not candidates: their read is fresh).
    /// Each resource must be re-read by its deadline (last read + <paramref name="maxAge"/>); assuming the next syncs come
    /// as long apart as this one came after the last (<paramref name="elapsed"/>), this sync re-reads the fewest resources
    /// that still lets every deadline be met at the same rate: for the k oldest resources, whose deadline leaves n syncs
    /// (this one included), at least ceil(k / n) now. Also always: every resource that would pass <paramref name="maxAge"/>
    /// before the next sync. Never: a resource read less than maxAge / <see cref="HoldOffDivisor"/> ago (unless
    /// already due). So after a full sync the refresh starts at 3 h (at 24 h) and then re-reads about 1/22 of the set per hourly
    /// sync; in the steady state each resource is re-read shortly before it turns maxAge, about 1/24 of the set per hour.
    /// </summary>
    public static IReadOnlyList<string> Due(IReadOnlyList<(string Id, DateTimeOffset ObservedAt)> candidates, TimeSpan elapsed, TimeSpan maxAge, DateTimeOffset now)
    {
        if (candidates.Count == 0)
        {
            return [];
        }
        var ordered = candidates.OrderBy(c => c.ObservedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        if (maxAge <= TimeSpan.Zero)
        {
            return [.. ordered.Select(c => c.Id)];
        }
        var interval = elapsed < MinimumInterval ? MinimumInterval : elapsed;
        var holdOff = maxAge / HoldOffDivisor;
        var take = 0;
        for (var k = 0; k < ordered.Count; k++)
        {
            var observedAt = ordered[k].ObservedAt;
            var left = observedAt == DateTimeOffset.MinValue ? TimeSpan.MinValue : observedAt + maxAge - now;
            if (left < interval)
            {
                take = k + 1; // would be older than maxAge at the next sync
                continue;
            }
            if (now - observedAt < holdOff)
            {
                break; // read recently, and so is every younger one
            }
            var syncsLeft = Math.Floor(left / interval) + 1;
            take = Math.Max(take, (int)Math.Ceiling((k + 1) / syncsLeft));
        }
        return [.. ordered.Take(take).Select(c => c.Id)];
    }
}
