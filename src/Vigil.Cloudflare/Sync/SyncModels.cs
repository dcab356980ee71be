using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Sync;

/// <summary>What to sync and who asked.</summary>
/// <param name="Purpose">Which stages run: Access, Infra or Both; a connection takes part in the stages its own purpose allows.</param>
/// <param name="Trigger">"cli", "demo", "schedule", ...</param>
/// <param name="Needs">
/// The data the enabled checks need (<see cref="CheckCatalog.NeedsOf"/>); null: everything. A stage none of it belongs to
/// is not run, and reads no enabled check needs are not made (e.g. no DNSSEC call per zone when DNSSEC is not checked).
/// </param>
/// <param name="Checks">The checks the synced data is for: per-zone reads beyond the core follow them (<see cref="ZoneReads"/>); null: the whole catalogue.</param>
/// <param name="Full">Read everything in full even when the audit log would allow an incremental sync (<c>vigil sync --full</c>).</param>
/// <param name="MaxResourceAge">Freshness guarantee of incremental syncs: every resource is re-read in full at least this often (setting max_resource_age_hours); null: 24 hours.</param>
public sealed record SyncRequest(ConnectionPurpose Purpose, string Trigger, DataNeeds? Needs = null, IReadOnlyList<ICheck>? Checks = null,
    bool Full = false, TimeSpan? MaxResourceAge = null)
{
    /// <summary>Every kind of data.</summary>
    public const DataNeeds Everything = (DataNeeds)int.MaxValue;

    /// <summary>
    /// The checks the reads are for: <see cref="Checks"/>, else the catalogue's checks whose needs <see cref="Needs"/>
    /// covers, else the whole catalogue.
    /// </summary>
    public IReadOnlyList<ICheck> SelectedChecks => Checks
        ?? (Needs is { } needs ? [.. CheckCatalog.All.Where(c => (c.Definition.Needs & needs) == c.Definition.Needs)] : CheckCatalog.All);

    /// <summary>The data to read: <see cref="Needs"/>, else what <see cref="Checks"/> need, else every kind.</summary>
    public DataNeeds DataToRead => Needs ?? (Checks is { } checks ? CheckCatalog.NeedsOf(checks) : Everything);
}

/// <summary>The per-zone reads beyond the core ones that the selected checks need: each costs calls only when a check needs it.</summary>
/// <param name="ExtraSettings">Zone settings read besides the core five (free within the batch call; one call each per zone once it has ended).</param>
/// <param name="UniversalSsl">GET /zones/{id}/ssl/universal/settings, one call per monitored zone.</param>
/// <param name="OriginPulls">GET /zones/{id}/origin_tls_client_auth/settings, one call per monitored zone.</param>
public sealed record ZoneReads(IReadOnlyList<string> ExtraSettings, bool UniversalSsl, bool OriginPulls)
{
    /// <summary>The security_level setting is read, so the sync carries "under attack since" forward from the previous snapshot.</summary>
    public bool TracksUnderAttack => ExtraSettings.Contains(UnderAttack.SettingId, StringComparer.Ordinal);

    public static ZoneReads For(IEnumerable<ICheck> checks)
    {
        var list = checks.ToList();
        var needs = CheckCatalog.NeedsOf(list);
        return new ZoneReads(ZoneSettingNeeds.Of(list), needs.HasFlag(DataNeeds.UniversalSsl), needs.HasFlag(DataNeeds.OriginPulls));
    }
}

/// <summary>
/// How the sync dates I'm Under Attack mode: checks are pure and see one snapshot, so the sync writes into each zone's
/// <see cref="ZoneFeatures.UnderAttackSince"/> since when Vigil's snapshots have seen the zone's security_level at
/// under_attack. The previous current snapshot is read once before the infrastructure stage; its date is carried forward
/// while the level stays under_attack, and also while the level cannot be read (a refused read is no evidence the mode
/// was turned off); a snapshot that first sees it sets the time of its read. A previous snapshot that showed
/// under_attack without a date (taken before Vigil recorded one) dates it from that snapshot's read.
/// </summary>
public static class UnderAttack
{
    public const string SettingId = "security_level";
    public const string Level = "under_attack";

