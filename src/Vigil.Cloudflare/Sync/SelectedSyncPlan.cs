using Vigil.Core.Checks;
using Vigil.Core.Inventory;

namespace Vigil.Cloudflare.Sync;

/// <summary>One monitored (active, unpaused) zone as the call plan sees it.</summary>
/// <param name="EntrypointPhases">The ruleset phases the zone has an entrypoint for (read only when the selected checks sync that phase).</param>
/// <param name="DnsRecords">How many DNS records it has (their pages are read when a DNS check is selected).</param>
/// <param name="CertificatePacks">How many certificate packs Cloudflare lists for it (their pages are read when cloudflare.dns-caa is selected); default 1, the Universal SSL pack.</param>
public sealed record PlannedZone(string AccountId, string? PlanLegacyId, string? Type, IReadOnlyCollection<string> EntrypointPhases, int DnsRecords, int CertificatePacks = 1);

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

/// <summary>What one incremental sync re-reads, as <see cref="SelectedSyncPlan.Incremental"/> needs it.</summary>
/// <param name="LogEntries">Audit log entries read per account whose log is read (once per account and run).</param>
/// <param name="AccessAccountsInFull">Indices into <see cref="PlannedOrganisation.Accounts"/> whose access data is re-read in full (logged change, new, fallback, freshness); every other account has its member list re-read.</param>
/// <param name="ZonesReRead">Monitored zones re-read (logged change, new, list change, freshness).</param>
/// <param name="AccountsReRead">Accounts owning monitored zones whose rulesets, account entrypoints and Logpush jobs are re-read.</param>
/// <param name="ManagedRulesetsWeighed">Distinct managed rulesets with overrides turning categories or rules off that the re-read zones and accounts deploy.</param>
public sealed record PlannedIncremental(IReadOnlyList<int> LogEntries, IReadOnlyCollection<int> AccessAccountsInFull, IReadOnlyList<PlannedZone> ZonesReRead,
    IReadOnlyCollection<string> AccountsReRead, int ManagedRulesetsWeighed);

/// <summary>
/// The exact calls of one full sync (every stage the selected checks need) of an organisation of known shape, for the
/// selected checks: what <see cref="SyncService"/> reads, counted read by read. With the whole catalogue it counts every
/// read: access lists, account tokens, zone settings (batch, or one by one with the extra settings once the batch call
/// has ended), per-hostname TLS on paid plans, DNSSEC, rulesets, page rules, Universal SSL, origin pulls, DNS records,
/// certificate packs, bot management, and Logpush of Enterprise zones and their accounts. The tests compare it with the simulator's count.
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
        if (needs.HasFlag(DataNeeds.CertificatePacks) && dnsHere)
        {
            calls += SyncCallPlan.CertificatePackPages(zone.CertificatePacks);
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

    /// <summary>
    /// The exact calls of one incremental sync of an organisation of known shape (<see cref="SyncCallPlan.Incremental"/>) for
    /// the selected checks, given what it re-reads. The audit log reads are counted with the access stage (the stage that
    /// reads an account's log first pays for it; both stages share it).
    /// </summary>
    public static PlannedCalls Incremental(PlannedOrganisation organisation, IReadOnlyList<ICheck> selected, bool batchSettingsAvailable, PlannedIncremental reads)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(selected);
        ArgumentNullException.ThrowIfNull(reads);
        var needs = CheckCatalog.NeedsOf(selected);
        var tokens = needs.HasFlag(DataNeeds.AccountTokens);
        var accounts = organisation.Accounts.Select(a => a with { Tokens = tokens ? a.Tokens ?? 0 : null }).ToList();
        var readsAccess = (needs & DataNeedsStages.Access) != 0;
        var readsInfra = (needs & DataNeedsStages.Infra) != 0;
        var zoneCalls = 0;
        var accountCalls = 0;
        if (readsInfra)
        {
            var phases = CheckCatalog.ZonePhasesOf(selected);
            var extraSettings = ZoneSettingNeeds.Of(selected).Count;
            zoneCalls = reads.ZonesReRead.Sum(z => ZoneCalls(z, needs, phases, extraSettings, batchSettingsAvailable));
            var logpushOwners = organisation.MonitoredZones.Where(z => Zone.PlanMayHaveLogpush(z.PlanLegacyId)).Select(z => z.AccountId).ToHashSet(StringComparer.Ordinal);
            accountCalls = reads.AccountsReRead.Sum(a => (needs.HasFlag(DataNeeds.Rulesets) ? SyncCallPlan.PerAccount(organisation.AccountEntrypoints.GetValueOrDefault(a)) : 0)
                + (needs.HasFlag(DataNeeds.Logpush) && logpushOwners.Contains(a) ? 1 : 0));
        }
        var weighed = readsInfra && needs.HasFlag(DataNeeds.Rulesets) ? reads.ManagedRulesetsWeighed : 0;
        var infra = readsInfra ? SyncCallPlan.Pages(organisation.Zones) + zoneCalls + accountCalls + weighed : 0;
        if (readsAccess && (needs & (DataNeeds.Members | DataNeeds.Roles)) == 0)
        {
            // Without membership checks the access stage reads the accounts (and tokens) in full; the log is read by the infra stage.
            var plain = SyncCallPlan.Pages(accounts.Count) + accounts.Sum(a => a.Tokens is { } n ? SyncCallPlan.Pages(n) : 0);
            return new PlannedCalls(plain, infra + (readsInfra ? reads.LogEntries.Sum(SyncCallPlan.AuditLogPages) : 0), 0, 0);
        }
        var total = SyncCallPlan.Incremental(accounts, reads.AccessAccountsInFull, reads.LogEntries, organisation.Zones, zoneCalls, accountCalls, weighed)
            - (readsInfra ? 0 : SyncCallPlan.Pages(organisation.Zones));
        if (!readsAccess)
        {
            return new PlannedCalls(0, reads.LogEntries.Sum(SyncCallPlan.AuditLogPages) + infra, 0, 0);
        }
        return new PlannedCalls(total - infra, infra, reads.ZonesReRead.Count == 0 ? 0 : zoneCalls / (double)reads.ZonesReRead.Count, 0);
    }
}
