using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Sync;

/// <summary>What to sync and who asked.</summary>
/// <param name="Purpose">Which stages run: Access, Infra or Both; a connection takes part in the stages its own purpose allows.</param>
/// <param name="Trigger">"cli", "demo", "schedule", ...</param>
/// <param name="Checks">Ids of the checks the sync reads for (it reads only the data they need: bot management, Logpush
/// jobs, extra ruleset phases); null: every check of the catalogue.</param>
public sealed record SyncRequest(ConnectionPurpose Purpose, string Trigger, IReadOnlyCollection<string>? Checks = null);

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
/// + 1 SSO connectors + ceil(permission groups/50) only when some policy names a permission group by id alone], + 1 GET
/// /accounts/{id} per listed account whose list entry lacks settings (Cloudflare's list normally carries them). An empty
/// list still costs one call.</item>
/// <item>Infra, per connection: ceil(zones/50), + per account owning an active unpaused zone [1 GET /accounts/{id}/rulesets
/// + 1 per account entrypoint it lists among http_request_firewall_managed and http_request_firewall_custom (kind root)],
/// + per active unpaused zone [settings: 1 batch call, or 5 per-setting calls once the batch call has ended; + 1 DNSSEC
/// (none for partial and secondary zones, whose DNS is served elsewhere); + 1 GET /zones/{id}/rulesets; + 1 per zone
/// entrypoint it lists among http_request_firewall_managed, http_request_firewall_custom and http_config_settings (kind
/// zone); + 1 page rules; + 1 per-hostname minimum TLS settings on Pro, Business and Enterprise zones], + 1 per managed
/// ruleset whose rules are read to weigh overrides that turn categories or rules off (once per ruleset per connection, only
/// when such an override exists), + 1 for the batch call that reveals it has ended (only in the run that discovers it).
/// With the zone protection checks (2026-11-30, each read only when a selected check needs it): + 1 per zone entrypoint of
/// http_ratelimit it lists (cloudflare.zone-rate-limiting; http_request_firewall_custom was already read), + 1 GET
/// /zones/{id}/bot_management per active unpaused zone (cloudflare.zone-bot-protection), + 1 GET /zones/{id}/logpush/jobs
/// per active unpaused Enterprise zone and + 1 GET /accounts/{id}/logpush/jobs per account owning one
/// (cloudflare.zone-logs-exported; Logpush of those datasets needs Enterprise, so other plans cost nothing).
/// Before 2026-11: per zone 6 per-setting calls (security_level included) and 3 entrypoint calls whether the phases
/// existed or not, no account reads, no page rules or hostname settings.</item>
/// </list>
/// </remarks>
/// <summary>One account's access reads.</summary>
/// <param name="GroupMembers">Members of each IAM user group (one entry per group); null or empty: no user groups.</param>
/// <param name="PermissionGroups">Size of the permission-group list when some policy names a permission group by id alone; null when none does (no call).</param>
public sealed record AccessAccountPlan(int Roles, int Members, IReadOnlyList<int>? GroupMembers = null, int? PermissionGroups = null);

public static class SyncCallPlan
{
    public const int PageSize = 50;

    /// <summary>Settings the checks read when the batch call has ended: ssl, min_tls_version, always_use_https, security_header, waf.</summary>
    public const int PerSettingCalls = 5;

    /// <summary>DNSSEC + the zone's rulesets list (which says which phase entrypoints exist) + the page rules list.</summary>
    public const int OtherPerZoneCalls = 3;

    public static int Pages(int items) => Math.Max(1, (items + PageSize - 1) / PageSize);

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
            + (a.PermissionGroups is { } groups ? Pages(groups) : 0));

    /// <summary>Per-zone calls for one monitored zone.</summary>
    /// <param name="entrypoints">How many of the synced phases the zone has an entrypoint for (a zone with only a managed WAF deployment: 1).</param>
    /// <param name="readsHostnameTls">The zone's plan can have per-hostname TLS settings (Pro, Business, Enterprise): one more call.</param>
    /// <param name="dnsServedElsewhere">A partial or secondary zone: no DNSSEC call.</param>
    /// <param name="readsBotManagement">A selected check needs the bot management configuration: one more call.</param>
    /// <param name="readsLogpush">The zone is on Enterprise and a selected check needs its Logpush jobs: one more call.</param>
    public static int PerZone(bool batchSettingsAvailable, int entrypoints = 1, bool readsHostnameTls = false, bool dnsServedElsewhere = false,
        bool readsBotManagement = false, bool readsLogpush = false) =>
        (batchSettingsAvailable ? 1 : PerSettingCalls) + OtherPerZoneCalls + entrypoints + (readsHostnameTls ? 1 : 0) - (dnsServedElsewhere ? 1 : 0)
        + (readsBotManagement ? 1 : 0) + (readsLogpush ? 1 : 0);

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
    /// <param name="botManagementZones">Monitored zones whose bot management is read (all of them when cloudflare.zone-bot-protection is selected).</param>
    /// <param name="logpushZones">Monitored Enterprise zones whose Logpush jobs are read (cloudflare.zone-logs-exported).</param>
    /// <param name="logpushAccounts">Accounts owning such a zone (one account Logpush list each).</param>
    public static int Infra(int zones, int monitoredZones, bool batchSettingsAvailable = true, bool discoversBatchEnded = false,
        int zoneEntrypoints = 0, int accounts = 0, int accountEntrypoints = 0, int managedRulesetsWeighed = 0,
        int paidPlanZones = 0, int dnsElsewhereZones = 0, int botManagementZones = 0, int logpushZones = 0, int logpushAccounts = 0) =>
        Pages(zones) + monitoredZones * PerZone(batchSettingsAvailable, entrypoints: 0) + zoneEntrypoints
        + accounts * PerAccount() + accountEntrypoints + managedRulesetsWeighed + paidPlanZones - dnsElsewhereZones
        + botManagementZones + logpushZones + logpushAccounts
        + (discoversBatchEnded && monitoredZones > 0 ? 1 : 0);
}
