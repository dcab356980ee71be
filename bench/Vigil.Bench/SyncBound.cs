using Vigil.Cloudflare.Sync;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
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
    private SyncBound(BenchCase benchCase, Scenario scenario, IReadOnlyList<ICheck>? checks)
    {
        Checks = checks ?? CheckCatalog.All;
        var accounts = scenario.Accounts;
        var organisation = PlanOf(scenario);
        // Every read the sync makes for the selected checks (bot management and Logpush included): SelectedSyncPlan,
        // which the tests hold to the simulator's own count.
        var plan = SelectedSyncPlan.For(organisation, Checks, batchSettingsAvailable: !benchCase.BatchEnded, discoversBatchEnded: benchCase.BatchEnded);
        var needs = CheckCatalog.NeedsOf(Checks);
        var readsTokens = needs.HasFlag(DataNeeds.AccountTokens);
        var readsMembers = (needs & (DataNeeds.Members | DataNeeds.Roles)) != 0;
        AccessCalls = plan.Access;
        InfraCalls = plan.Infra;
        ZonesTotal = plan.Infra > 0 ? organisation.Zones : 0;
        MonitoredZones = plan.Infra > 0 ? organisation.MonitoredZones.Count : 0;
        PerZoneAverage = plan.PerZone;
        // A zone's calls follow one another; the chain counts the average zone's.
        PerZone = (int)Math.Ceiling(plan.PerZone);
        // Account-level reads made one account after another before the zones: rulesets lists, their entrypoints, Logpush lists.
        AccountRulesetCalls = plan.Infra > 0 ? plan.BeforeZones - SyncCallPlan.Pages(organisation.Zones) : 0;

        // Sequential part: the whole access stage lane by lane, the zone list, the account reads, and the first zone read
        // alone (when the batch call has ended, that zone's failed batch call is one more round trip before its per-setting reads).
        // Per account, one after another: roles, members, the user-group list, each group's members, SSO connectors (one
        // call), and the account's tokens.
        var accountChains = organisation.Accounts
            .Select(a => (readsMembers ? ListChain(a.Roles) + ListChain(a.Members) + ListChain(a.GroupMembers!.Count) + a.GroupMembers!.Sum(ListChain) + 1 : 0)
                + (readsTokens ? ListChain(a.Tokens ?? 0) : 0))
            .OrderDescending().ToList();
        AccessChain = AccessCalls == 0 ? 0 : ListChain(accounts.Count) + Lanes(accountChains, AccessLanes);
        var readsSettings = needs.HasFlag(DataNeeds.ZoneSettings);
        FirstZone = MonitoredZones > 0 ? PerZone + (benchCase.BatchEnded && readsSettings ? 1 : 0) : 0;
        SequentialCalls = AccessCalls + (InfraCalls > 0 ? SyncCallPlan.Pages(ZonesTotal) : 0) + AccountRulesetCalls + FirstZone;
        SequentialChain = AccessChain + (InfraCalls > 0 ? ListChain(ZonesTotal) : 0) + AccountRulesetCalls + FirstZone;
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

    /// <summary>Account-level reads before the zones: one rulesets list per account owning a monitored zone plus the account entrypoints it shows, and one Logpush list per account owning a monitored Enterprise zone.</summary>
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

    public static SyncBound For(BenchCase benchCase, Scenario scenario, IReadOnlyList<ICheck>? checks = null) => new(benchCase, scenario, checks);

    /// <summary>The checks whose reads the bound counts (default: the whole catalogue).</summary>
    public IReadOnlyList<ICheck> Checks { get; }

    /// <summary>Calls per monitored zone, averaged over them.</summary>
    public double PerZoneAverage { get; }

    /// <summary>The shape of a simulator scenario, as <see cref="SelectedSyncPlan"/> needs it.</summary>
    public static PlannedOrganisation PlanOf(Scenario scenario)
    {
        var accounts = scenario.Accounts.Select(a => new AccessAccountPlan(a.Roles.Count, a.Members.Count, [.. a.UserGroups.Select(g => g.MemberIds.Count)],
            Tokens: a.AccountTokens.Count)).ToList();
        var monitored = scenario.Accounts.SelectMany(a => a.Zones.Where(z => z.Status == "active" && !z.Paused).Select(z => new PlannedZone(a.Id, z.Plan.LegacyId, z.Type,
            [.. z.Rulesets.Where(r => r.Kind == "zone").Select(r => r.Phase).Distinct(StringComparer.Ordinal)], z.DnsRecords.Count,
            z.CertificatePacksOrDefault().Count(p => p.Status == "active")))).ToList();
        var accountEntrypoints = scenario.Accounts.ToDictionary(a => a.Id,
            a => a.Rulesets.Count(r => r.Kind == "root" && RulesetPhases.SyncedAtAccount.Contains(r.Phase)), StringComparer.Ordinal);
        return new PlannedOrganisation(accounts, scenario.Accounts.Sum(a => a.Zones.Count), monitored, accountEntrypoints, ScenarioRulesetReads.Of(scenario).ManagedRulesetsWeighed);
    }

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
        // Everything after the sequential part is the other zones' reads (and the managed rulesets they deploy).
        var parallelCalls = Math.Max(0, MinimumCalls - SequentialCalls);
        if (PerZone > 0 && calls <= parallelCalls)
        {
            var zones = (int)Math.Ceiling(calls / Math.Max(1.0, PerZoneAverage));
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
