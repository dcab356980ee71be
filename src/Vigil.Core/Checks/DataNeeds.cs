using Vigil.Core.Sync;

namespace Vigil.Core.Checks;

/// <summary>The data a check reads. The sync fetches only what the selected checks need, which sets its API call budget.</summary>
[Flags]
public enum DataNeeds
{
    None = 0,
    /// <summary>Accounts and their settings (enforce_twofactor).</summary>
    Accounts = 1 << 0,
    /// <summary>Account memberships, with roles, policies and the 2FA flag.</summary>
    Members = 1 << 1,
    /// <summary>The account role catalogue.</summary>
    Roles = 1 << 2,
    /// <summary>The staff directory and identity mappings (local, no API calls).</summary>
    People = 1 << 3,
    /// <summary>The critical-system registration (local, no API calls).</summary>
    CriticalSystem = 1 << 4,
    /// <summary>The zone list.</summary>
    Zones = 1 << 5,
    /// <summary>Zone settings (batch or per-setting reads).</summary>
    ZoneSettings = 1 << 6,
    /// <summary>Each zone's DNSSEC status.</summary>
    Dnssec = 1 << 7,
    /// <summary>Each zone's phase entrypoint rulesets.</summary>
    Rulesets = 1 << 8,
    /// <summary>Each zone's DNS records (GET /zones/{id}/dns_records, paginated).</summary>
    DnsRecords = 1 << 9,
    /// <summary>Each account's account-owned API tokens (GET /accounts/{id}/tokens).</summary>
    AccountTokens = 1 << 10,
    /// <summary>Each zone's Universal SSL setting (GET /zones/{id}/ssl/universal/settings).</summary>
    UniversalSsl = 1 << 11,
    /// <summary>Each zone's Authenticated Origin Pulls setting (GET /zones/{id}/origin_tls_client_auth/settings).</summary>
    OriginPulls = 1 << 12,
    /// <summary>Each zone's bot protection configuration (GET /zones/{id}/bot_management).</summary>
    BotManagement = 1 << 13,
    /// <summary>Logpush jobs of each zone and account.</summary>
    Logpush = 1 << 14,
    /// <summary>
    /// Each zone's active edge certificate packs with their certificate authority (GET /zones/{id}/ssl/certificate_packs,
    /// every page); not read for partial and secondary zones, whose CAA records another provider serves.
    /// </summary>
    CertificatePacks = 1 << 15,
}

/// <summary>Which sync stage reads each kind of data, so the age of a check's data follows from what it needs.</summary>
public static class DataNeedsStages
{
    /// <summary>Data the access stage reads.</summary>
    public const DataNeeds Access = DataNeeds.Accounts | DataNeeds.Members | DataNeeds.Roles | DataNeeds.AccountTokens;

    /// <summary>Data the infrastructure stage reads.</summary>
    public const DataNeeds Infra = DataNeeds.Zones | DataNeeds.ZoneSettings | DataNeeds.Dnssec | DataNeeds.Rulesets |
        DataNeeds.DnsRecords | DataNeeds.UniversalSsl | DataNeeds.OriginPulls | DataNeeds.BotManagement | DataNeeds.Logpush | DataNeeds.CertificatePacks;

    /// <summary>Data kept in Vigil itself (no sync, never stale).</summary>
    public const DataNeeds Local = DataNeeds.People | DataNeeds.CriticalSystem;

    /// <summary>The stages whose data a check with these needs judges, access first.</summary>
    public static IReadOnlyList<SyncStageKind> StagesOf(DataNeeds needs)
    {
        var stages = new List<SyncStageKind>(2);
        if ((needs & Access) != 0)
        {
            stages.Add(SyncStageKind.Access);
        }

        if ((needs & Infra) != 0)
        {
            stages.Add(SyncStageKind.Infra);
        }

        return stages;
    }
}
