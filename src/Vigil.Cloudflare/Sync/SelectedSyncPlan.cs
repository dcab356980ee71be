using Vigil.Core.Checks;
using Vigil.Core.Inventory;

namespace Vigil.Cloudflare.Sync;

/// <summary>One monitored (active, unpaused) zone as the call plan sees it.</summary>
/// <param name="EntrypointPhases">The ruleset phases the zone has an entrypoint for (read only when the selected checks sync that phase).</param>
/// <param name="DnsRecords">How many DNS records it has (their pages are read when a DNS check is selected).</param>
public sealed record PlannedZone(string AccountId, string? PlanLegacyId, string? Type, IReadOnlyCollection<string> EntrypointPhases, int DnsRecords);

/// <summary>The shape of an organisation, enough to count the calls a full sync of it makes.</summary>
/// <param name="Accounts">Roles, members, user groups, permission groups and account tokens per account (<see cref="AccessAccountPlan.Tokens"/> = the tokens it has).</param>
/// <param name="Zones">Every zone the zone list returns, any status.</param>
/// <param name="AccountEntrypoints">Per account id, the account entrypoints it has among <see cref="RulesetPhases.SyncedAtAccount"/>.</param>
/// <param name="ManagedRulesetsWeighed">Distinct managed rulesets deployed with overrides that turn categories or rules off.</param>
public sealed record PlannedOrganisation(IReadOnlyList<AccessAccountPlan> Accounts, int Zones, IReadOnlyList<PlannedZone> MonitoredZones,
    IReadOnlyDictionary<string, int> AccountEntrypoints, int ManagedRulesetsWeighed);

/// <summary>The calls a full sync makes for a check selection, by stage, and what one zone costs on average.</summary>
/// <param name="PerZone">Calls per monitored zone, averaged over the monitored zones (0 without any).</param>
/// <param name="BeforeZones">Infra calls made before the zones are read one by one: the zone list, account rulesets and account Logpush lists (sequential).</param>
public sealed record PlannedCalls(int Access, int Infra, double PerZone, int BeforeZones)
{
    public int Total => Access + Infra;
}

/// <summary>
/// The exact calls of one full sync (every stage the selected checks need) of an organisation of known shape, for the
/// selected checks: what <see cref="SyncService"/> reads, counted read by read. With the whole catalogue it counts every
/// read: access lists, account tokens, zone settings (batch, or one by one with the extra settings once the batch call
/// has ended), per-hostname TLS on paid plans, DNSSEC, rulesets, page rules, Universal SSL, origin pulls, DNS records,
/// bot management, and Logpush of Enterprise zones and their accounts. The tests compare it with the simulator's count.
/// </summary>
public static class SelectedSyncPlan
{
    public static PlannedCalls For(PlannedOrganisation organisation, IReadOnlyList<ICheck> selected, bool batchSettingsAvailable, bool discoversBatchEnded = false)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(selected);
        var needs = CheckCatalog.NeedsOf(selected);
        var access = 0;
        if ((needs & DataNeedsStages.Access) != 0)
        {
            var tokens = needs.HasFlag(DataNeeds.AccountTokens);
            var accounts = organisation.Accounts.Select(a => a with { Tokens = tokens ? a.Tokens ?? 0 : null }).ToList();
            access = (needs & (DataNeeds.Members | DataNeeds.Roles)) != 0
                ? SyncCallPlan.Access(accounts)
                : SyncCallPlan.Pages(accounts.Count) + accounts.Sum(a => a.Tokens is { } n ? SyncCallPlan.Pages(n) : 0);
        }
        if ((needs & DataNeedsStages.Infra) == 0)
        {
            return new PlannedCalls(access, 0, 0, 0);
        }

        var zones = organisation.MonitoredZones;
        var before = SyncCallPlan.Pages(organisation.Zones);
        if (needs.HasFlag(DataNeeds.Rulesets))
        {
            var owners = zones.Select(z => z.AccountId).Distinct(StringComparer.Ordinal).ToList();
            before += owners.Count + owners.Sum(a => organisation.AccountEntrypoints.GetValueOrDefault(a));
        }
        if (needs.HasFlag(DataNeeds.Logpush))
        {
            before += zones.Where(z => Zone.PlanMayHaveLogpush(z.PlanLegacyId)).Select(z => z.AccountId).Distinct(StringComparer.Ordinal).Count();
        }

        var phases = CheckCatalog.ZonePhasesOf(selected);
        var extraSettings = ZoneSettingNeeds.Of(selected).Count;
        var perZone = zones.Sum(z => ZoneCalls(z, needs, phases, extraSettings, batchSettingsAvailable));
        var infra = before + perZone
            + (needs.HasFlag(DataNeeds.Rulesets) ? organisation.ManagedRulesetsWeighed : 0)
            + (discoversBatchEnded && needs.HasFlag(DataNeeds.ZoneSettings) && zones.Count > 0 ? 1 : 0);
        return new PlannedCalls(access, infra, zones.Count == 0 ? 0 : perZone / (double)zones.Count, before);
    }

    /// <summary>The calls one monitored zone costs for the selected needs.</summary>
    public static int ZoneCalls(PlannedZone zone, DataNeeds needs, IReadOnlyList<string> phases, int extraSettings, bool batchSettingsAvailable)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(phases);
        var dnsHere = !Zone.ServesDnsElsewhere(zone.Type);
        var calls = 0;
        if (needs.HasFlag(DataNeeds.ZoneSettings))
        {
            calls += (batchSettingsAvailable ? 1 : SyncCallPlan.PerSettingCalls + extraSettings) + (Zone.PlanMayOverrideTlsPerHostname(zone.PlanLegacyId) ? 1 : 0);
        }
        calls += (needs.HasFlag(DataNeeds.UniversalSsl) ? 1 : 0) + (needs.HasFlag(DataNeeds.OriginPulls) ? 1 : 0);
        if (needs.HasFlag(DataNeeds.DnsRecords) && dnsHere)
        {
            calls += SyncCallPlan.DnsRecordPages(zone.DnsRecords);
        }
        if (needs.HasFlag(DataNeeds.BotManagement))
        {
            calls += 1;
        }
        if (needs.HasFlag(DataNeeds.Dnssec) && dnsHere)
        {
            calls += 1;
        }
        if (needs.HasFlag(DataNeeds.Rulesets))
        {
            calls += 1 + zone.EntrypointPhases.Count(p => phases.Contains(p, StringComparer.Ordinal)) + 1; // rulesets list, entrypoints, page rules
        }
        if (needs.HasFlag(DataNeeds.Logpush) && Zone.PlanMayHaveLogpush(zone.PlanLegacyId))
        {
            calls += 1;
        }
        return calls;
    }
}
