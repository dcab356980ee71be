namespace Vigil.Bench;

/// <summary>One table per case: each figure, its target, PASS or MISS.</summary>
internal static class Report
{
    /// <summary>
    /// Live heap per synced member may be at most this many times the member's raw JSON held as text: the evidence copy,
    /// the parsed response and the mapped row. More means the sync holds something per member beyond the rows it keeps.
    /// </summary>
    public const double MemoryFactor = 3;

    private const int MinMembersForSlope = 2000;

    /// <summary>Prints the case and returns the number of missed targets.</summary>
    public static int Print(BenchCase benchCase, SyncBound bound, CaseResult? result, long simRequests, long simRateLimited)
    {
        var size = benchCase.Size;
        Console.WriteLine($"{benchCase.Name}: {size.Accounts} accounts, {size.Members:N0} members, {bound.ZonesTotal:N0} zones ({bound.MonitoredZones:N0} active and read one by one), "
            + $"batch settings call {(benchCase.BatchEnded ? "ended (this run discovers it)" : "answering")}");
        Console.WriteLine($"  limits: simulator {size.SimulatorLimit:N0} per {Seconds(size.Window)} per token, {BenchSize.PerIpPerSecond}/s per IP; "
            + $"client budget B = {size.ClientBudget:N0} per {Seconds(size.Window)}, {BenchSize.PerIpPerSecond}/s, {BenchSize.Concurrency} zones at once");
        Console.WriteLine($"  bound: C = {bound.MinimumCalls:N0} minimal calls (access {bound.AccessCalls:N0} + infra {bound.InfraCalls:N0}); chain = {bound.Chain:N0} round trips "
            + $"(access {bound.AccessChain} + zone list + first zone {bound.FirstZone} + {bound.ParallelZones:N0} zones / {BenchSize.Concurrency} x {bound.PerZone})");
        Console.WriteLine(bound.FullWindows == 0
            ? $"         C <= B: max(C / {BenchSize.PerIpPerSecond} s, chain x {BenchSize.Latency.TotalMilliseconds:0} ms) = {bound.Bound.TotalSeconds:0.0} s"
            : $"         C > B: floor((C-1)/B) = {bound.FullWindows} windows x {Seconds(size.Window)} + last {bound.LastWindowCalls:N0} calls "
              + $"(max({bound.LastWindowCalls} / {BenchSize.PerIpPerSecond} s, chain {bound.ChainOfLast(bound.LastWindowCalls)} x {BenchSize.Latency.TotalMilliseconds:0} ms) = {bound.TimeFor(bound.LastWindowCalls).TotalSeconds:0.0} s) = {bound.Bound.TotalSeconds:0.0} s");
        if (result is null)
        {
            Console.WriteLine("  MISS: the case process produced no result (see its errors above).");
            return 1;
        }
        if (result.Status != "Complete")
        {
            Console.WriteLine($"  sync finished {result.Status}: {result.Reason}");
        }

        var misses = 0;
        var rows = new List<(string Figure, string Measured, string Target, bool? Pass)>
        {
            ("API calls", $"{result.ApiCalls:N0} (simulator saw {simRequests:N0})", $"= minimum {bound.MinimumCalls:N0}", result.ApiCalls == bound.MinimumCalls && simRequests == bound.MinimumCalls),
            ("access stage committed", $"{result.AccessCommittedSeconds:0.00} s", $"<= {size.AccessTarget.TotalSeconds:0} s", result.AccessCommittedSeconds <= size.AccessTarget.TotalSeconds),
            ("total wall time", $"{result.WallSeconds:0.0} s ({result.WallSeconds / bound.Bound.TotalSeconds:0.00} x bound)", $"<= 1.1 x {bound.Bound.TotalSeconds:0.0} s = {bound.Bound.TotalSeconds * 1.1:0.0} s",
                result.WallSeconds <= bound.Bound.TotalSeconds * 1.1),
            ("  of which waiting on budget", $"{result.BudgetWaitSeconds:0.0} s (summed over callers)", "", null),
            ("429s (client / simulator)", $"{result.RateLimited} / {simRateLimited}", "0", result.RateLimited == 0 && simRateLimited == 0),
            ("sync status", result.Status, "Complete", result.Status == "Complete"),
        };

        // Per member: the live heap added between a fifth of the members and the end of the stage, over the members added,
        // against the raw JSON the stage keeps per member as evidence (UTF-16 text, 2 bytes a character).
        var accessGrowth = result.AccessEndLiveHeapBytes - result.BaselineLiveHeapBytes;
        var keptPerMember = 2.0 * result.AccessResponseBytes / Math.Max(1, result.AccessMembers);
        var laterMembers = result.AccessMembers - result.EarlyMembers;
        // Below a few thousand members the per-member figure drowns in one-off allocations and measurement noise.
        double? perMember = result.EarlyLiveHeapBytes > 0 && laterMembers >= MinMembersForSlope
            ? (double)(result.AccessEndLiveHeapBytes - result.EarlyLiveHeapBytes) / laterMembers
            : null;
        rows.Add(("access: live heap per member", perMember is { } slope ? $"{slope:N0} B ({slope / keptPerMember:0.0} x its JSON)" : $"n/a (under {MinMembersForSlope:N0} members)",
            $"<= {MemoryFactor:0} x JSON kept per member {keptPerMember:N0} B = {keptPerMember * MemoryFactor:N0} B", perMember is null ? null : perMember <= keptPerMember * MemoryFactor));
        rows.Add(("access: live heap growth", $"{Mb(accessGrowth)} for {result.AccessMembers:N0} members", $"(raw JSON kept {Mb(result.AccessResponseBytes * 2)})", null));
        var infraGrowth = result.InfraEndLiveHeapBytes - result.BaselineLiveHeapBytes;
        var infraKept = result.InfraResponseBytes * 2;
        rows.Add(("infra: live heap growth", $"{Mb(infraGrowth)} = {infraGrowth / Math.Max(1, result.Zones):N0} B/zone",
            $"(raw JSON kept {Mb(infraKept)}: {(double)infraGrowth / Math.Max(1, infraKept):0.0} x)", null));
        rows.Add(("peak managed heap", Mb(result.PeakManagedHeapBytes), "(garbage included, sampled every 10 ms)", null));
        rows.Add(("peak working set", Mb(result.PeakWorkingSetBytes), "(whole sync process)", null));

        var width = rows.Max(r => r.Figure.Length);
        var measuredWidth = rows.Max(r => r.Measured.Length);
        var targetWidth = rows.Max(r => r.Target.Length);
        Console.WriteLine($"  {"figure".PadRight(width)}  {"measured".PadRight(measuredWidth)}  {"target".PadRight(targetWidth)}  result");
        foreach (var (figure, measured, target, pass) in rows)
        {
            Console.WriteLine($"  {figure.PadRight(width)}  {measured.PadRight(measuredWidth)}  {target.PadRight(targetWidth)}  {(pass is null ? "" : pass.Value ? "PASS" : "MISS")}".TrimEnd());
            misses += pass == false ? 1 : 0;
        }
        if (result.MeasurementPauseSeconds > 0)
        {
            Console.WriteLine($"  (times exclude {result.MeasurementPauseSeconds * 1000:0} ms of forced collections taken to measure the live heap)");
        }
        return misses;
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0} s";

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MB";
}
