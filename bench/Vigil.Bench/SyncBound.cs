using Vigil.Cloudflare.Sync;
using Vigil.Simulation;

namespace Vigil.Bench;

/// <summary>
/// The fewest calls a sync of a scenario can make (<see cref="SyncCallPlan"/>) and the shortest time it can take.
/// </summary>
/// <remarks>
/// The time bound, with a budget of B requests per window W and C minimal calls:
/// C ≤ B: max(C / 200 s (Cloudflare's per-IP ceiling), chain × latency);
/// C &gt; B: floor((C − 1) / B) × W + the same rule applied to the calls left for the last window.
/// "Chain" is the longest run of round trips that must happen one after another, from the sync's structure:
/// access is the account list, then each account's roles followed by its members (a list takes page 1, then its later
/// pages <see cref="PagePrefetch"/> at a time), accounts dealt out to
/// <see cref="AccessLanes"/> lanes (the longest lane counts); infra lists the zones the same way, reads each account's
/// rulesets list and the account entrypoints it shows one after another, reads the first zone alone when the
/// batch settings call is not known to have ended, then reads the other zones <see cref="BenchSize.Concurrency"/> at a
/// time, each zone's calls in sequence.
/// </remarks>
internal sealed class SyncBound
{
    private SyncBound(BenchCase benchCase, Scenario scenario)
    {
        var accounts = scenario.Accounts;
        var perAccount = accounts.Select(a => new AccessAccountPlan(a.Roles.Count, a.Members.Count, [.. a.UserGroups.Select(g => g.MemberIds.Count)])).ToList();
        AccessCalls = SyncCallPlan.Access(perAccount);
        ZonesTotal = accounts.Sum(a => a.Zones.Count);
        var monitored = accounts.SelectMany(a => a.Zones).Where(z => z.Status == "active" && !z.Paused).ToList();
        MonitoredZones = monitored.Count;
        var paidPlanZones = monitored.Count(z => Core.Inventory.Zone.PlanMayOverrideTlsPerHostname(z.Plan.LegacyId));
        var dnsElsewhereZones = monitored.Count(z => Core.Inventory.Zone.ServesDnsElsewhere(z.Type));
        var rulesets = ScenarioRulesetReads.Of(scenario);
        InfraCalls = SyncCallPlan.Infra(ZonesTotal, MonitoredZones, batchSettingsAvailable: !benchCase.BatchEnded, discoversBatchEnded: benchCase.BatchEnded,
            rulesets.ZoneEntrypoints, rulesets.Accounts, rulesets.AccountEntrypoints, rulesets.ManagedRulesetsWeighed,
            paidPlanZones, dnsElsewhereZones,
            dnsRecordPages: monitored.Where(z => !Core.Inventory.Zone.ServesDnsElsewhere(z.Type)).Sum(z => SyncCallPlan.DnsRecordPages(z.DnsRecords.Count)));
        // A typical zone: the rulesets list plus the entrypoints zones have on average, and a hostname-TLS read where most zones are on paid plans.
        PerZone = SyncCallPlan.PerZone(!benchCase.BatchEnded, MonitoredZones > 0 ? (int)Math.Round(rulesets.ZoneEntrypoints / (double)MonitoredZones) : 0,
            readsHostnameTls: paidPlanZones * 2 > MonitoredZones, dnsServedElsewhere: dnsElsewhereZones * 2 > MonitoredZones,
            dnsRecordPages: 1);
        // Account-level rulesets are read account after account before the zones: one list plus the entrypoints it shows.
        AccountRulesetCalls = rulesets.Accounts + rulesets.AccountEntrypoints;

        // Sequential part: the whole access stage lane by lane, the zone list, and the first zone read alone
        // (when the batch call has ended, that zone's failed batch call is one more round trip before its per-setting reads).
        // Per account, one after another: roles, members, the user-group list, each group's members, SSO connectors (one call).
        var accountChains = perAccount
            .Select(a => ListChain(a.Roles) + ListChain(a.Members) + ListChain(a.GroupMembers!.Count) + a.GroupMembers!.Sum(ListChain) + 1)
            .OrderDescending().ToList();
        AccessChain = ListChain(accounts.Count) + Lanes(accountChains, AccessLanes);
        FirstZone = MonitoredZones > 0 ? PerZone + (benchCase.BatchEnded ? 1 : 0) : 0;
        SequentialCalls = AccessCalls + SyncCallPlan.Pages(ZonesTotal) + AccountRulesetCalls + FirstZone;
        SequentialChain = AccessChain + ListChain(ZonesTotal) + AccountRulesetCalls + FirstZone;
        ParallelZones = Math.Max(0, MonitoredZones - 1);

        Budget = benchCase.Size.ClientBudget;
        Window = benchCase.Size.Window;
        var minimum = MinimumCalls;
        FullWindows = minimum > Budget ? (minimum - 1) / Budget : 0;
        LastWindowCalls = minimum - FullWindows * Budget;
        Bound = FullWindows * Window + TimeFor(LastWindowCalls);
        Chain = ChainOfLast(minimum);
    }

