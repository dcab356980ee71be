using System.Text.Json;
using Vigil.Core.Inventory;

namespace Vigil.Cloudflare.Api;

// One mapper per resource: Cloudflare's shapes stop here and Core types go on.

internal static class AccountMapper
{
    public static CloudflareAccount Map(AccountDto dto, string connectionId) =>
        new(Require(dto.Id, "account id"), dto.Name ?? dto.Id!, dto.Settings?.EnforceTwofactor, connectionId);

    internal static string Require(string? value, string what) =>
        string.IsNullOrEmpty(value) ? throw new CloudflareResponseException($"Cloudflare sent a response without {what}.") : value;
}

internal static class RoleMapper
{
    public static AccountRole Map(RoleDto dto, string accountId) =>
        new(AccountMapper.Require(dto.Id, "role id"), accountId, dto.Name ?? dto.Id!, dto.Description, NormalisePermissions(dto.Permissions));

    /// <summary>
    /// Accepts the three shapes Cloudflare has used: ["#zones:read", ...], {"zones": {"read": true, "write": false}}
    /// and {"zones": {"read": true, "edit": true}}. Grants come out as "area:read" / "area:write", sorted.
    /// </summary>
    public static IReadOnlyList<string> NormalisePermissions(JsonElement permissions)
    {
        var grants = new SortedSet<string>(StringComparer.Ordinal);
        switch (permissions.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in permissions.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } grant)
                    {
                        grants.Add(grant.TrimStart('#'));
                    }
                }
                break;
            case JsonValueKind.Object:
                foreach (var area in permissions.EnumerateObject())
                {
                    if (area.Value.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }
                    foreach (var flag in area.Value.EnumerateObject())
                    {
                        if (flag.Value.ValueKind == JsonValueKind.True)
                        {
                            grants.Add($"{area.Name}:{(flag.Name == "edit" ? "write" : flag.Name)}");
                        }
                    }
                }
                break;
        }
        return [.. grants];
    }
}

internal static class MemberMapper
{
    private const string AccountKeyPrefix = "com.cloudflare.api.account.";
    private const string ZoneKeyPrefix = "com.cloudflare.api.account.zone.";

    /// <param name="permissionGroupNames">Names by id from the account's permission-group list, for permission groups sent without a name.</param>
    public static AccountMember Map(MemberDto dto, string accountId, IReadOnlyDictionary<string, string>? permissionGroupNames = null)
    {
        // The email is optional in Cloudflare's current types: a member without one is kept (and reported), never dropped.
        var email = dto.Email is { Length: > 0 } topLevel ? topLevel : dto.User?.Email;
        return new AccountMember(
            AccountMapper.Require(dto.Id, "member id"),
            accountId,
            dto.User?.Id,
            email?.Trim() ?? "",
            dto.User?.FirstName,
            dto.User?.LastName,
            dto.Status switch
            {
                "accepted" => MembershipStatus.Accepted,
                "pending" => MembershipStatus.Pending,
                // No status at all is not evidence that the access is gone: judge it as a membership rather than pass it by.
                null => MembershipStatus.Accepted,
                _ => MembershipStatus.Other,
            },
            dto.User?.TwoFactorAuthenticationEnabled,
            [.. (dto.Roles ?? []).Where(r => r.Id is not null).Select(r => new MemberRole(r.Id!, r.Name ?? r.Id!))],
            [.. (dto.Policies ?? []).Select(p => MapPolicy(p, accountId, permissionGroupNames, null))],
            dto.Status ?? "not reported");
    }

    /// <summary>Ids of permission groups that came without a name, in member or group policies.</summary>
    public static IEnumerable<string> UnnamedPermissionGroups(IEnumerable<PolicyDto> policies) =>
        policies.SelectMany(p => p.PermissionGroups ?? []).Where(g => string.IsNullOrEmpty(g.Name) && !string.IsNullOrEmpty(g.Id)).Select(g => g.Id!);