    /// <param name="level">The level just read; null when it could not be read.</param>
    /// <param name="previous">The zone in the previous current snapshot; null when it was not there.</param>
    /// <param name="previousReadAt">When the previous snapshot's infrastructure data was read.</param>
    /// <param name="now">The time of this read.</param>
    public static DateTimeOffset? Since(string? level, Zone? previous, DateTimeOffset? previousReadAt, DateTimeOffset now)
    {
        var features = previous?.Security?.Features;
        var previousLevel = features?.Settings?.GetValueOrDefault(SettingId) ?? previous?.Security?.SecurityLevel;
        var carried = features?.UnderAttackSince
            ?? (string.Equals(previousLevel, Level, StringComparison.OrdinalIgnoreCase) ? previousReadAt : null);
        return level is null ? carried
            : string.Equals(level, Level, StringComparison.OrdinalIgnoreCase) ? carried ?? now
            : null;
    }
}

/// <summary>Progress of a run, for display. Counters are for the current stage of the current connection.</summary>
/// <param name="ApiCalls">Requests sent so far in the whole run.</param>
/// <param name="PacedByRateLimit">True when Vigil's request budget (not Cloudflare's speed) is what holds the sync back.</param>
/// <param name="EstimatedTimeLeft">While paced: how long the rest of the stage should take at the budget's pace.</param>
/// <param name="WaitedOnBudget">Time this run's requests have spent waiting for their turn in the request budget.</param>
public sealed record SyncProgress(
    SyncStageKind Stage,
    string ConnectionName,
    int AccountsDone,
    int AccountsTotal,
    int Members,
    int ZonesDone,
    int ZonesTotal,
    int ApiCalls,
    bool PacedByRateLimit,
    TimeSpan? EstimatedTimeLeft,
    TimeSpan WaitedOnBudget);

/// <summary>
/// The fewest requests a sync can make, given Cloudflare's endpoints and page sizes. The sync makes exactly these
/// when nothing fails (retries and 429s add to them).
/// </summary>
/// <remarks>
/// Sync does not call a verify endpoint: the first real read refuses a bad credential just as well, and preflight
/// (run when a connection is added or tested) is where credentials are diagnosed.
/// <list type="bullet">
/// <item>Access, per connection: ceil(accounts/50) for GET /accounts (or 1 GET /accounts/{id} when the connection names its
/// account), + per account [ceil(roles/50) + ceil(members/50) + ceil(user groups/50) + per user group ceil(its members/50)
/// + 1 SSO connectors + ceil(permission groups/50) only when some policy names a permission group by id alone + ceil(account-owned
/// tokens/50) only when a selected check needs them (cloudflare.account-tokens-hygiene; an empty list still costs one call)], + 1 GET
/// /accounts/{id} per listed account whose list entry lacks settings (Cloudflare's list normally carries them). An empty
/// list still costs one call.</item>
/// <item>Infra, per connection: ceil(zones/50), + per account owning an active unpaused zone [1 GET /accounts/{id}/rulesets
/// + 1 per account entrypoint it lists among http_request_firewall_managed and http_request_firewall_custom (kind root)],
/// + per active unpaused zone [settings: 1 batch call, or 5 per-setting calls once the batch call has ended; + 1 DNSSEC
/// (none for partial and secondary zones, whose DNS is served elsewhere); + 1 GET /zones/{id}/rulesets; + 1 per zone
/// entrypoint it lists among http_request_firewall_managed, http_request_firewall_custom and http_config_settings (kind
/// zone); + 1 page rules; + 1 per-hostname minimum TLS settings on Pro, Business and Enterprise zones], + 1 per managed
/// ruleset whose rules are read to weigh overrides that turn categories or rules off (once per ruleset per connection, only
/// when such an override exists), + 1 for the batch call that reveals it has ended (only in the run that discovers it),
/// + per active unpaused full zone, only when a selected check needs DNS records (DataNeeds.DnsRecords: the seven DNS
/// checks), ceil(records/5000) pages of GET /zones/{id}/dns_records (at least 1: an empty list still costs one call;
/// 1 for any zone of up to 5,000 records, so 1 per zone for the demo and the bench's large organisation).
/// Zone configuration beyond the core, only for the selected checks (<see cref="ZoneReads"/>), per active unpaused zone: the
/// extra settings cost nothing while the batch call answers and 1 call each once it has ended (the whole catalogue: 6,
/// tls_1_3, automatic_https_rewrites, browser_check, security_level, development_mode, email_obfuscation), + 1 GET
/// /zones/{id}/ssl/universal/settings (cloudflare.zone-universal-ssl) + 1 GET /zones/{id}/origin_tls_client_auth/settings
/// (cloudflare.zone-authenticated-origin-pulls); cloudflare.zone-under-attack-not-permanent also reads the current
/// snapshot from the store once per run (no API call).
/// With the zone protection checks (2026-11-30, each read only when a selected check needs it): + 1 per zone entrypoint of
/// http_ratelimit it lists (cloudflare.zone-rate-limiting; http_request_firewall_custom was already read), + 1 GET
/// /zones/{id}/bot_management per active unpaused zone (cloudflare.zone-bot-protection), + 1 GET /zones/{id}/logpush/jobs
/// per active unpaused Enterprise zone and + 1 GET /accounts/{id}/logpush/jobs per account owning one
/// (cloudflare.zone-logs-exported; Logpush of those datasets needs Enterprise, so other plans cost nothing).
/// With the certificate authority read (2026-12-01, only when cloudflare.dns-caa is selected): + ceil(packs/50) pages of GET
/// /zones/{id}/ssl/certificate_packs per active unpaused full zone (at least 1; none for partial and secondary zones, which
/// dns-caa skips): 1 per zone for the demo and the bench's organisations.
/// Before 2026-11: per zone 6 per-setting calls (security_level included) and 3 entrypoint calls whether the phases
/// existed or not, no account reads, no page rules or hostname settings.</item>
/// </list>
/// </remarks>
/// <summary>One account's access reads.</summary>
/// <param name="GroupMembers">Members of each IAM user group (one entry per group); null or empty: no user groups.</param>
/// <param name="PermissionGroups">Size of the permission-group list when some policy names a permission group by id alone; null when none does (no call).</param>
/// <param name="Tokens">Account-owned API tokens when they are read (the default sync reads them: a catalogue check needs them); null when no selected check needs them (no call).</param>
public sealed record AccessAccountPlan(int Roles, int Members, IReadOnlyList<int>? GroupMembers = null, int? PermissionGroups = null, int? Tokens = 0);

