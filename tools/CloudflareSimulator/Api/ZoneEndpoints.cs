using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Simulation;

/// <summary>Zones and their security configuration (infrastructure monitoring).</summary>
internal sealed class ZoneEndpoints(SimulatorState state)
{
    private static readonly string[] ZoneStatuses = ["initializing", "pending", "active", "moved"];
    private static readonly string[] FirewallGroups = [PermissionGroups.FirewallServicesRead, PermissionGroups.ZoneWafRead];

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapSimulatorRoute("/zones", ListZonesAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}", GetZoneAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/settings", ListSettingsAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/settings/{setting_id}", GetSettingAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/dnssec", GetDnssecAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/rulesets", ListRulesetsAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/rulesets/phases/{phase}/entrypoint", GetEntrypointAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/firewall/rules", ListFirewallRulesAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/pagerules", ListPageRulesAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/hostnames/settings/{setting_id}", ListHostnameSettingsAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/dns_records", ListDnsRecordsAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/ssl/universal/settings", GetUniversalSslAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/ssl/certificate_packs", ListCertificatePacksAsync);
        routes.MapSimulatorRoute("/zones/{zone_id}/origin_tls_client_auth/settings", GetOriginPullSettingsAsync);
    }

    /// <summary>Cloudflare documents per_page for DNS records as default 100, maximum 5,000,000.</summary>
    private const int DnsRecordsDefaultPerPage = 100;
    private const int DnsRecordsMaxPerPage = 5_000_000;

    /// <summary>The zone's DNS records, page by page with result_info (DNS Read or DNS Write; 403 without).</summary>
    private Task ListDnsRecordsAsync(HttpContext context)
    {
        if (!TryFindZone(context, [PermissionGroups.DnsRead], out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        if (!Paging.TryRead(context, DnsRecordsDefaultPerPage, DnsRecordsMaxPerPage, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        DateTime modified = Handlers.Utc(zone.Zone.ModifiedOn);
        var all = zone.Zone.DnsRecords.Select(r => ToDto(r, zone.Zone.Name, modified)).ToArray();
        var (items, info) = page.Slice(all);
        return Envelope.WriteSuccessAsync(context, [.. items], ApiJsonContext.Default.IReadOnlyListDnsRecordDto, info);
    }

    private static DnsRecordDto ToDto(ScenarioDnsRecord record, string zoneName, DateTime modified)
    {
        var type = record.Type.ToUpperInvariant();
        // Cloudflare proxies only A, AAAA and CNAME records, and never to an address that is not publicly routable.
        var proxiable = type is "A" or "AAAA" or "CNAME"
            && !(System.Net.IPAddress.TryParse(record.Content, out var address) && IsNotPublic(address));
        return new DnsRecordDto(record.Id, record.FullName(zoneName), type, record.Content, proxiable, proxiable && record.Proxied, record.Ttl,
            [], new JsonObject(), null, [], modified, modified,
            type is "MX" ? record.Priority ?? 10 : null,
            type is "CAA" ? CaaData(record.Content) : null);
    }

    /// <summary>CAA content "0 issue \"letsencrypt.org\"" as Cloudflare's data object {flags, tag, value}.</summary>
    private static JsonObject? CaaData(string content)
    {
        var parts = content.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var flags)
            ? new JsonObject { ["flags"] = flags, ["tag"] = parts[1], ["value"] = parts[2].Trim('"') }
            : null;
    }

    private static bool IsNotPublic(System.Net.IPAddress address) =>
        System.Net.IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal
        || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes() is var b
            && (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] < 32) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] < 128)));


    /// <summary>Universal SSL settings (SSL and Certificates Read): <c>{enabled}</c>.</summary>
    private Task GetUniversalSslAsync(HttpContext context) =>
        TryFindZone(context, [PermissionGroups.SslAndCertificatesRead], out var zone, out var failure)
            ? Envelope.WriteSuccessAsync(context, new EnabledSettingDto(zone.Zone.UniversalSsl), ApiJsonContext.Default.EnabledSettingDto)
            : context.FailAsync(failure);

    /// <summary>The simulator's default and largest per_page for certificate packs, as for its other V4 page lists (the SDK types do not state Cloudflare's).</summary>
    private const int CertificatePacksDefaultPerPage = 20;
    private const int CertificatePacksMaxPerPage = 50;

    /// <summary>
    /// The zone's certificate packs, page by page with result_info (SSL and Certificates Read or Write; 403 without):
    /// active packs only, as Cloudflare lists them, unless <c>status=all</c>.
    /// </summary>
    private Task ListCertificatePacksAsync(HttpContext context)
    {
        if (!TryFindZone(context, [PermissionGroups.SslAndCertificatesRead], out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        if (context.Request.Query.TryGetValue("status", out var status) && status != "all")
        {
            return context.FailAsync(ApiErrors.InvalidQuery("status must be \"all\""));
        }

        if (!Paging.TryRead(context, CertificatePacksDefaultPerPage, CertificatePacksMaxPerPage, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        var all = zone.Zone.CertificatePacksOrDefault()
            .Where(p => status == "all" || p.Status == "active")
            .Select(p => ToDto(p, zone.Zone))
            .ToArray();
        var (items, info) = page.Slice(all);
        return Envelope.WriteSuccessAsync(context, [.. items], ApiJsonContext.Default.IReadOnlyListCertificatePackDto, info);
    }

    private static CertificatePackDto ToDto(ScenarioCertificatePack pack, ScenarioZone zone)
    {
        IReadOnlyList<string> hosts = pack.Hosts.Count > 0 ? pack.Hosts : [zone.Name, "*." + zone.Name];
        var expires = Handlers.Utc(zone.ModifiedOn).AddDays(90);
        var issuer = pack.CertificateAuthority switch
        {
            "lets_encrypt" => "LetsEncrypt",
            "google" => "GoogleTrustServices",
            "ssl_com" => "SSLcom",
            "digicert" => "DigiCertInc",
            "sectigo" => "Sectigo",
            _ => null,
        };
        var certificateId = pack.Id.Replace("-", "", StringComparison.Ordinal);
        var certificates = new[] { new PackCertificateDto(certificateId, hosts, pack.Status, issuer, "ECDSAWithSHA256", expires, zone.Id) };
        var ordered = pack.CertificateAuthority is not null;
        return new CertificatePackDto(pack.Id, certificates, hosts, pack.Status, pack.Type, pack.CertificateAuthority,
            ordered ? "txt" : null, ordered ? 90 : null, certificateId);
    }

    /// <summary>Zone-level Authenticated Origin Pulls (SSL and Certificates Read): <c>{enabled}</c>.</summary>
    private Task GetOriginPullSettingsAsync(HttpContext context) =>
        TryFindZone(context, [PermissionGroups.SslAndCertificatesRead], out var zone, out var failure)
            ? Envelope.WriteSuccessAsync(context, new EnabledSettingDto(zone.Zone.AuthenticatedOriginPulls), ApiJsonContext.Default.EnabledSettingDto)
            : context.FailAsync(failure);

    private static readonly string[] PageRuleGroups = [PermissionGroups.ZoneRead, PermissionGroups.PageRulesRead];
    private static readonly string[] HostnameSettingIds = ["ciphers", "min_tls_version", "http2"];

    /// <summary>Every Page Rule of the zone, unpaged; Cloudflare's API reference accepts Zone Read or Page Rules Read.</summary>
    private Task ListPageRulesAsync(HttpContext context)
    {
        if (!TryFindZone(context, PageRuleGroups, out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        DateTime modified = Handlers.Utc(zone.Zone.ModifiedOn);
        IReadOnlyList<PageRuleDto> rules = [.. zone.Zone.PageRules.OrderByDescending(r => r.Priority).Select(r => new PageRuleDto(
            r.Id,
            [new PageRuleTargetDto("url", new PageRuleConstraintDto("matches", r.Target))],
            [.. PageRuleActions(r)],
            r.Priority,
            r.Status,
            modified,
            modified))];
        return Envelope.WriteSuccessAsync(context, rules, ApiJsonContext.Default.IReadOnlyListPageRuleDto);
    }

    private static IEnumerable<JsonObject> PageRuleActions(ScenarioPageRule rule)
    {
        if (rule.AlwaysUseHttps)
        {
            yield return new JsonObject { ["id"] = "always_use_https" };
        }

        if (rule.Ssl is { } ssl)
        {
            yield return new JsonObject { ["id"] = "ssl", ["value"] = ssl };
        }
    }

    /// <summary>Per-hostname TLS settings of the zone (SSL and Certificates Read); only min_tls_version has data here.</summary>
    private Task ListHostnameSettingsAsync(HttpContext context)
    {
        if (!TryFindZone(context, [PermissionGroups.SslAndCertificatesRead], out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        var settingId = context.Route("setting_id");
        if (!HostnameSettingIds.Contains(settingId))
        {
            return context.FailAsync(ApiErrors.UnknownObject(context.ApiPath()));
        }

        DateTime modified = Handlers.Utc(zone.Zone.ModifiedOn);
        IReadOnlyList<HostnameSettingDto> settings = settingId == "min_tls_version"
            ? [.. zone.Zone.HostnameMinTls.Select(h => new HostnameSettingDto(h.Hostname, JsonValue.Create(h.Value), h.Status, modified, modified))]
            : [];
        return Envelope.WriteSuccessAsync(context, settings, ApiJsonContext.Default.IReadOnlyListHostnameSettingDto);
    }

    private Task ListZonesAsync(HttpContext context)
    {
        var caller = context.Caller();
        if (!caller.HoldsGroup(PermissionGroups.ZoneRead))
        {
            return context.FailAsync(ApiErrors.AuthenticationError);
        }

        if (!Paging.TryRead(context, 20, 50, out var page, out var failure))
        {
            return context.FailAsync(failure);
        }

        var query = context.Request.Query;
        var accountId = query["account.id"].ToString();
        var accountName = query["account.name"].ToString();
        var status = query["status"].ToString();
        var name = query["name"].ToString();
        if (status.Length > 0 && !ZoneStatuses.Contains(status))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("status must be one of initializing, pending, active, moved"));
        }

        IEnumerable<ZoneEntry> zones = accountId.Length > 0
            ? state.AccountsById.TryGetValue(accountId, out var account) ? account.Zones.Select(z => state.ZonesById[z.Id]) : []
            : state.Zones;
        if (accountName.Length > 0)
        {
            zones = zones.Where(z => string.Equals(z.Account.Name, accountName, StringComparison.OrdinalIgnoreCase));
        }

        if (status.Length > 0)
        {
            zones = zones.Where(z => string.Equals(z.Zone.Status, status, StringComparison.Ordinal));
        }

        if (name.Length > 0)
        {
            zones = zones.Where(z => NameMatches(z.Zone.Name, name));
        }

        if (string.Equals(query["direction"], "desc", StringComparison.OrdinalIgnoreCase))
        {
            zones = zones.Reverse();
        }

        var visible = zones.Where(z => caller.Grants(PermissionGroups.ZoneRead, z.Account.Id, z.Zone.Id)).ToArray();
        var (items, info) = page.Slice(visible);
        return Envelope.WriteSuccessAsync(context, [.. items.Select(ToDto)], ApiJsonContext.Default.IReadOnlyListZoneDto, info);
    }

    private Task GetZoneAsync(HttpContext context) =>
        TryFindZone(context, [PermissionGroups.ZoneRead], out var zone, out var failure)
            ? Envelope.WriteSuccessAsync(context, ToDto(zone), ApiJsonContext.Default.ZoneDto)
            : context.FailAsync(failure);

    private Task ListSettingsAsync(HttpContext context)
    {
        // After its end of life the batch route is simply gone: Cloudflare's answer for a route it does not have.
        if (state.Scenario.Quirks.BatchSettingsEnded)
        {
            return context.FailAsync(ApiErrors.NoRoute);
        }

        // The other answers a removed route might give; Cloudflare documents none (quirk batch_settings_answer).
        if (state.Scenario.Quirks.BatchSettingsAnswer is { } answer && ApiErrors.BatchSettingsEnded(answer, context.ApiPath()) is { } ended)
        {
            return context.FailAsync(ended);
        }

        return TryFindZone(context, [PermissionGroups.ZoneSettingsRead], out var zone, out var failure)
            ? Envelope.WriteSuccessAsync(context, Settings(zone.Zone), ApiJsonContext.Default.IReadOnlyListSettingDto)
            : context.FailAsync(failure);
    }

    private Task GetSettingAsync(HttpContext context)
    {
        if (!TryFindZone(context, [PermissionGroups.ZoneSettingsRead], out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        var settingId = context.Route("setting_id");
        var setting = Settings(zone.Zone).FirstOrDefault(s => string.Equals(s.Id, settingId, StringComparison.Ordinal));
        return setting is null
            ? context.FailAsync(ApiErrors.UnknownObject(context.ApiPath()))
            : Envelope.WriteSuccessAsync(context, setting, ApiJsonContext.Default.SettingDto);
    }

    private Task GetDnssecAsync(HttpContext context)
    {
        if (!TryFindZone(context, [PermissionGroups.DnsRead], out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        var status = zone.Zone.DnssecStatus;
        var signed = status is "active" or "pending" or "pending-disabled";
        var dto = signed
            ? new DnssecDto(
                status,
                "13",
                "4A3F9C2E1B7D6A5F8E0C3B2A1D9F8E7C6B5A4D3C2B1A0F9E8D7C6B5A4F3E2D1C",
                "SHA256",
                "2",
                $"{zone.Zone.Name}. 3600 IN DS 2371 13 2 4A3F9C2E1B7D6A5F8E0C3B2A1D9F8E7C6B5A4D3C2B1A0F9E8D7C6B5A4F3E2D1C",
                257,
                2371,
                "ECDSAP256SHA256",
                Handlers.Utc(zone.Zone.ModifiedOn),
                "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
                false,
                false)
            : new DnssecDto(status, null, null, null, null, null, null, null, null, Handlers.Utc(zone.Zone.ModifiedOn), null, false, false);
        return Envelope.WriteSuccessAsync(context, dto, ApiJsonContext.Default.DnssecDto);
    }

    private Task ListRulesetsAsync(HttpContext context)
    {
        if (!TryFindZone(context, FirewallGroups, out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        return RulesetEndpoints.ListAsync(context, zone.Zone.Rulesets);
    }

    private Task GetEntrypointAsync(HttpContext context)
    {
        if (!TryFindZone(context, FirewallGroups, out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        var phase = context.Route("phase");
        var entrypoint = zone.Zone.Rulesets.FirstOrDefault(r => r.Kind == "zone" && string.Equals(r.Phase, phase, StringComparison.Ordinal));
        return entrypoint is null
            ? context.FailAsync(ApiErrors.NoEntrypoint(phase))
            : Envelope.WriteSuccessAsync(context, ToDto(entrypoint, withRules: true), ApiJsonContext.Default.RulesetDto);
    }

    private Task ListFirewallRulesAsync(HttpContext context)
    {
        if (!TryFindZone(context, FirewallGroups, out var zone, out var failure))
        {
            return context.FailAsync(failure);
        }

        if (!Paging.TryRead(context, 25, 100, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        var (items, info) = page.Slice(zone.Zone.FirewallRules.ToArray());
        IReadOnlyList<FirewallRuleDto> rules = [.. items.Select(r => new FirewallRuleDto(
            r.Id, r.Paused, r.Description, r.Action, new FirewallFilterDto(r.FilterId, r.Expression, r.Paused, r.Description)))];
        return Envelope.WriteSuccessAsync(context, rules, ApiJsonContext.Default.IReadOnlyListFirewallRuleDto, info);
    }

    private bool TryFindZone(HttpContext context, ReadOnlySpan<string> anyOf, out ZoneEntry zone, [NotNullWhen(false)] out ApiFailure? failure)
    {
        zone = null!;
        failure = null;
        var id = context.Route("zone_id");
        if (!Handlers.IsIdentifier(id))
        {
            failure = ApiErrors.InvalidIdentifier(context.ApiPath());
            return false;
        }

        if (!state.ZonesById.TryGetValue(id, out var found))
        {
            failure = ApiErrors.UnknownObject(context.ApiPath());
            return false;
        }

        if (!context.Caller().GrantsAny(anyOf, found.Account.Id, found.Zone.Id))
        {
            failure = ApiErrors.AuthenticationError;
            return false;
        }

        zone = found;
        return true;
    }

    /// <summary>Exact match by default; Cloudflare's "contains:", "starts_with:", "ends_with:" and "equal:" prefixes.</summary>
    private static bool NameMatches(string zoneName, string filter)
    {
        var colon = filter.IndexOf(':', StringComparison.Ordinal);
        var (op, value) = colon > 0 ? (filter[..colon], filter[(colon + 1)..]) : ("equal", filter);
        return op switch
        {
            "contains" => zoneName.Contains(value, StringComparison.OrdinalIgnoreCase),
            "starts_with" => zoneName.StartsWith(value, StringComparison.OrdinalIgnoreCase),
            "ends_with" => zoneName.EndsWith(value, StringComparison.OrdinalIgnoreCase),
            "not_equal" => !string.Equals(zoneName, value, StringComparison.OrdinalIgnoreCase),
            "equal" => string.Equals(zoneName, value, StringComparison.OrdinalIgnoreCase),
            _ => string.Equals(zoneName, filter, StringComparison.OrdinalIgnoreCase),
        };
    }

    private ZoneDto ToDto(ZoneEntry entry)
    {
        var zone = entry.Zone;
        var nullOwner = state.Scenario.Quirks.NullZoneOwner;
        return new ZoneDto(
            zone.Id,
            zone.Name,
            zone.Status,
            zone.Paused,
            zone.Type,
            0,
            zone.NameServers,
            null,
            null,
            null,
            [],
            Handlers.Utc(zone.CreatedOn),
            Handlers.Utc(zone.ModifiedOn),
            zone.Status == "active" ? Handlers.Utc(zone.ActivatedOn ?? zone.CreatedOn.AddMinutes(30)) : null,
            new ZoneMetaDto(zone.Status == "active" ? 4 : 2, 1, PageRuleQuota(zone.Plan.LegacyId), false),
            // Account-owned zones carry a null owner id and name in real answers, although the schema says string.
            nullOwner ? new ZoneOwnerDto(null, null, "user") : new ZoneOwnerDto(entry.Account.Id, entry.Account.Name, "organization"),
            new ZoneAccountDto(entry.Account.Id, entry.Account.Name),
            new ZonePlanDto(zone.Plan.Id, zone.Plan.Name, PlanPrice(zone.Plan.LegacyId), "USD", zone.Plan.LegacyId == "free" ? "" : "monthly",
                true, false, zone.Plan.LegacyId, false, false));
    }

    private static int PageRuleQuota(string legacyPlan) => legacyPlan switch
    {
        "pro" => 20,
        "business" => 50,
        "enterprise" => 125,
        _ => 3,
    };

    private static int PlanPrice(string legacyPlan) => legacyPlan switch
    {
        "pro" => 25,
        "business" => 250,
        _ => 0,
    };

    internal static IReadOnlyList<SettingDto> Settings(ScenarioZone zone)
    {
        var s = zone.Settings;
        DateTime? modified = Handlers.Utc(zone.ModifiedOn);
        SettingDto Text(string id, string value) => new(id, JsonValue.Create(value), true, modified);
        var hsts = new JsonObject
        {
            ["strict_transport_security"] = new JsonObject
            {
                ["enabled"] = s.Hsts.Enabled,
                ["max_age"] = s.Hsts.MaxAge,
                ["include_subdomains"] = s.Hsts.IncludeSubdomains,
                ["preload"] = s.Hsts.Preload,
                ["nosniff"] = s.Hsts.Nosniff,
            },
        };
        return
        [
            Text("always_use_https", s.AlwaysUseHttps),
            Text("automatic_https_rewrites", s.AutomaticHttpsRewrites),
            Text("browser_check", s.BrowserCheck),
            Text("development_mode", s.DevelopmentMode),
            Text("email_obfuscation", s.EmailObfuscation),
            Text("min_tls_version", s.MinTlsVersion),
            Text("opportunistic_encryption", s.OpportunisticEncryption),
            new SettingDto("security_header", hsts, true, modified),
            Text("security_level", s.SecurityLevel),
            Text("ssl", s.Ssl),
            Text("tls_1_3", s.Tls13),
            Text("waf", s.Waf),
        ];
    }

    internal static RulesetDto ToDto(ScenarioRuleset ruleset, bool withRules) => new(
        ruleset.Id,
        ruleset.Name,
        ruleset.Description,
        ruleset.Kind,
        ruleset.Phase,
        ruleset.Version,
        Handlers.Utc(ruleset.LastUpdated),
        withRules ? [.. ruleset.Rules.Select(rule => ToDto(rule, ruleset))] : null);

    private static RuleDto ToDto(ScenarioRule rule, ScenarioRuleset ruleset)
    {
        // action_parameters as the scenario writes them (skip parameters, overrides with categories and rules), with the
        // execute shorthands (id, whole-ruleset enabled override) merged in.
        var parameters = rule.ActionParameters?.DeepClone().AsObject();
        if (rule.ExecuteRulesetId is { } executeId)
        {
            parameters ??= [];
            parameters["id"] = executeId;
            parameters["version"] ??= "latest";
            if (rule.OverridesEnabled is { } enabled)
            {
                if (parameters["overrides"] is not JsonObject overrides)
                {
                    overrides = [];
                    parameters["overrides"] = overrides;
                }

                overrides["enabled"] = enabled;
            }
        }

        if (rule.SetConfigSsl is { } ssl)
        {
            parameters ??= [];
            parameters["ssl"] = ssl;
        }

        return new RuleDto(rule.Id, "1", rule.Action, rule.Expression, rule.Description, Handlers.Utc(ruleset.LastUpdated), rule.Id, rule.Enabled, parameters,
            rule.Categories.Count > 0 ? rule.Categories : null);
    }
}