    public static MemberPolicy MapPolicy(PolicyDto policy, string accountId, IReadOnlyDictionary<string, string>? permissionGroupNames, string? viaGroup) =>
        new(policy.Id ?? "",
            policy.Access ?? "allow",
            [.. (policy.PermissionGroups ?? []).Select(g => NameOf(g, permissionGroupNames)).Where(n => n.Length > 0)],
            [.. (policy.ResourceGroups ?? []).Select(g => g.Name ?? ScopeKey(g.Scope) ?? g.Id ?? "").Where(n => n.Length > 0)],
            viaGroup,
            [.. (policy.ResourceGroups ?? []).SelectMany(g => Scopes(g, accountId))]);

    /// <summary>The permission group's name; never a bare id, which could be mistaken for (or never match) a role name.</summary>
    private static string NameOf(NamedRefDto group, IReadOnlyDictionary<string, string>? names) =>
        group.Name is { Length: > 0 } name ? name
        : group.Id is not { Length: > 0 } id ? ""
        : names is not null && names.TryGetValue(id, out var listed) && listed.Length > 0 ? listed
        : $"unnamed permission group {id}";

    /// <summary>A resource group's scope: {key: "com.cloudflare.api.account.ID", objects: [{key: "*" | "com.cloudflare.api.account.zone.ID|*"}]}.</summary>
    private static IEnumerable<PolicyScope> Scopes(NamedRefDto group, string accountId)
    {
        var entries = group.Scope.ValueKind switch
        {
            JsonValueKind.Array => group.Scope.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList(),
            JsonValueKind.Object => [group.Scope],
            _ => [],
        };
        if (entries.Count == 0)
        {
            yield return new PolicyScope(PolicyScope.Other, group.Name ?? group.Id ?? "unknown resource group");
            yield break;
        }
        foreach (var entry in entries)
        {
            var key = entry.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() ?? "" : "";
            var account = key.StartsWith(AccountKeyPrefix, StringComparison.Ordinal) && !key.StartsWith(ZoneKeyPrefix, StringComparison.Ordinal)
                ? key[AccountKeyPrefix.Length..]
                : accountId;
            var objects = entry.TryGetProperty("objects", out var o) && o.ValueKind == JsonValueKind.Array
                ? o.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("key", out var ok) && ok.ValueKind == JsonValueKind.String ? ok.GetString() ?? "" : "").ToList()
                : [];
            if (objects.Count == 0)
            {
                yield return key.StartsWith(AccountKeyPrefix, StringComparison.Ordinal) && !key.StartsWith(ZoneKeyPrefix, StringComparison.Ordinal)
                    ? new PolicyScope(PolicyScope.Account, account)
                    : new PolicyScope(PolicyScope.Other, key.Length > 0 ? key : group.Id ?? "unknown resource group");
                continue;
            }
            foreach (var obj in objects)
            {
                yield return obj switch
                {
                    "*" => new PolicyScope(PolicyScope.Account, account),
                    ZoneKeyPrefix + "*" => new PolicyScope(PolicyScope.AllZones, account),
                    _ when obj.StartsWith(ZoneKeyPrefix, StringComparison.Ordinal) => new PolicyScope(PolicyScope.Zone, obj[ZoneKeyPrefix.Length..]),
                    _ => new PolicyScope(PolicyScope.Other, obj.Length > 0 ? obj : key),
                };
            }
        }
    }

    private static string? ScopeKey(JsonElement scope)
    {
        var first = scope.ValueKind == JsonValueKind.Array ? scope.EnumerateArray().FirstOrDefault() : scope;
        return first.ValueKind == JsonValueKind.Object && first.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
            ? key.GetString()
            : null;
    }
}

internal static class SsoConnectorMapper
{
    public static IReadOnlyList<SsoConnector> Map(IEnumerable<SsoConnectorDto> dtos) =>
        [.. dtos.Where(d => !string.IsNullOrWhiteSpace(d.EmailDomain))
            .Select(d => new SsoConnector(d.Id ?? "", d.EmailDomain!.Trim().ToLowerInvariant(), d.Enabled, d.Verification?.Status))];
}

