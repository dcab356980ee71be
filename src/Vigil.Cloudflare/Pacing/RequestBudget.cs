namespace Vigil.Cloudflare.Pacing;

/// <summary>
/// Vigil's own share of Cloudflare's rate limit: at most <c>Limit</c> requests in any sliding <c>Window</c>
/// (default 600 in 5 minutes, half of Cloudflare's 1,200) and at most <c>PerSecond</c> in any second.
/// </summary>
/// <remarks>
/// Cloudflare's limit is shared with the customer's dashboard, Terraform and scripts, and one request over it blocks
/// every call for five minutes. So this is a log of send times, not a token bucket: a bucket that refills while it
/// bursts could spend the customer's whole limit in one window. When Cloudflare's <c>Ratelimit</c> header says fewer
/// requests remain than this log allows, the lower figure wins until the header's reset time. A 429 stops every
/// caller until its Retry-After has passed.
/// </remarks>
public sealed class RequestBudget
{
    private readonly TimeProvider _time;
    private readonly Queue<DateTimeOffset> _sentInWindow = new();
    private readonly Queue<DateTimeOffset> _sentInSecond = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _state = new();

    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;
    private int? _serverRemaining;
    private DateTimeOffset _serverResetAt = DateTimeOffset.MinValue;
    private long _sent;
    private int _inFlight;
    private long _waitedTicks;
    private DateTimeOffset _pacedUntil = DateTimeOffset.MinValue;

    public RequestBudget(int limit, TimeSpan window, int perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        Limit = limit;
        Window = window;
        PerSecond = perSecond;
        _time = time;
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    public int PerSecond { get; }

    /// <summary>Requests let through since this budget was created.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Total time callers spent waiting for a turn.</summary>
    public TimeSpan TimeWaited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    /// <summary>True while a caller is held back by the window, the server's figure or a 429 (not by the per-second cap alone).</summary>
    public bool IsPacing
    {
        get
        {
            lock (_state)
            {
                return _time.GetUtcNow() < _pacedUntil;
            }
        }
    }

    /// <summary>Waits until one more request fits, records it as sent, and returns how long it waited.</summary>
    public async ValueTask<TimeSpan> AcquireAsync(CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        // One waiter at a time keeps the order fair and the log consistent; the others queue behind it.
        await _turn.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan delay;
                lock (_state)
                {
                    var now = _time.GetUtcNow();
                    delay = DelayBeforeNextSend(now, out var paced);
                    if (delay <= TimeSpan.Zero)
                    {
                        _sentInWindow.Enqueue(now);
                        _sentInSecond.Enqueue(now);
                        if (_serverRemaining is { } remaining && now < _serverResetAt)
                        {
                            _serverRemaining = remaining - 1;
                        }
                        Interlocked.Increment(ref _sent);
                        _inFlight++;
                        var waited = _time.GetElapsedTime(started);
                        Interlocked.Add(ref _waitedTicks, waited.Ticks);
                        return waited;
                    }
                    if (paced)
                    {
                        _pacedUntil = now + delay;
                    }
                }
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Marks a request let through by <see cref="AcquireAsync"/> as answered (or failed), so it no longer counts as in flight.</summary>
    public void Complete()
    {
        lock (_state)
        {
            _inFlight = Math.Max(0, _inFlight - 1);
        }
    }

    /// <summary>
    /// Takes Cloudflare's own count into account: <paramref name="remaining"/> requests left until <paramref name="resetAfter"/>.
    /// The lower of that and this budget's count wins. Call after <see cref="Complete"/> for the answering request:
    /// requests still in flight may not be in Cloudflare's figure yet, so they are taken off it.
    /// </summary>
    public void ObserveServerQuota(int remaining, TimeSpan resetAfter)
    {
        lock (_state)
        {
            var now = _time.GetUtcNow();
            remaining -= _inFlight;
            // A reset further away than one window is not Cloudflare's limit (it resets every window): cap the wait there.
            var resetAt = now + Clamp(resetAfter);
            if (_serverRemaining is null || now >= _serverResetAt)
            {
                _serverRemaining = remaining;
                _serverResetAt = resetAt;
                return;
            }
            // Responses of concurrent requests arrive out of order: within one server window keep the lowest count.
            if (remaining <= _serverRemaining)
            {
                _serverRemaining = remaining;
                _serverResetAt = resetAt > _serverResetAt ? resetAt : _serverResetAt;
            }
        }
    }

    /// <summary>
    /// Stops every caller until <paramref name="wait"/> has passed (after a 429, as Retry-After says), never longer than
    /// one <see cref="Window"/>: a server asking for more is refused by the client, not obeyed.
    /// </summary>
    public void BlockFor(TimeSpan wait)
    {
        lock (_state)
        {
            var until = _time.GetUtcNow() + Clamp(wait);
            if (until > _blockedUntil)
            {
                _blockedUntil = until;
            }
        }
    }

    /// <summary>How long, at this budget's pace, until <paramref name="requests"/> more requests could all have been sent.</summary>
    public TimeSpan EstimateTimeFor(int requests)
    {
        lock (_state)
        {
            var now = _time.GetUtcNow();
            Prune(now);
            var start = _blockedUntil > now ? _blockedUntil - now : TimeSpan.Zero;
            var available = Limit - _sentInWindow.Count;
            if (requests <= available)
            {
                return start + TimeSpan.FromSeconds((double)requests / PerSecond);
            }
            // Past what is free now, each later request waits for one logged send to leave the window; the log then
            // repeats one window later for every further full batch of Limit requests.
            var beyond = requests - Math.Max(available, 0) - 1;
            var fullWindows = beyond / Limit;
            var index = beyond % Limit;
            var log = _sentInWindow.ToArray();
            var anchor = index < log.Length ? log[index] : now;
            var eta = anchor + Window * (fullWindows + 1) - now;
            return eta > start ? eta : start;
        }
    }

    private TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Window ? Window : wait;

    private TimeSpan DelayBeforeNextSend(DateTimeOffset now, out bool paced)
    {
        Prune(now);
        paced = true;
        if (now < _blockedUntil)
        {
            return _blockedUntil - now;
        }
        if (_sentInWindow.Count >= Limit)
        {
            return _sentInWindow.Peek() + Window - now;
        }
        if (_serverRemaining is <= 0 && now < _serverResetAt)
        {
            return _serverResetAt - now;
        }
        paced = false;
        if (_sentInSecond.Count >= PerSecond)
        {
            return _sentInSecond.Peek() + TimeSpan.FromSeconds(1) - now;
        }
        return TimeSpan.Zero;
    }

    private void Prune(DateTimeOffset now)
    {
        while (_sentInWindow.Count > 0 && _sentInWindow.Peek() + Window <= now)
        {
            _sentInWindow.Dequeue();
        }
        while (_sentInSecond.Count > 0 && _sentInSecond.Peek() + TimeSpan.FromSeconds(1) <= now)
        {
            _sentInSecond.Dequeue();
        }
        if (_serverRemaining is not null && now >= _serverResetAt)
        {
            _serverRemaining = null;
        }
    }
}
