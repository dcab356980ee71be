using System.Collections.Frozen;

namespace Vigil.Simulation;

/// <summary>
/// Changes to the simulated organisation, for tests: every change goes through <see cref="Change"/>, which applies it
/// under one lock, re-indexes what it touched and records the audit log entry Cloudflare would (unless the caller asks
/// for an unlogged change, as Cloudflare makes for its own changes, plan changes and actions it does not log).
/// </summary>
internal sealed partial class SimulatorState
{
    private readonly Lock _changeLock = new();

    public SimulatorAuditLog AuditLog { get; } = new();

    /// <summary>The actor the simulator's log names when a change does not say: the scenario's first user.</summary>
    public string DefaultActor => Scenario.Users.FirstOrDefault()?.Email ?? "admin@example.com";

    /// <summary>A change to log: what Cloudflare's entry would say about it.</summary>
    public sealed record LoggedChange(string AccountId, string Method, string Path, string ActionType, string ResourceType, string? ResourceId,
        string? ZoneId = null, string? OldValue = null, string? NewValue = null);

    /// <summary>Applies <paramref name="apply"/> and, when <paramref name="log"/>, records its audit log entry at the simulator's current time.</summary>
    public SimAuditEntry? Change(Func<LoggedChange> apply, bool log, string? actor = null)
    {
        lock (_changeLock)
        {
            var change = apply();
            if (!log)
            {
                return null;
            }
            var account = AccountsById.GetValueOrDefault(change.AccountId);
            var zone = change.ZoneId is { } zoneId ? ZonesById.GetValueOrDefault(zoneId)?.Zone : null;
            return AuditLog.Add(id => new SimAuditEntry(id, change.AccountId, account?.Name ?? change.AccountId, Options.TimeProvider.GetUtcNow(),
                change.ActionType, change.Method, Handlers.Prefix + change.Path, change.ResourceType, change.ResourceId, change.ZoneId, zone?.Name,
                actor ?? DefaultActor, change.OldValue, change.NewValue));
        }
    }

    /// <summary>Records an entry as given (e.g. one whose type or action Vigil should not understand).</summary>
    public SimAuditEntry RecordRaw(SimAuditEntry entry) => AuditLog.Add(id => entry with { Id = id, Time = Options.TimeProvider.GetUtcNow() });

    public void ReindexZones()
    {
        var zones = Scenario.Accounts.SelectMany(a => a.Zones.Select(z => new ZoneEntry(z, a))).ToList();
        Zones = [.. zones];
        ZonesById = zones.ToFrozenDictionary(z => z.Zone.Id, StringComparer.Ordinal);
    }

    public ZoneEntry RequireZone(string zoneId) =>
        ZonesById.TryGetValue(zoneId, out var zone) ? zone : throw new KeyNotFoundException($"the simulator has no zone {zoneId}");

    public ScenarioAccount RequireAccount(string accountId) =>
        AccountsById.TryGetValue(accountId, out var account) ? account : throw new KeyNotFoundException($"the simulator has no account {accountId}");

    /// <summary>Sets one zone setting (the ids Cloudflare uses: ssl, min_tls_version, always_use_https, security_level, ...).</summary>
    public SimAuditEntry? SetZoneSetting(string zoneId, string setting, string value, bool log, string? actor = null) => Change(() =>
    {
        var entry = RequireZone(zoneId);
        var settings = entry.Zone.Settings;
        string old;
        switch (setting)
        {
            case "ssl": old = settings.Ssl; settings.Ssl = value; break;
            case "min_tls_version": old = settings.MinTlsVersion; settings.MinTlsVersion = value; break;
            case "always_use_https": old = settings.AlwaysUseHttps; settings.AlwaysUseHttps = value; break;
            case "automatic_https_rewrites": old = settings.AutomaticHttpsRewrites; settings.AutomaticHttpsRewrites = value; break;
            case "tls_1_3": old = settings.Tls13; settings.Tls13 = value; break;
            case "security_level": old = settings.SecurityLevel; settings.SecurityLevel = value; break;
            case "browser_check": old = settings.BrowserCheck; settings.BrowserCheck = value; break;
            case "waf": old = settings.Waf; settings.Waf = value; break;
            case "development_mode": old = settings.DevelopmentMode; settings.DevelopmentMode = value; break;
            case "email_obfuscation": old = settings.EmailObfuscation; settings.EmailObfuscation = value; break;
            default: throw new ArgumentException($"the simulator cannot set zone setting '{setting}'");
        }
        entry.Zone.ModifiedOn = Options.TimeProvider.GetUtcNow();
        return new LoggedChange(entry.Account.Id, "PATCH", $"/zones/{zoneId}/settings/{setting}", "update", "zone.setting", setting, zoneId,
            $"{{\"value\":\"{old}\"}}", $"{{\"value\":\"{value}\"}}");
    }, log, actor);

