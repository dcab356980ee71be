namespace Vigil.Bench;

/// <summary>An organisation size and the rate-limit figures it is run under.</summary>
/// <param name="SimulatorLimit">Requests per credential per <paramref name="Window"/> the simulator allows (Cloudflare: 1,200 per 5 minutes).</param>
/// <param name="AccessTarget">How soon the access stage must have committed.</param>
internal sealed record BenchSize(string Name, int Accounts, int Members, int Zones, int SimulatorLimit, TimeSpan Window, TimeSpan AccessTarget)
{
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(50);

    /// <summary>Cloudflare's ceiling per client address; the client is allowed the same so the bound is reachable.</summary>
    public const int PerIpPerSecond = 200;

    /// <summary>Zones read at the same time: the client's default, kept so the figures describe the shipped behaviour.</summary>
    public const int Concurrency = 8;

    /// <summary>Vigil's policy: use half of the limit, leaving the rest to the customer's dashboard and scripts.</summary>
    public int ClientBudget => SimulatorLimit / 2;

    /// <summary>Cloudflare's real figures: 1,200 requests per 5 minutes.</summary>
    public static BenchSize Small() => new("small", 2, 500, 200, 1200, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(2));

    /// <summary>
    /// At 1,200 per 5 minutes the large organisation would take over an hour per case, so it gets an Enterprise-style
    /// limit of 200 requests per second of window (12,000 per minute by default): the budget still runs out and the
    /// window still stalls the sync, but a case takes minutes.
    /// </summary>
    public static BenchSize Large(int windowSeconds) =>
        new("large", 20, 10_000, 2_000, 200 * windowSeconds, TimeSpan.FromSeconds(windowSeconds), TimeSpan.FromSeconds(10));

    /// <summary>
    /// Every member in one account: 200 member pages of one list, the case where reading a list page after page would
    /// hold the access stage back longest. Limits as for the large organisation.
    /// </summary>
    public static BenchSize OneAccount(int windowSeconds) =>
        new("one-account", 1, 10_000, 200, 200 * windowSeconds, TimeSpan.FromSeconds(windowSeconds), TimeSpan.FromSeconds(10));

    /// <summary>A smoke run: small org, 32 requests per second of window, so the window is hit several times in seconds.</summary>
    public static BenchSize Quick(int windowSeconds) =>
        new("quick", 2, 100, 40, 32 * windowSeconds, TimeSpan.FromSeconds(windowSeconds), TimeSpan.FromSeconds(2));
}

/// <summary>One run: a size with the batch settings call either answering or ended.</summary>
internal sealed record BenchCase(BenchSize Size, bool BatchEnded)
{
    public string Name => $"{Size.Name}/batch-{(BatchEnded ? "off" : "on")}";
}