public static class SyncCallPlan
{
    public const int PageSize = 50;

    /// <summary>Settings the checks read when the batch call has ended: ssl, min_tls_version, always_use_https, security_header, waf.</summary>
    public const int PerSettingCalls = 5;

    /// <summary>DNSSEC + the zone's rulesets list (which says which phase entrypoints exist) + the page rules list.</summary>
    public const int OtherPerZoneCalls = 3;

    /// <summary>
    /// Settings the zone configuration checks read beyond the core five, with the whole catalogue: tls_1_3,
    /// automatic_https_rewrites, browser_check, security_level, development_mode, email_obfuscation. One call each per
    /// zone once the batch call has ended; free while it answers.
    /// </summary>
    public const int FeatureSettingCalls = 6;

    /// <summary>Zone reads by their own route with the whole catalogue: Universal SSL and Authenticated Origin Pulls settings.</summary>
    public const int FeatureReadCalls = 2;

    public static int Pages(int items) => Math.Max(1, (items + PageSize - 1) / PageSize);

    /// <summary>Records per page of GET /zones/{id}/dns_records (Cloudflare allows up to 5,000,000; see PageSizes.DnsRecords).</summary>
    public const int DnsRecordsPageSize = 5000;

    /// <summary>Pages of one zone's DNS record list: ceil(records/5000), at least 1.</summary>
    public static int DnsRecordPages(int records) => Math.Max(1, (records + DnsRecordsPageSize - 1) / DnsRecordsPageSize);

    /// <summary>Access calls for one connection.</summary>
    /// <param name="accounts">Roles and members per account.</param>
    /// <param name="accountNamed">The connection names its account (GET /accounts/{id} instead of the list).</param>
    /// <param name="accountsWithoutSettings">Listed accounts whose list entry lacks settings (each costs a detail call).</param>
    public static int Access(IReadOnlyList<(int Roles, int Members)> accounts, bool accountNamed = false, int accountsWithoutSettings = 0) =>
        Access([.. accounts.Select(a => new AccessAccountPlan(a.Roles, a.Members))], accountNamed, accountsWithoutSettings);

