using CsCheck;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core.Sync;
using Vigil.Simulation;
using static Vigil.Cloudflare.Tests.Sync.IncrementalSyncTests;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>
/// The property of the issue: for random sequences of changes to a simulated organisation, some of them unlogged, after
/// each incremental sync every resource whose changes were all logged equals what a full sync reads, and every unlogged
/// change is caught within max_resource_age_hours of simulated time.
/// </summary>
public sealed class IncrementalSyncPropertyTests
{
    /// <summary>One change: what (0 ssl, 1 min TLS, 2 WAF ruleset, 3 remove a member, 4 add a member, 5 re-role a member), which resource, logged or not, and how long after the last sync it comes.</summary>
    public sealed record Step(int Kind, int Target, bool Logged, int MinutesToSync)
    {
        public override string ToString() => $"{(Logged ? "" : "unlogged ")}{Kind}@{Target}+{MinutesToSync}m";
    }

    private static readonly Gen<Step> StepGen = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 1000], Gen.Int[0, 3].Select(n => n != 0), Gen.Int[30, 150],
        (kind, target, logged, minutes) => new Step(kind, target, logged, minutes));

    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(6);

    [Fact]
    public async Task Every_logged_change_matches_a_full_read_and_every_unlogged_one_is_caught_within_max_resource_age()
    {
        await StepGen.Array[1, 8].SampleAsync(RunAsync, iter: 12, threads: 1);
    }

    private static async Task RunAsync(Step[] steps)
    {
        var scenario = TestScenario.Build((2, 6, 6), (2, 5, 6));
        await using var org = await Org.StartAsync(scenario);
        var first = await org.SyncAsync(maxAge: MaxAge);
        Assert.True(first.Status == SyncStatus.Complete, first.Reason);

        // Per resource ("zone:ID" or "members:ACCOUNT"), the unlogged changes not yet seen by a sync that re-read it.
        var unlogged = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        var nextMember = 900;
        foreach (var step in steps)
        {
            // Changes come after the last sync's reads (the clock is frozen during a sync).
            org.Time.Advance(TimeSpan.FromMinutes(1));
            var now = org.Time.GetUtcNow();
            var resource = Apply(org.Sim, scenario, step, ref nextMember);
            if (resource is not null && !step.Logged)
            {
                (unlogged.TryGetValue(resource, out var list) ? list : unlogged[resource] = []).Add(now);
            }
            org.Time.Advance(TimeSpan.FromMinutes(step.MinutesToSync));
            var run = await org.SyncAsync(maxAge: MaxAge);
            Assert.True(run.Status == SyncStatus.Complete, run.Reason);
            Assert.All(run.Stages, s => Assert.Equal(StageReadMode.Incremental, s.Read!.Mode));

            var syncedAt = org.Time.GetUtcNow();
            // No resource is older than the freshness guarantee: zones, members, and each account's access data and rulesets.
            Assert.All(org.Infra.Zones, z => Assert.True(syncedAt - z.ObservedAt <= MaxAge, $"zone {z.Id} last read at {z.ObservedAt:HH:mm}"));
            Assert.All(org.Access.Members, m => Assert.True(syncedAt - m.ObservedAt <= MaxAge, $"member {m.Id} last read at {m.ObservedAt:HH:mm}"));
            Assert.All(run.Stages.SelectMany(s => s.Read!.AccountsObservedAt!), a => Assert.True(syncedAt - a.Value <= MaxAge, $"account {a.Key} last read at {a.Value:HH:mm}"));
            var full = await org.ReadInFullAsync();
            var fullZones = full.Infra.Zones.ToDictionary(z => z.Id);
            foreach (var zone in org.Infra.Zones)
            {
                var key = $"zone:{zone.Id}";
                var seen = Seen(unlogged, key, zone.ObservedAt);
                if (seen)
                {
                    Assert.Equal(Comparable(fullZones[zone.Id]), Comparable(zone));
                }
                else
                {
                    // An unlogged change not yet read: it must still be younger than the freshness guarantee.
                    Assert.All(unlogged[key], at => Assert.True(syncedAt - at < MaxAge, $"{key} changed unlogged at {at:HH:mm} still not read at {syncedAt:HH:mm}"));
                }
            }
            foreach (var account in scenario.Accounts)
            {
                var key = $"members:{account.Id}";
                var mine = org.Access.Members.Where(m => m.AccountId == account.Id).ToList();
                var observed = mine.Count == 0 ? null : mine.Min(m => m.ObservedAt);
                if (Seen(unlogged, key, observed))
                {
                    Assert.Equal(Comparable(full.Access.Members.Where(m => m.AccountId == account.Id)), Comparable(mine));
                }
                else
                {
                    Assert.All(unlogged[key], at => Assert.True(syncedAt - at < MaxAge, $"{key} changed unlogged at {at:HH:mm} still not read at {syncedAt:HH:mm}"));
                }
            }
        }
    }

    /// <summary>True when every unlogged change of the resource came before its last read (clearing them).</summary>
    private static bool Seen(Dictionary<string, List<DateTimeOffset>> unlogged, string key, DateTimeOffset? observedAt)
    {
        if (!unlogged.TryGetValue(key, out var changes))
        {
            return true;
        }
        changes.RemoveAll(at => observedAt is { } read && read >= at);
        return changes.Count == 0;
    }

    /// <summary>Applies one step to the simulator; returns the resource it changed (null when there was nothing to change).</summary>
    private static string? Apply(CloudflareSimulator sim, Scenario scenario, Step step, ref int nextMember)
    {
        var account = scenario.Accounts[step.Target % scenario.Accounts.Count];
        var monitored = account.Zones.Where(z => z.Status == "active" && !z.Paused).ToList();
        var zone = monitored[step.Target / 2 % monitored.Count];
        switch (step.Kind)
        {
            case 0:
                sim.SetZoneSetting(zone.Id, "ssl", new[] { "flexible", "full", "strict" }[step.Target % 3], step.Logged);
                return $"zone:{zone.Id}";
            case 1:
                sim.SetZoneSetting(zone.Id, "min_tls_version", new[] { "1.0", "1.2", "1.3" }[step.Target % 3], step.Logged);
                return $"zone:{zone.Id}";
            case 2:
                var withWaf = monitored.Where(z => z.Rulesets.Any(r => r.Kind == "zone")).ToList();
                if (withWaf.Count == 0)
                {
                    return null;
                }
                var target = withWaf[step.Target % withWaf.Count];
                sim.SetZoneRuleEnabled(target.Id, target.Rulesets.First(r => r.Kind == "zone").Phase, step.Target % 2 == 0, step.Logged);
                return $"zone:{target.Id}";
            case 3:
                if (account.Members.Count <= 1)
                {
                    return null;
                }
                sim.RemoveMember(account.Id, account.Members[step.Target % account.Members.Count].Id, step.Logged);
                return $"members:{account.Id}";
            case 4:
                var id = TestScenario.Id('c', scenario.Accounts.IndexOf(account), nextMember++);
                sim.AddMember(account.Id, new ScenarioMember
                {
                    Id = id,
                    User = new MemberUser { Id = id, Email = $"new{nextMember}@example.com", TwoFactorAuthenticationEnabled = true },
                    Roles = [account.Roles[step.Target % account.Roles.Count].Id],
                }, step.Logged);
                return $"members:{account.Id}";
            default:
                var member = account.Members[step.Target % account.Members.Count];
                if (member.Roles.Count == 0)
                {
                    return null;
                }
                sim.SetMemberRoles(account.Id, member.Id, [account.Roles[(step.Target + 1) % account.Roles.Count].Id], step.Logged);
                return $"members:{account.Id}";
        }
    }
}