internal static class ZoneMapper
{
    public static Zone Map(ZoneDto dto, string? fallbackAccountId, ZoneSecurity? security) =>
        new(AccountMapper.Require(dto.Id, "zone id"),
            dto.Name ?? dto.Id!,
            dto.Account?.Id ?? fallbackAccountId ?? "",
            dto.Status ?? "unknown",
            dto.Paused ?? false,
            dto.Plan?.Name,
            security,
            dto.Type,
            dto.Plan?.LegacyId);

    public static bool IsMonitored(ZoneDto dto) => dto.Status == "active" && dto.Paused != true;
}

/// <summary>The settings the checks use, from either the batch call or per-setting reads.</summary>
internal static class ZoneSettingsMapper
{
    public const string Ssl = "ssl";
    public const string MinTlsVersion = "min_tls_version";
    public const string AlwaysUseHttps = "always_use_https";
    public const string SecurityHeader = "security_header";
    public const string SecurityLevel = "security_level";
    public const string Waf = "waf";

    /// <summary>
    /// Exactly what the checks read; the per-setting fallback calls these and nothing else. security_level is no longer
    /// among them (cloudflare.zone-security-level was retired); the batch call still carries it and it is kept from there.
    /// </summary>
    public static readonly IReadOnlyList<string> Needed = [Ssl, MinTlsVersion, AlwaysUseHttps, SecurityHeader, Waf];

    /// <param name="extra">Settings checks read beyond the core ones (<see cref="Core.Checks.INeedsZoneSettings"/>): those
    /// found with a text value are kept in <see cref="ZoneSettingValues.Extra"/>; null when none is wanted.</param>
    public static ZoneSettingValues Map(IEnumerable<ZoneSettingDto> settings, IReadOnlyList<string>? extra = null)
    {
        var byId = settings.Where(s => s.Id is not null).GroupBy(s => s.Id!).ToDictionary(g => g.Key, g => g.First().Value);
        return new ZoneSettingValues(
            Text(byId, Ssl), Text(byId, MinTlsVersion), Text(byId, AlwaysUseHttps),
            byId.TryGetValue(SecurityHeader, out var header) ? MapHsts(header) : null,
            Text(byId, SecurityLevel), Text(byId, Waf),
            extra is null or { Count: 0 } ? null
                : extra.Select(id => (id, Value: Text(byId, id))).Where(s => s.Value is not null)
                    .ToDictionary(s => s.id, s => s.Value!, StringComparer.Ordinal));
    }