    /// <summary>Access calls for one connection whose accounts may have IAM user groups and unnamed permission groups.</summary>
    public static int Access(IReadOnlyList<AccessAccountPlan> accounts, bool accountNamed = false, int accountsWithoutSettings = 0) =>
        (accountNamed ? 1 : Pages(accounts.Count) + accountsWithoutSettings)
        + accounts.Sum(a => Pages(a.Roles) + Pages(a.Members)
            + Pages(a.GroupMembers?.Count ?? 0) + (a.GroupMembers ?? []).Sum(Pages)
            + 1
            + (a.PermissionGroups is { } groups ? Pages(groups) : 0)
            + (a.Tokens is { } tokens ? Pages(tokens) : 0));

    /// <summary>Per-zone calls for one monitored zone.</summary>
    /// <param name="entrypoints">How many of the synced phases the zone has an entrypoint for (a zone with only a managed WAF deployment: 1).</param>
    /// <param name="readsHostnameTls">The zone's plan can have per-hostname TLS settings (Pro, Business, Enterprise): one more call.</param>
    /// <param name="dnsServedElsewhere">A partial or secondary zone: no DNSSEC call (and no DNS records read).</param>
    /// <param name="dnsRecordPages">Pages of the zone's DNS record list when DNS checks are selected (<see cref="DnsRecordPages"/>); 0 when they are not.</param>
    /// <param name="featureSettings">Extra settings the selected checks read (<see cref="ZoneReads.ExtraSettings"/>; default: the whole catalogue's); calls only once the batch call has ended.</param>
    /// <param name="featureReads">Zone reads by their own route the selected checks need (default: the whole catalogue's <see cref="FeatureReadCalls"/>).</param>
    /// <param name="readsBotManagement">A selected check needs the bot management configuration: one more call.</param>
    /// <param name="readsLogpush">The zone is on Enterprise and a selected check needs its Logpush jobs: one more call.</param>
    /// <param name="certificatePackPages">Pages of the zone's certificate pack list when cloudflare.dns-caa is selected (<see cref="CertificatePackPages"/>); 0 when it is not; none for a zone whose DNS is served elsewhere.</param>
    public static int PerZone(bool batchSettingsAvailable, int entrypoints = 1, bool readsHostnameTls = false, bool dnsServedElsewhere = false, int dnsRecordPages = 0,
        int featureSettings = FeatureSettingCalls, int featureReads = FeatureReadCalls, bool readsBotManagement = false, bool readsLogpush = false,
        int certificatePackPages = 0) =>
        (batchSettingsAvailable ? 1 : PerSettingCalls + featureSettings) + OtherPerZoneCalls + entrypoints + (readsHostnameTls ? 1 : 0) - (dnsServedElsewhere ? 1 : 0)
        + (dnsServedElsewhere ? 0 : dnsRecordPages + certificatePackPages) + featureReads + (readsBotManagement ? 1 : 0) + (readsLogpush ? 1 : 0);

    /// <summary>Certificate packs per page of GET /zones/{id}/ssl/certificate_packs (page/per_page).</summary>
    public const int CertificatePacksPageSize = Api.PageSizes.CertificatePacks;

    /// <summary>Pages of one zone's certificate pack list: ceil(packs/50), at least 1 (an empty list still costs one call).</summary>
    public static int CertificatePackPages(int packs) => Math.Max(1, (packs + CertificatePacksPageSize - 1) / CertificatePacksPageSize);

