using System.Globalization;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Core.History;

/// <summary>
/// What changed between two snapshots (`vigil diff A B`): memberships added, removed, re-roled or with 2FA changed, and
/// zones added, removed or with settings changed. Memberships are matched by account and Cloudflare membership id, zones
/// by zone id. A setting is compared only where both snapshots read it: a read that failed, or a part no selected check
/// needed, is not a change of the setting.
/// </summary>
public sealed record SnapshotDiff(SnapshotRef From, SnapshotRef To, MembershipChanges Memberships, ZoneChanges Zones)
{
    /// <summary>True when anything compared differs.</summary>
    public bool HasChanges => Memberships.Added.Count + Memberships.Removed.Count + Memberships.ReRoled.Count + Memberships.TwoFactorChanged.Count
        + Zones.Added.Count + Zones.Removed.Count + Zones.SettingsChanged.Count > 0;

    /// <summary>Compares <paramref name="from"/> (the older, usually) with <paramref name="to"/>.</summary>
    public static SnapshotDiff Between(Snapshot from, Snapshot to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var accountNames = from.Accounts.Concat(to.Accounts)
            .GroupBy(a => a.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Name, StringComparer.Ordinal);
        string? AccountName(string id) => accountNames.GetValueOrDefault(id);

        var before = Index(from.Members);
        var after = Index(to.Members);
        var added = after.Where(m => !before.ContainsKey(m.Key)).Select(m => DiffMember.Of(m.Value, AccountName(m.Value.AccountId))).ToList();
        var removed = before.Where(m => !after.ContainsKey(m.Key)).Select(m => DiffMember.Of(m.Value, AccountName(m.Value.AccountId))).ToList();
        var reroled = new List<MembershipRoleChange>();
        var twoFactor = new List<TwoFactorChange>();
        foreach (var (key, old) in before)
        {
            if (!after.TryGetValue(key, out var now))
            {
                continue;
            }
            var oldGrants = Grants(old);
            var newGrants = Grants(now);
            if (!oldGrants.SequenceEqual(newGrants, StringComparer.Ordinal))
            {
                reroled.Add(new MembershipRoleChange(now.AccountId, AccountName(now.AccountId), now.Id, now.Label, oldGrants, newGrants,
                    [.. newGrants.Except(oldGrants, StringComparer.Ordinal)], [.. oldGrants.Except(newGrants, StringComparer.Ordinal)]));
            }
            if (old.TwoFactorEnabled != now.TwoFactorEnabled)
            {
                twoFactor.Add(new TwoFactorChange(now.AccountId, AccountName(now.AccountId), now.Id, now.Label, old.TwoFactorEnabled, now.TwoFactorEnabled));
            }
        }

        var zonesBefore = from.Zones.GroupBy(z => z.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var zonesAfter = to.Zones.GroupBy(z => z.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var zonesAdded = zonesAfter.Values.Where(z => !zonesBefore.ContainsKey(z.Id)).Select(z => DiffZone.Of(z, AccountName(z.AccountId))).ToList();
        var zonesRemoved = zonesBefore.Values.Where(z => !zonesAfter.ContainsKey(z.Id)).Select(z => DiffZone.Of(z, AccountName(z.AccountId))).ToList();
        var zonesChanged = new List<ZoneSettingsChange>();
        foreach (var old in zonesBefore.Values)
        {
            if (!zonesAfter.TryGetValue(old.Id, out var now))
            {
                continue;
            }
            var oldSettings = ZoneSettingValues.Of(old);
            var newSettings = ZoneSettingValues.Of(now);
            var changes = oldSettings
                .Where(s => newSettings.TryGetValue(s.Key, out var value) && !string.Equals(value, s.Value, StringComparison.Ordinal))
                .Select(s => new SettingChange(s.Key, s.Value, newSettings[s.Key]))
                .ToList();
            if (changes.Count > 0)
            {
                zonesChanged.Add(new ZoneSettingsChange(now.Id, now.Name, now.AccountId, AccountName(now.AccountId), changes));
            }
        }

        return new SnapshotDiff(SnapshotRef.Of(from), SnapshotRef.Of(to), new MembershipChanges(
            [.. added.OrderBy(m => m.AccountId, StringComparer.Ordinal).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)],
            [.. removed.OrderBy(m => m.AccountId, StringComparer.Ordinal).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)],
            [.. reroled.OrderBy(m => m.AccountId, StringComparer.Ordinal).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)],
            [.. twoFactor.OrderBy(m => m.AccountId, StringComparer.Ordinal).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)]), new ZoneChanges(
            [.. zonesAdded.OrderBy(z => z.Zone, StringComparer.OrdinalIgnoreCase)],
            [.. zonesRemoved.OrderBy(z => z.Zone, StringComparer.OrdinalIgnoreCase)],
            [.. zonesChanged.OrderBy(z => z.Zone, StringComparer.OrdinalIgnoreCase)]));
    }

    private static Dictionary<(string AccountId, string Id), AccountMember> Index(IReadOnlyList<AccountMember> members)
    {
        var index = new Dictionary<(string, string), AccountMember>();
        foreach (var member in members)
        {
            index.TryAdd((member.AccountId, member.Id), member);
        }
        return index;
    }

    /// <summary>Role names and the permission groups of allow-policies: what the member can do, sorted.</summary>
    private static IReadOnlyList<string> Grants(AccountMember member) =>
        [.. member.GrantNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>Memberships added, removed, re-roled (roles or allow-policy permission groups changed) and with 2FA changed.</summary>
public sealed record MembershipChanges(IReadOnlyList<DiffMember> Added, IReadOnlyList<DiffMember> Removed, IReadOnlyList<MembershipRoleChange> ReRoled,
    IReadOnlyList<TwoFactorChange> TwoFactorChanged);

/// <summary>Zones added, removed, and present in both with settings changed.</summary>
public sealed record ZoneChanges(IReadOnlyList<DiffZone> Added, IReadOnlyList<DiffZone> Removed, IReadOnlyList<ZoneSettingsChange> SettingsChanged);

/// <summary>One side of a diff: the snapshot (sync run) id and when its data was taken.</summary>
public sealed record SnapshotRef(string SnapshotId, DateTimeOffset TakenAt)
{
    public static SnapshotRef Of(Snapshot snapshot) => new(snapshot.Id, snapshot.TakenAt);
}

/// <summary>A membership added or removed.</summary>
/// <param name="Roles">Role names and allow-policy permission groups.</param>
/// <param name="Status">"accepted", "pending" or Cloudflare's own text for any other status.</param>
public sealed record DiffMember(string AccountId, string? AccountName, string MemberId, string Email, IReadOnlyList<string> Roles, bool? TwoFactorEnabled, string Status)
{
    public static DiffMember Of(AccountMember member, string? accountName) =>
        new(member.AccountId, accountName, member.Id, member.Label, [.. member.GrantNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            member.TwoFactorEnabled, member.Status switch
            {
                MembershipStatus.Accepted => "accepted",
                MembershipStatus.Pending => "pending",
                _ => member.StatusText ?? "other",
            });
}

/// <summary>A membership whose roles (or allow-policy permission groups) changed.</summary>
public sealed record MembershipRoleChange(string AccountId, string? AccountName, string MemberId, string Email,
    IReadOnlyList<string> OldRoles, IReadOnlyList<string> NewRoles, IReadOnlyList<string> RolesAdded, IReadOnlyList<string> RolesRemoved);

/// <summary>A membership whose 2FA flag changed (null: Cloudflare did not say).</summary>
public sealed record TwoFactorChange(string AccountId, string? AccountName, string MemberId, string Email, bool? Old, bool? New);

/// <summary>A zone added or removed.</summary>
public sealed record DiffZone(string ZoneId, string Zone, string AccountId, string? AccountName, string Status, string? Plan)
{
    public static DiffZone Of(Zone zone, string? accountName) =>
        new(zone.Id, zone.Name, zone.AccountId, accountName, zone.Paused ? $"{zone.Status} (paused)" : zone.Status, zone.PlanLegacyId ?? zone.PlanName);
}

/// <summary>A zone present in both snapshots whose settings differ, each setting named with its old and new value.</summary>
public sealed record ZoneSettingsChange(string ZoneId, string Zone, string AccountId, string? AccountName, IReadOnlyList<SettingChange> Settings);

/// <summary>One setting's old and new value, as text (e.g. min_tls_version "1.2" → "1.0").</summary>
public sealed record SettingChange(string Setting, string Old, string New);

/// <summary>
/// A zone's settings as name → value text, for comparison: the zone's status, plan and pause flag always; the security
/// settings, DNSSEC, HSTS, the settings read one by one, Universal SSL, origin pulls, bot protection and Logpush only
/// where they were read. Names are Cloudflare's setting ids where there is one.
/// </summary>
public static class ZoneSettingValues
{
    public static IReadOnlyDictionary<string, string> Of(Zone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["status"] = zone.Status,
            ["paused"] = OnOff(zone.Paused),
        };
        Add(values, "plan", zone.PlanLegacyId ?? zone.PlanName);
        if (zone.Security is not { } security)
        {
            return values;
        }
        Add(values, "ssl", security.Ssl);
        Add(values, "min_tls_version", security.MinTlsVersion);
        Add(values, "always_use_https", security.AlwaysUseHttps);
        Add(values, "security_level", security.SecurityLevel);
        Add(values, "waf", security.LegacyWaf);
        Add(values, "dnssec", security.DnssecStatus);
        if (security.Hsts is { } hsts)
        {
            values["hsts"] = hsts.Enabled
                ? string.Create(CultureInfo.InvariantCulture, $"on, max-age {hsts.MaxAgeSeconds}{(hsts.IncludeSubdomains ? ", includeSubDomains" : "")}{(hsts.Preload ? ", preload" : "")}")
                : "off";
        }
        if (security.HostnameMinTls is { } hostnames)
        {
            foreach (var hostname in hostnames)
            {
                values[$"min_tls_version[{hostname.Hostname}]"] = hostname.Value;
            }
        }
        if (security.Features is not { } features)
        {
            return values;
        }
        foreach (var (setting, value) in features.Settings ?? new Dictionary<string, string>())
        {
            values[setting] = value;
        }
        Add(values, "universal_ssl", features.UniversalSslEnabled is { } universal ? OnOff(universal) : null);
        Add(values, "authenticated_origin_pulls", features.AuthenticatedOriginPullsEnabled is { } pulls ? OnOff(pulls) : null);
        if (features.BotManagement is { } bots)
        {
            Add(values, "bot_management.fight_mode", bots.FightMode is { } fight ? OnOff(fight) : null);
            Add(values, "bot_management.sbfm_definitely_automated", bots.SbfmDefinitelyAutomated);
            Add(values, "bot_management.sbfm_likely_automated", bots.SbfmLikelyAutomated);
            Add(values, "bot_management.sbfm_verified_bots", bots.SbfmVerifiedBots);
            Add(values, "bot_management.enable_js", bots.EnableJs is { } js ? OnOff(js) : null);
        }
        if (features.LogpushJobs is { } jobs)
        {
            var enabled = jobs.Where(j => j.Enabled && !j.IsInstantLogs).Select(j => j.Dataset ?? "unknown dataset").Order(StringComparer.Ordinal).ToList();
            values["logpush_jobs_enabled"] = enabled.Count == 0 ? "none" : string.Join(", ", enabled);
        }
        if (features.CertificatePacks is { } packs)
        {
            var used = CertificatePack.AuthoritiesInUse(packs);
            values["certificate_authorities"] = used.Count == 0 ? "none" : string.Join(", ", used);
        }
        return values;
    }

    private static void Add(SortedDictionary<string, string> values, string name, string? value)
    {
        if (value is not null)
        {
            values[name] = value;
        }
    }

    private static string OnOff(bool value) => value ? "on" : "off";
}
