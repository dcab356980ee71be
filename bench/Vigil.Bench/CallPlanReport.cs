using System.Globalization;
using Vigil.Cloudflare.Sync;
using Vigil.Core.Checks;
using Vigil.Core.Configuration;
using Vigil.Simulation;

namespace Vigil.Bench;

/// <summary>
/// <c>--plan</c>: call economy without syncing. For the small and large organisations, with the batch settings call
/// answering and ended, prints the calls a full sync makes (<see cref="SyncBound"/>, from the call plan the tests hold to
/// the simulator's count), the calls per active zone and the full-sync time bound, for the whole catalogue and for
/// `--checks` selections that turn families off.
/// </summary>
internal static class CallPlanReport
{
    /// <summary>The selections reported: every check, then one or two families turned off, as `--checks` / `checks.enabled` write them.</summary>
    private static readonly (string Selection, string Meaning)[] Selections =
    [
        ("all", "every check"),
        ("access,zones", "DNS checks off"),
        ("access,dns", "zone checks off"),
        ("zones,dns", "access checks off"),
        ("access", "access checks only"),
        ("zones", "zone checks only"),
        ("dns", "DNS checks only"),
    ];

    public static int Run(int windowSeconds)
    {
        Console.WriteLine("Call plan: calls of one full sync and its time bound, per check selection (no sync is run)");
        foreach (var size in new[] { BenchSize.Small(), BenchSize.Large(windowSeconds) })
        {
            var scenario = ScenarioGenerator.Generate(size.Accounts, size.Members, size.Zones);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size.Name}: {size.Accounts} accounts, {size.Members:N0} members, {size.Zones:N0} zones; budget B = {size.ClientBudget:N0} per {size.Window.TotalSeconds:0} s"));
            Console.WriteLine("| --checks | meaning | batch | calls (access + infra) | calls per active zone | bound |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (selection, meaning) in Selections)
            {
                var checks = CheckSelection.Parse(selection);
                foreach (var ended in new[] { false, true })
                {
                    var bound = SyncBound.For(new BenchCase(size, ended), scenario, checks);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| `{selection}` | {meaning} | {(ended ? "ended" : "answering")} | {bound.MinimumCalls:N0} ({bound.AccessCalls:N0} + {bound.InfraCalls:N0}) | {bound.PerZoneAverage:0.0} | {bound.Bound.TotalSeconds:0.0} s |"));
                }
            }
        }
        Incremental(BenchSize.Large(windowSeconds));
        return 0;
    }

    /// <summary>
    /// The incremental plan (<see cref="SelectedSyncPlan.Incremental"/>) for the large organisation, every check, batch call
    /// answering: an hour after a full sync (nothing due for freshness) after 20 zone and 10 account changes, and an hourly
    /// sync in the steady state, where the freshness rule re-reads 1/24 of the zones, accounts and account rulesets.
    /// </summary>
    private static void Incremental(BenchSize size)
    {
        var scenario = ScenarioGenerator.Generate(size.Accounts, size.Members, size.Zones);
        var plan = SyncBound.PlanOf(scenario);
        var full = SelectedSyncPlan.For(plan, CheckCatalog.All, batchSettingsAvailable: true).Total;
        var owners = plan.MonitoredZones.Select(z => z.AccountId).Distinct(StringComparer.Ordinal).ToList();
        var spread = (int)Math.Ceiling(plan.MonitoredZones.Count / 24.0);
        var changed = Enumerable.Range(0, 20).Select(i => i * plan.MonitoredZones.Count / 20).ToHashSet();
        (string Case, PlannedIncremental Reads)[] cases =
        [
            ("no change, 1 h after a full sync", new([.. plan.Accounts.Select(_ => 0)], [], [], [], 0)),
            ("20 zones and 10 accounts changed, 1 h after a full sync", new([.. plan.Accounts.Select(_ => 2)], [.. Enumerable.Range(0, 10).Select(i => i * 2)],
                [.. plan.MonitoredZones.Where((_, i) => changed.Contains(i))], [], 0)),
            ("the same, hourly in the steady state (1/24 of zones, accounts and account rulesets re-read for freshness)", new([.. plan.Accounts.Select(_ => 2)],
                [.. Enumerable.Range(0, 10).Select(i => i * 2).Append(1)],
                [.. plan.MonitoredZones.Where((_, i) => changed.Contains(i) || i % 24 == 1)], [.. owners.Take((int)Math.Ceiling(owners.Count / 24.0))], 0)),
        ];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Incremental sync of the large organisation (every check, batch call answering; full sync {full:N0} calls; {spread} zones an hour keep 24 h fresh; managed rulesets weighed not counted)"));
        Console.WriteLine("| case | calls (access and audit log + infra) | share of full |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, reads) in cases)
        {
            var calls = SelectedSyncPlan.Incremental(plan, CheckCatalog.All, batchSettingsAvailable: true, reads);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {calls.Total:N0} ({calls.Access:N0} + {calls.Infra:N0}) | {100.0 * calls.Total / full:0.0} % |"));
        }
    }
}
