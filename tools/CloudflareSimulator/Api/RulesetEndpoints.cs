using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Simulation;

/// <summary>
/// The Rulesets API at zone and account level: the cursor-paged list (entrypoints, custom rulesets and the managed
/// rulesets available, all without rules), phase entrypoints and rulesets by id (managed ones with their rules and
/// category tags). Shapes: Cloudflare's OpenAPI <c>rulesets_Ruleset</c>/<c>rulesets_RulesetResponse</c>, the TS SDK's
/// <c>rulesets/rulesets.ts</c> (<c>CursorPagination</c>) and developers.cloudflare.com/ruleset-engine/rulesets-api/.
/// </summary>
internal sealed class RulesetEndpoints(SimulatorState state)
{
    private static readonly string[] ZoneGroups = [PermissionGroups.FirewallServicesRead, PermissionGroups.ZoneWafRead];
    private static readonly string[] AccountGroups = [PermissionGroups.AccountWafRead, PermissionGroups.AccountRulesetsRead];

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapSimulatorRoute("/zones/{zone_id}/rulesets/{ruleset_id}", GetZoneRulesetAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/rulesets", ListAccountRulesetsAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/rulesets/phases/{phase}/entrypoint", GetAccountEntrypointAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/rulesets/{ruleset_id}", GetAccountRulesetAsync);
    }

    /// <summary>The zone list: its own rulesets, then the managed rulesets it may deploy.</summary>
    internal static Task ListAsync(HttpContext context, IEnumerable<ScenarioRuleset> own)
    {
        var ownList = own.ToList();
        var all = ownList.Concat(ManagedRulesetCatalogue.All.Where(m => ownList.All(o => o.Id != m.Id)))
            .Select(r => ZoneEndpoints.ToDto(r, withRules: false)).ToArray();
        var query = context.Request.Query;
        var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? Math.Min(pp, 1000) : 50;
        var start = 0;
        var cursor = query["cursor"].ToString();
        if (cursor.Length > 0 && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start > all.Length))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("cursor is not valid"));
        }

        var page = all.Skip(start).Take(perPage).ToArray();
        var next = start + page.Length < all.Length ? (start + page.Length).ToString(CultureInfo.InvariantCulture) : null;
        return Envelope.WriteSuccessWithCursorAsync(context, page, ApiJsonContext.Default.IReadOnlyListRulesetDto, next, perPage);
    }

    private Task GetZoneRulesetAsync(HttpContext context)
    {
        var id = context.Route("zone_id");
        if (!Handlers.IsIdentifier(id) || !state.ZonesById.TryGetValue(id, out var zone))
        {
            return context.FailAsync(Handlers.IsIdentifier(id) ? ApiErrors.UnknownObject(context.ApiPath()) : ApiErrors.InvalidIdentifier(context.ApiPath()));
        }

        if (!context.Caller().GrantsAny(ZoneGroups, zone.Account.Id, zone.Zone.Id))
        {
            return context.FailAsync(ApiErrors.AuthenticationError);
        }

        return WriteRulesetAsync(context, zone.Zone.Rulesets);
    }

    private Task ListAccountRulesetsAsync(HttpContext context) =>
        TryFindAccount(context, out var account, out var failure) ? ListAsync(context, account.Rulesets) : context.FailAsync(failure);

    private Task GetAccountEntrypointAsync(HttpContext context)
    {
        if (!TryFindAccount(context, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        var phase = context.Route("phase");
        var entrypoint = account.Rulesets.FirstOrDefault(r => r.Kind == "root" && string.Equals(r.Phase, phase, StringComparison.Ordinal));
        return entrypoint is null
            ? context.FailAsync(ApiErrors.NoEntrypoint(phase))
            : Envelope.WriteSuccessAsync(context, ZoneEndpoints.ToDto(entrypoint, withRules: true), ApiJsonContext.Default.RulesetDto);
    }

    private Task GetAccountRulesetAsync(HttpContext context) =>
        TryFindAccount(context, out var account, out var failure) ? WriteRulesetAsync(context, account.Rulesets) : context.FailAsync(failure);

    private static Task WriteRulesetAsync(HttpContext context, IEnumerable<ScenarioRuleset> own)
    {
        var rulesetId = context.Route("ruleset_id");
        // A scenario may list a managed ruleset without its rules; the catalogue has them.
        var ruleset = own.Where(r => r.Kind != "managed").Concat(ManagedRulesetCatalogue.All).Concat(own)
            .FirstOrDefault(r => string.Equals(r.Id, rulesetId, StringComparison.Ordinal));
        return ruleset is null
            ? context.FailAsync(ApiErrors.UnknownObject(context.ApiPath()))
            : Envelope.WriteSuccessAsync(context, ZoneEndpoints.ToDto(ruleset, withRules: true), ApiJsonContext.Default.RulesetDto);
    }

    private bool TryFindAccount(HttpContext context, out ScenarioAccount account, [NotNullWhen(false)] out ApiFailure? failure) =>
        state.TryFindAccount(context, AccountGroups, out account, out failure);
}

/// <summary>
/// Cloudflare's WAF managed rulesets with their published ids (developers.cloudflare.com/waf/managed-rules/), each
/// with a small sample of rules tagged by category as managed rulesets carry them
/// (developers.cloudflare.com/ruleset-engine/managed-rulesets/: rules have id, action, categories, enabled).
/// </summary>
internal static class ManagedRulesetCatalogue
{
    public const string CloudflareManaged = "efb7b8c949ac4650a09736fc376e9aee";
    public const string OwaspCore = "4814384a9e5d4991b9815dcfc25d2f1f";
    public const string ExposedCredentials = "c2e184081120413c86c3ab7e14069605";
    public const string FreeManaged = "77454fe2d30c4220b5701f6fdfb893ba";

    public static IReadOnlyList<ScenarioRuleset> All { get; } =
    [
        Managed(CloudflareManaged, "Cloudflare Managed Ruleset", "Created by the Cloudflare security team, this ruleset is designed to provide fast and effective protection for all your applications.",
            ("wordpress", "block"), ("wordpress", "block"), ("drupal", "block"), ("joomla", "block"), ("sqli", "block"), ("sqli", "block"),
            ("xss", "block"), ("xss", "block"), ("rce", "block"), ("php", "block")),
        Managed(OwaspCore, "Cloudflare OWASP Core Ruleset", "Cloudflare's implementation of the Open Web Application Security Project (OWASP) ModSecurity Core Rule Set.",
            ("paranoia-level-1", "score"), ("paranoia-level-1", "score"), ("paranoia-level-2", "score"), ("paranoia-level-3", "score"), ("owasp-anomaly", "block")),
        Managed(ExposedCredentials, "Cloudflare Exposed Credentials Check Ruleset", "Exposed credentials check rules.",
            ("wordpress", "rewrite"), ("joomla", "rewrite")),
        Managed(FreeManaged, "Cloudflare Free Managed Ruleset", "Free Cloudflare Managed Ruleset for all plans.",
            ("log4j", "block"), ("rce", "block"), ("wordpress", "block")),
    ];

    private static ScenarioRuleset Managed(string id, string name, string description, params (string Category, string Action)[] rules) => new()
    {
        Id = id,
        Name = name,
        Description = description,
        Kind = "managed",
        Phase = "http_request_firewall_managed",
        Version = "84",
        Rules = [.. rules.Select((r, i) => new ScenarioRule
        {
            Id = $"{id[..24]}{i:x8}",
            Action = r.Action,
            Description = $"{name} rule {i + 1}",
            Categories = [r.Category],
        })],
    };
}
