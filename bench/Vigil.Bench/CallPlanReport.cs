using System.Globalization;
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
        return 0;
    }
}
