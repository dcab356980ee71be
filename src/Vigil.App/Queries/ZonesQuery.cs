using Vigil.Core.Inventory;
using Vigil.Storage;

namespace Vigil.App.Queries;

/// <summary>Which zones to list; parts combine with AND.</summary>
/// <param name="Account">A Cloudflare account id or name.</param>
/// <param name="Search">Text found (case-insensitive) in the zone name.</param>
public sealed record ZoneFilter(string? Account = null, string? Search = null);

/// <summary>A zone's settings as synced; each value null when it was not read (the checks then say why).</summary>
/// <param name="Settings">Settings read one by one, by setting id (e.g. "tls_1_3": "on").</param>
/// <param name="CertificateAuthorities">The CA of each kind of certificate pack in use, "universal: google" (what cloudflare.dns-caa judges the CAA records against); null when the packs were not read.</param>
public sealed record ZoneSettingsView(
    string? Ssl,
    string? MinTlsVersion,
    string? AlwaysUseHttps,
    HstsPolicy? Hsts,
    string? SecurityLevel,
    string? DnssecStatus,
    bool? UniversalSslEnabled,
    bool? AuthenticatedOriginPullsEnabled,
    DateTimeOffset? UnderAttackSince,
    int? DnsRecordCount,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string>? CertificateAuthorities = null);

/// <summary>The zone's WAF as read: the legacy switch and the ruleset phases' entrypoints.</summary>
/// <param name="LegacyWaf">The legacy "waf" setting, on or off; null when not read.</param>
/// <param name="Phases">Each phase read: true when the zone has an entrypoint ruleset there, false when it has none.</param>
/// <param name="ManagedRulesets">Rulesets the zone's entrypoints execute (e.g. the Cloudflare Managed Ruleset's id), enabled ones only.</param>
public sealed record ZoneWafView(string? LegacyWaf, IReadOnlyDictionary<string, bool> Phases, IReadOnlyList<string> ManagedRulesets);

/// <summary>One check's verdict on the zone, from the newest evaluation.</summary>
public sealed record ZoneCheckView(string CheckId, string CheckTitle, string Severity, string Status, string Why, string? HowToFix);

/// <summary>A zone with its settings, WAF state and what each zone check concluded.</summary>
/// <param name="Monitored">True when zone checks judge it (active and not paused).</param>
/// <param name="Settings">Null when the zone got no per-zone reads (pending, paused, or unreadable).</param>
public sealed record ZoneView(
    string Id,
    string Name,
    string AccountId,
    string AccountName,
    string Status,
    bool Paused,
    string? Type,
    string? Plan,
    bool Monitored,
    ZoneSettingsView? Settings,
    ZoneWafView? Waf,
    IReadOnlyList<ZoneCheckView> Checks);

/// <summary>The current snapshot's zones, ordered by name then id.</summary>
public static class ZonesQuery
{
    public static async Task<Page<ZoneView>> ListAsync(IVigilStore store, ZoneFilter filter, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        page.Validate();
        var model = await ReadModel.LoadAsync(store, ct);
        var account = filter.Account?.Trim() is { Length: > 0 } a ? a : null;
        var search = filter.Search?.Trim() is { Length: > 0 } s ? s : null;
        var zones = model.Zones.Values
            .Where(z => account is null || z.AccountId == account || string.Equals(model.AccountName(z.AccountId), account, StringComparison.OrdinalIgnoreCase))
            .Where(z => search is null || z.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderBy(z => z.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(z => z.Id, StringComparer.Ordinal)
            .ToList();
        var slice = Page<Zone>.Of(zones, page);
        return new Page<ZoneView>([.. slice.Items.Select(z => View(model, z))], slice.Total, slice.Offset, slice.Limit, slice.NextOffset);
    }

    /// <summary>One zone by id or name; null when the current snapshot has none.</summary>
    public static async Task<ZoneView?> GetAsync(IVigilStore store, string zone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await ReadModel.LoadAsync(store, ct);
        var found = model.Zones.GetValueOrDefault(zone)
            ?? model.Zones.Values.FirstOrDefault(z => string.Equals(z.Name, zone, StringComparison.OrdinalIgnoreCase));
        return found is null ? null : View(model, found);
    }

    private static ZoneView View(ReadModel model, Zone zone)
    {
        var security = zone.Security;
        var features = security?.Features;
        return new ZoneView(
            zone.Id,
            zone.Name,
            zone.AccountId,
            model.AccountName(zone.AccountId) ?? zone.AccountId,
            zone.Status,
            zone.Paused,
            zone.Type,
            zone.PlanLegacyId ?? zone.PlanName,
            zone.IsMonitored,
            security is null ? null : new ZoneSettingsView(
                security.Ssl,
                security.MinTlsVersion,
                security.AlwaysUseHttps,
                security.Hsts,
                security.SecurityLevel,
                security.DnssecStatus,
                features?.UniversalSslEnabled,
                features?.AuthenticatedOriginPullsEnabled,
                features?.UnderAttackSince,
                features?.DnsRecordCount,
                features?.Settings ?? new Dictionary<string, string>(),
                features?.CertificatePacks is { } packs ? CertificatePack.AuthoritiesInUse(packs) : null),
            security is null ? null : new ZoneWafView(
                security.LegacyWaf,
                security.Entrypoints.ToDictionary(e => e.Key, e => e.Value is not null, StringComparer.Ordinal),
                [.. security.Entrypoints.Values
                    .Where(e => e is not null)
                    .SelectMany(e => e!.Rules)
                    .Where(r => r.Enabled && r.Action == "execute" && r.ExecutesRulesetId is not null && !r.OverridesDisableRuleset)
                    .Select(r => r.ExecutesRulesetId!)
                    .Distinct(StringComparer.Ordinal)]),
            [.. model.FindingsOfZone(zone.Id).Select(row => FindingsQuery.View(model, row)).Select(f =>
                new ZoneCheckView(f.CheckId, f.CheckTitle, f.Severity, f.Status, f.Why, f.HowToFix))]);
    }
}