    /// <summary>Later pages of a list the client requests at once after page 1 (CloudflareOptions.PagePrefetch, default).</summary>
    public static readonly int PagePrefetch = new Vigil.Cloudflare.CloudflareOptions().PagePrefetch;

    /// <summary>Round trips one after another to list <paramref name="items"/>: page 1, then the rest <see cref="PagePrefetch"/> at a time.</summary>
    public static int ListChain(int items)
    {
        var pages = SyncCallPlan.Pages(items);
        return 1 + (pages - 1 + PagePrefetch - 1) / PagePrefetch;
    }

    /// <summary>Accounts read at the same time in the access stage: the sync reads them MaxConcurrency at a time.</summary>
    public const int AccessLanes = BenchSize.Concurrency;

    public int AccessCalls { get; }
    public int InfraCalls { get; }
    public int MinimumCalls => AccessCalls + InfraCalls;
    public int ZonesTotal { get; }
    public int MonitoredZones { get; }
    public int PerZone { get; }
    public int AccessChain { get; }
    public int FirstZone { get; }

    /// <summary>Account-level rulesets reads (one list per account owning a monitored zone, plus the account entrypoints it shows).</summary>
    public int AccountRulesetCalls { get; }
    public int SequentialCalls { get; }
    public int SequentialChain { get; }
    public int ParallelZones { get; }
    public int Budget { get; }
    public TimeSpan Window { get; }
    public int FullWindows { get; }
    public int LastWindowCalls { get; }

    /// <summary>Round trips one after another for the whole sync.</summary>
    public int Chain { get; }

    public TimeSpan Bound { get; }

    public static SyncBound For(BenchCase benchCase, Scenario scenario) => new(benchCase, scenario);

    /// <summary>max(calls / per-IP ceiling, chain of the last <paramref name="calls"/> calls × latency).</summary>
    public TimeSpan TimeFor(int calls)
    {
        var ceiling = TimeSpan.FromSeconds((double)calls / BenchSize.PerIpPerSecond);
        var chain = BenchSize.Latency * ChainOfLast(calls);
        return ceiling > chain ? ceiling : chain;
    }

    /// <summary>
    /// The chain of the sync's last <paramref name="calls"/> calls: the parallel zone reads come last, in waves of
    /// <see cref="BenchSize.Concurrency"/> zones of <see cref="PerZone"/> round trips each; calls before them are sequential.
    /// </summary>
    public int ChainOfLast(int calls)
    {
        var parallelCalls = ParallelZones * PerZone;
        if (calls <= parallelCalls)
        {
            var zones = (calls + PerZone - 1) / PerZone;
            return (zones + BenchSize.Concurrency - 1) / BenchSize.Concurrency * PerZone;
        }
        var parallelChain = (ParallelZones + BenchSize.Concurrency - 1) / BenchSize.Concurrency * PerZone;
        var sequential = calls - parallelCalls;
        // Only the access stage may be shorter than its calls (lanes); take its chain when all of it is included.
        return parallelChain + (sequential >= SequentialCalls ? SequentialChain : Math.Min(sequential, SequentialChain));
    }

    /// <summary>Longest lane when chains are dealt out greedily, longest first, to <paramref name="lanes"/> lanes.</summary>
    private static int Lanes(IReadOnlyList<int> chains, int lanes)
    {
        var load = new int[Math.Max(1, lanes)];
        foreach (var chain in chains)
        {
            var least = Array.IndexOf(load, load.Min());
            load[least] += chain;
        }
        return load.Max();
    }
}