    private static string? Text(Dictionary<string, JsonElement> byId, string id) =>
        byId.TryGetValue(id, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static HstsPolicy? MapHsts(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("strict_transport_security", out var sts) || sts.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        return new HstsPolicy(Flag(sts, "enabled"), sts.TryGetProperty("max_age", out var age) ? Seconds(age) : 0,
            Flag(sts, "include_subdomains"), Flag(sts, "preload"));

        // max_age is a JSON number: Cloudflare's own answers carry it as 31536000 or 31536000.0 (a string is accepted too).
        static long Seconds(JsonElement age)
        {
            if (age.ValueKind == JsonValueKind.Number && age.TryGetInt64(out var whole))
            {
                return whole;
            }
            var real = 0d;
            var read = age.ValueKind switch
            {
                JsonValueKind.Number => age.TryGetDouble(out real),
                JsonValueKind.String => double.TryParse(age.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out real),
                _ => false,
            };
            return read && double.IsFinite(real) ? (long)Math.Clamp(Math.Floor(real), long.MinValue, long.MaxValue) : 0;
        }

        static bool Flag(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
    }
}

/// <param name="Extra">The settings read for checks beyond the core ones, by id; null when none was wanted.</param>
internal sealed record ZoneSettingValues(string? Ssl, string? MinTlsVersion, string? AlwaysUseHttps, HstsPolicy? Hsts, string? SecurityLevel, string? LegacyWaf,
    IReadOnlyDictionary<string, string>? Extra = null);

/// <summary>Page Rules: only those that set the SSL mode matter to checks.</summary>
internal static class PageRuleMapper
{
    public static IReadOnlyList<PageRuleSsl> MapSsl(IEnumerable<PageRuleDto> rules) =>
        [.. rules.SelectMany(rule => (rule.Actions ?? [])
            .Where(a => a.Id == "ssl" && a.Value.ValueKind == JsonValueKind.String)
            .Select(a => new PageRuleSsl(rule.Id ?? "", Target(rule), a.Value.GetString()!, rule.Status ?? "active")))];

    private static string Target(PageRuleDto rule)
    {
        var targets = (rule.Targets ?? []).Select(t => t.Constraint?.Value).OfType<string>().ToList();
        return targets.Count == 0 ? "(no target)" : string.Join(", ", targets);
    }
}

internal static class HostnameSettingMapper
{
    public static IReadOnlyList<HostnameSetting> Map(IEnumerable<HostnameSettingDto> settings) =>
        [.. settings.Where(s => s.Hostname is { Length: > 0 })
            .Select(s => new HostnameSetting(s.Hostname!, s.Value.ValueKind == JsonValueKind.String ? s.Value.GetString()! : s.Value.GetRawText(), s.Status))];
}

internal static class RulesetMapper
{
    public static PhaseEntrypoint Map(RulesetDto dto, string phase) =>
        new(dto.Phase ?? phase, AccountMapper.Require(dto.Id, "ruleset id"), [.. (dto.Rules ?? []).Select(MapRule)]);

    /// <summary>The rules of a managed ruleset with their categories and default status, to weigh overrides against.</summary>
    public static IReadOnlyList<OverrideCoverage.ManagedRule> MapManagedRules(RulesetDto dto) =>
        [.. (dto.Rules ?? []).Where(r => r.Id is not null).Select(r => new OverrideCoverage.ManagedRule(r.Id!, r.Categories ?? [], r.Enabled ?? true))];

    private static RulesetRule MapRule(RuleDto r)
    {
        var parameters = r.ActionParameters;
        var action = r.Action ?? "";
        return new RulesetRule(
            r.Id ?? "", action, r.Enabled ?? true, parameters?.Id,
            parameters?.Overrides?.Enabled == false, r.Description,
            r.Expression,
            parameters?.Overrides is { } o
                ? new RuleOverrides(o.Enabled, o.Action,
                    [.. (o.Categories ?? []).Where(c => c.Category is not null).Select(c => new OverrideTarget(c.Category!, c.Enabled, c.Action))],
                    [.. (o.Rules ?? []).Where(c => c.Id is not null).Select(c => new OverrideTarget(c.Id!, c.Enabled, c.Action))])
                : null,
            action == "skip" && parameters is not null
                ? new SkipParameters(parameters.Ruleset == "current", parameters.Rulesets ?? [], parameters.Phases ?? [], parameters.Products ?? [],
                    (parameters.Rules ?? []).ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal))
                : null,
            action == "set_config" ? parameters?.Ssl : null);
    }
}

internal static class AccountTokenMapper
{
    public static AccountToken Map(AccountTokenDto dto, string accountId)
    {
        var id = AccountMapper.Require(dto.Id, "token id");
        return new AccountToken(id, accountId, dto.Name ?? "", dto.Status, dto.IssuedOn, dto.ModifiedOn, dto.NotBefore, dto.ExpiresOn, dto.LastUsedOn,
            Cidrs(dto.Condition?.RequestIp?.In), Cidrs(dto.Condition?.RequestIp?.NotIn),
            dto.CreatorEmailAtCreation is { } creator && !string.IsNullOrWhiteSpace(creator) ? creator.Trim() : null,
            [.. (dto.Policies ?? []).Select(MapPolicy)]);
    }

    private static IReadOnlyList<string> Cidrs(List<string>? cidrs) => [.. (cidrs ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim())];