    /// <summary>Orders an edge certificate pack (POST /zones/{id}/ssl/certificate_packs/order), active at once.</summary>
    public SimAuditEntry? OrderCertificatePack(string zoneId, ScenarioCertificatePack pack, bool log, string? actor = null) => Change(() =>
    {
        var entry = RequireZone(zoneId);
        entry.Zone.CertificatePacks = [.. entry.Zone.CertificatePacksOrDefault(), pack];
        entry.Zone.ModifiedOn = Options.TimeProvider.GetUtcNow();
        return new LoggedChange(entry.Account.Id, "POST", $"/zones/{zoneId}/ssl/certificate_packs/order", "create", "zone.certificate_pack", pack.Id, zoneId,
            null, $"{{\"certificate_authority\":\"{pack.CertificateAuthority}\",\"type\":\"{pack.Type}\"}}");
    }, log, actor);

    public SimAuditEntry? AddZone(string accountId, ScenarioZone zone, bool log, string? actor = null) => Change(() =>
    {
        RequireAccount(accountId).Zones.Add(zone);
        ReindexZones();
        return new LoggedChange(accountId, "POST", "/zones", "create", "zone", zone.Id, zone.Id);
    }, log, actor);

    public SimAuditEntry? RemoveZone(string zoneId, bool log, string? actor = null) => Change(() =>
    {
        var entry = RequireZone(zoneId);
        entry.Account.Zones.Remove(entry.Zone);
        ReindexZones();
        return new LoggedChange(entry.Account.Id, "DELETE", $"/zones/{zoneId}", "delete", "zone", zoneId, zoneId);
    }, log, actor);

    public SimAuditEntry? AddMemberLogged(string accountId, ScenarioMember member, bool log, string? actor = null) => Change(() =>
    {
        AddMember(accountId, member);
        return new LoggedChange(accountId, "POST", $"/accounts/{accountId}/members", "create", "account.member", member.Id, null, null,
            $"{{\"email\":\"{member.User.Email}\",\"roles\":[{string.Join(",", member.Roles.Select(r => $"\"{r}\""))}]}}");
    }, log, actor);

    public SimAuditEntry? RemoveMemberLogged(string accountId, string memberId, bool log, string? actor = null) => Change(() =>
    {
        var removed = RemoveMember(accountId, memberId) ?? throw new KeyNotFoundException($"account {accountId} has no member {memberId}");
        return new LoggedChange(accountId, "DELETE", $"/accounts/{accountId}/members/{memberId}", "delete", "account.member", memberId, null,
            $"{{\"email\":\"{removed.User.Email}\"}}");
    }, log, actor);

    public SimAuditEntry? SetMemberRoles(string accountId, string memberId, IReadOnlyList<string> roleIds, bool log, string? actor = null) => Change(() =>
    {
        var member = RequireAccount(accountId).Members.FirstOrDefault(m => m.Id == memberId)
            ?? throw new KeyNotFoundException($"account {accountId} has no member {memberId}");
        var old = string.Join(",", member.Roles);
        lock (_membersLock)
        {
            member.Roles = [.. roleIds];
            ReindexMembers();
        }
        return new LoggedChange(accountId, "PUT", $"/accounts/{accountId}/members/{memberId}", "update", "account.member", memberId, null,
            $"{{\"roles\":\"{old}\"}}", $"{{\"roles\":\"{string.Join(",", roleIds)}\"}}");
    }, log, actor);

    /// <summary>Turns one rule of a zone's phase entrypoint on or off (e.g. the managed WAF's execute rule).</summary>
    public SimAuditEntry? SetZoneRuleEnabled(string zoneId, string phase, bool enabled, bool log, string? actor = null) => Change(() =>
    {
        var entry = RequireZone(zoneId);
        var ruleset = entry.Zone.Rulesets.FirstOrDefault(r => r.Phase == phase && r.Kind == "zone")
            ?? throw new KeyNotFoundException($"zone {zoneId} has no entrypoint of phase {phase}");
        foreach (var rule in ruleset.Rules)
        {
            rule.Enabled = enabled;
        }
        ruleset.LastUpdated = Options.TimeProvider.GetUtcNow();
        ruleset.Version = (int.TryParse(ruleset.Version, out var v) ? v + 1 : 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new LoggedChange(entry.Account.Id, "PUT", $"/zones/{zoneId}/rulesets/{ruleset.Id}", "update", "ruleset", ruleset.Id, zoneId);
    }, log, actor);
}