    /// <summary>
    /// Per-zone calls for one monitored zone when the sync reads only what <paramref name="needs"/> asks for (the enabled
    /// checks' <see cref="CheckDefinition.Needs"/>). With every need it equals <see cref="PerZone"/>; with one check's
    /// needs it is what that check costs per zone on its own (data shared with other checks is read once).
    /// New per-zone reads add a line here beside their <see cref="DataNeeds"/> bit.
    /// </summary>
    /// <param name="batchSettingsAvailable">The batch settings call still answers (it passed its end of life on 2026-09-15; default false).</param>
    /// <param name="entrypoints">Zone entrypoints of the synced phases the zone has (read with <see cref="DataNeeds.Rulesets"/>).</param>
    /// <param name="featureSettings">Extra settings the checks read one by one besides the core five (<see cref="ZoneSettingNeeds"/>; only once the batch call has ended); default none.</param>
    /// <param name="featureReads">Universal SSL and origin pull reads; null: those <paramref name="needs"/> asks for.</param>
    /// <param name="certificatePackPages">Pages of the zone's certificate pack list (<see cref="DataNeeds.CertificatePacks"/>; none for a zone whose DNS is served elsewhere); default one.</param>
    public static int PerZoneFor(DataNeeds needs, bool batchSettingsAvailable = false, int entrypoints = 1, bool readsHostnameTls = false, bool dnsServedElsewhere = false,
        int featureSettings = 0, int? featureReads = null, int dnsRecordPages = 1, int certificatePackPages = 1)
    {
        var calls = 0;
        if (needs.HasFlag(DataNeeds.ZoneSettings))
        {
            calls += (batchSettingsAvailable ? 1 : PerSettingCalls + featureSettings) + (readsHostnameTls ? 1 : 0);
        }
        calls += featureReads ?? ((needs.HasFlag(DataNeeds.UniversalSsl) ? 1 : 0) + (needs.HasFlag(DataNeeds.OriginPulls) ? 1 : 0));
        if (needs.HasFlag(DataNeeds.DnsRecords) && !dnsServedElsewhere)
        {
            calls += dnsRecordPages;
        }
        if (needs.HasFlag(DataNeeds.BotManagement))
        {
            calls += 1;
        }
        if (needs.HasFlag(DataNeeds.CertificatePacks) && !dnsServedElsewhere)
        {
            calls += certificatePackPages;
        }
        if (needs.HasFlag(DataNeeds.Dnssec) && !dnsServedElsewhere)
        {
            calls += 1;
        }
        if (needs.HasFlag(DataNeeds.Rulesets))
        {
            calls += 1 + entrypoints + 1; // the rulesets list, the entrypoints it shows, the page rules
        }
        return calls;
    }

    /// <summary>
    /// Per-account calls for what <paramref name="needs"/> asks for, with one page of roles and members and no IAM user
    /// groups: memberships cost the roles, members, user-group and SSO-connector lists; rulesets the account's rulesets list.
    /// </summary>
    public static int PerAccountFor(DataNeeds needs)
    {
        var calls = 0;
        if ((needs & (DataNeeds.Members | DataNeeds.Roles)) != 0)
        {
            calls += Access([new AccessAccountPlan(1, 1) with { Tokens = null }], accountNamed: true) - 1;
        }
        if (needs.HasFlag(DataNeeds.AccountTokens))
        {
            calls += 1; // one page of the account's tokens
        }
        if (needs.HasFlag(DataNeeds.Rulesets))
        {
            calls += PerAccount();
        }
        return calls;
    }

    /// <summary>Calls for one account that owns a monitored zone: its rulesets list and the account entrypoints it lists.</summary>
    public static int PerAccount(int entrypoints = 0) => 1 + entrypoints;