    private static TokenPolicy MapPolicy(TokenPolicyDto policy) => new(
        policy.Id ?? "",
        policy.Effect ?? "allow",
        [.. (policy.PermissionGroups ?? []).Select(g => g.Name is { Length: > 0 } name ? name : $"permission group {g.Id}")],
        policy.Resources.ValueKind == JsonValueKind.Object ? [.. policy.Resources.EnumerateObject().Select(r => r.Name)] : []);
}

internal static class DnsRecordMapper
{
    /// <summary>The record in Core's terms, for the zone it was listed under; null when Cloudflare sent no id, type or name.</summary>
    public static DnsRecord? Map(DnsRecordDto dto, string zoneId)
    {
        if (dto.Id is not { Length: > 0 } id || dto.Type is not { Length: > 0 } type || dto.Name is not { Length: > 0 } name)
        {
            return null;
        }
        var isCaa = string.Equals(type, "CAA", StringComparison.OrdinalIgnoreCase);
        return new DnsRecord(id, zoneId, Intern(type), name.TrimEnd('.'), dto.Content ?? "", dto.Proxied, dto.Ttl is { } ttl ? (int)ttl : 1,
            dto.Priority is { } priority ? (int)priority : null,
            isCaa && dto.Data is { Tag: { Length: > 0 } tag } data ? new CaaData(Flags(data.Flags), tag, data.Value ?? "") : null,
            dto.Proxiable);
    }

    private static int? Flags(JsonElement flags) => flags.ValueKind switch
    {
        JsonValueKind.Number when flags.TryGetInt32(out var n) => n,
        JsonValueKind.String when int.TryParse(flags.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>Record types repeat across hundreds of thousands of records: one string each.</summary>
    private static string Intern(string type) => type.ToUpperInvariant() switch
    {
        "A" => "A", "AAAA" => "AAAA", "CNAME" => "CNAME", "MX" => "MX", "TXT" => "TXT", "CAA" => "CAA", "NS" => "NS", "SRV" => "SRV",
        var other => other,
    };
}

internal static class BotManagementMapper
{
    public static BotManagementConfig Map(BotManagementDto dto) => new(
        dto.FightMode, dto.SbfmDefinitelyAutomated, dto.SbfmLikelyAutomated, dto.SbfmVerifiedBots,
        dto.AutoUpdateModel, dto.SuppressSessionScore, dto.BmCookieEnabled, dto.EnableJs);
}

internal static class CertificatePackMapper
{
    /// <summary>Packs without an id are dropped; a missing type reads as "" and the CA stays as sent (null when absent).</summary>
    public static IReadOnlyList<CertificatePack> Map(IEnumerable<CertificatePackDto> packs) =>
        [.. packs.Where(p => p.Id is { Length: > 0 }).Select(p => new CertificatePack(p.Id!, p.Type ?? "", p.Status,
            p.CertificateAuthority is { Length: > 0 } ca ? ca : null, p.Hosts ?? []))];
}

internal static class LogpushJobMapper
{
    public static IReadOnlyList<LogpushJob> Map(IEnumerable<LogpushJobDto?> jobs) =>
        [.. jobs.OfType<LogpushJobDto>().Select(j => new LogpushJob(
            j.Id.ValueKind switch
            {
                JsonValueKind.String => j.Id.GetString() ?? "",
                JsonValueKind.Number => j.Id.GetRawText(),
                _ => "",
            },
            j.Name, j.Dataset, j.Enabled ?? false, j.Kind, Scheme(j.DestinationConf), j.LastComplete, j.LastError, j.ErrorMessage))];

    /// <summary>"s3" from "s3://bucket/path?region=...": the kind of destination without its address or credentials.</summary>
    private static string? Scheme(string? destination)
    {
        if (destination is null)
        {
            return null;
        }
        var colon = destination.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? destination[..colon] : null;
        return scheme is not null && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') ? scheme.ToLowerInvariant() : null;
    }
}