    /// <summary>Infra calls for one connection.</summary>
    /// <param name="zones">All zones, every status.</param>
    /// <param name="monitoredZones">Active, unpaused zones: the only ones read one by one.</param>
    /// <param name="batchSettingsAvailable">The batch settings call still answers.</param>
    /// <param name="discoversBatchEnded">This run is the one that finds the batch call ended (one extra call).</param>
    /// <param name="zoneEntrypoints">Entrypoints of the synced phases across all monitored zones.</param>
    /// <param name="accounts">Accounts that own at least one monitored zone.</param>
    /// <param name="accountEntrypoints">Account entrypoints of the synced account phases across those accounts.</param>
    /// <param name="managedRulesetsWeighed">Distinct managed rulesets deployed with overrides that turn categories or rules off.</param>
    /// <param name="paidPlanZones">Monitored zones on Pro, Business or Enterprise plans (one per-hostname TLS read each).</param>
    /// <param name="dnsElsewhereZones">Monitored partial or secondary zones (no DNSSEC read).</param>
    /// <param name="dnsRecordPages">Pages of GET /zones/{id}/dns_records summed over the monitored full zones (<see cref="DnsRecordPages"/> each); 0 when no DNS check is selected.</param>
    /// <param name="featureSettings">As for <see cref="PerZone"/>: extra settings read per zone once the batch call has ended.</param>
    /// <param name="featureReads">As for <see cref="PerZone"/>: Universal SSL and origin pull reads per zone.</param>
    /// <param name="botManagementZones">Monitored zones whose bot management is read (all of them when cloudflare.zone-bot-protection is selected).</param>
    /// <param name="logpushZones">Monitored Enterprise zones whose Logpush jobs are read (cloudflare.zone-logs-exported).</param>
    /// <param name="logpushAccounts">Accounts owning such a zone (one account Logpush list each).</param>
    /// <param name="certificatePackPages">Pages of GET /zones/{id}/ssl/certificate_packs summed over the monitored full zones (<see cref="CertificatePackPages"/> each); 0 when cloudflare.dns-caa is not selected.</param>
    public static int Infra(int zones, int monitoredZones, bool batchSettingsAvailable = true, bool discoversBatchEnded = false,
        int zoneEntrypoints = 0, int accounts = 0, int accountEntrypoints = 0, int managedRulesetsWeighed = 0,
        int paidPlanZones = 0, int dnsElsewhereZones = 0, int dnsRecordPages = 0, int featureSettings = FeatureSettingCalls, int featureReads = FeatureReadCalls,
        int botManagementZones = 0, int logpushZones = 0, int logpushAccounts = 0, int certificatePackPages = 0) =>
        Pages(zones) + monitoredZones * PerZone(batchSettingsAvailable, entrypoints: 0, featureSettings: featureSettings, featureReads: featureReads) + zoneEntrypoints
        + accounts * PerAccount() + accountEntrypoints + managedRulesetsWeighed + paidPlanZones - dnsElsewhereZones
        + dnsRecordPages + botManagementZones + logpushZones + logpushAccounts + certificatePackPages + (discoversBatchEnded && monitoredZones > 0 ? 1 : 0);

    /// <summary>Entries per page of an audit log read (GET /accounts/{account_id}/logs/audit with limit=1000).</summary>
    public const int AuditLogPageSize = Api.CloudflareApiClient.AuditLogPageSize;

    /// <summary>Pages of one account's audit log over a sync's window: ceil(entries/1000), at least 1 (an empty log still costs one call).</summary>
    public static int AuditLogPages(int entries) => Math.Max(1, (entries + AuditLogPageSize - 1) / AuditLogPageSize);

    /// <summary>
    /// Calls of one incremental sync of one connection (both stages) when nothing fails: the account list, each account's
    /// audit log over the window (read once per run, shared by both stages), per account either its whole access data
    /// (<see cref="Access(IReadOnlyList{AccessAccountPlan}, bool, int)"/> of that account alone: logged change, new,
    /// fallback or freshness) or its member list alone (ceil(members/50) + the permission-group list when a policy names
    /// one by id alone), the zone list, the re-read zones' calls, the re-read accounts' rulesets, entrypoints and Logpush
    /// lists, and the managed rulesets those deploy with overrides (once per ruleset).
    /// </summary>
    /// <param name="accounts">Every account of the connection, as for a full sync.</param>
    /// <param name="accountsInFull">Indices into <paramref name="accounts"/> of the accounts whose access data is re-read in full.</param>
    /// <param name="logEntries">Audit log entries read per account (one log read per account).</param>
    /// <param name="zones">Every zone the zone list returns (the list is always re-read).</param>
    /// <param name="reReadZoneCalls">Calls of the zones re-read, summed (<see cref="SelectedSyncPlan.ZoneCalls"/> each).</param>
    /// <param name="reReadAccountCalls">Rulesets lists, account entrypoints and account Logpush lists of the accounts re-read.</param>
    /// <param name="managedRulesetsWeighed">Distinct managed rulesets with overrides that the re-read zones and accounts deploy.</param>
    public static int Incremental(IReadOnlyList<AccessAccountPlan> accounts, IReadOnlyCollection<int> accountsInFull, IReadOnlyList<int> logEntries, int zones,
        int reReadZoneCalls, int reReadAccountCalls, int managedRulesetsWeighed)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(accountsInFull);
        ArgumentNullException.ThrowIfNull(logEntries);
        return Pages(accounts.Count)
            + logEntries.Sum(AuditLogPages)
            + accounts.Select((a, i) => accountsInFull.Contains(i)
                ? Access([a], accountNamed: true) - 1
                : Pages(a.Members) + (a.PermissionGroups is { } groups ? Pages(groups) : 0)).Sum()
            + Pages(zones) + reReadZoneCalls + reReadAccountCalls + managedRulesetsWeighed;
    }
}
