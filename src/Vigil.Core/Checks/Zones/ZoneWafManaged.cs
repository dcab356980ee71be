using System.Text.RegularExpressions;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Core.Checks.Zones;

/// <summary>
/// A managed WAF ruleset that protects against attacks is enforced on all of the zone's traffic: deployed by an enabled
/// execute rule (zone or account level) that covers all traffic, not disabled or set to log by its overrides, and not
/// switched off by a skip rule placed before it or by a custom rule that skips the managed phase or the waf product.
/// </summary>
internal sealed partial class ZoneWafManaged : ICheck
{
    /// <summary>The <see cref="ReadGap.ResourceType"/> the sync records when an account's rulesets cannot be read.</summary>
    public const string AccountRulesetGap = "account_ruleset";

    private static readonly ZoneRead Read = new("ruleset", $"the {RulesetPhases.ManagedWaf} entrypoint", "Zone WAF Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-waf-managed",
        Title: "Zone enforces a managed WAF ruleset on all its traffic",
        Severity: Severity.High,
        Asserts: "Each active zone runs the Cloudflare Managed Ruleset or the OWASP Core Ruleset (on the Free plan also the Free Managed Ruleset) " +
                 "through an enabled execute rule of its own or its account's http_request_firewall_managed entrypoint whose expression covers all traffic, " +
                 "whose overrides neither disable it, set it to log only nor turn most of its rules off, and that no skip rule switches off " +
                 "(a skip placed before it in that entrypoint, or a custom rule skipping the managed phase or the waf product). The legacy waf setting does not count.",
        Remediation: "Deploy the Cloudflare Managed Ruleset in the Cloudflare dashboard under Security > WAF > Managed rules, for all incoming requests, and remove skip rules and overrides that switch it off.",
        Frameworks: [Soc2.CC6_6, Soc2.CC6_8, Soc2.CC7_1, Iso27001.A8_20, Iso27001.A8_26, Iso27001.A8_9, PciDss.R6_4_1, PciDss.R6_4_2],
        Needs: DataNeeds.Zones | DataNeeds.Rulesets | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) =>
        ZoneScope.Evaluate(context, Read, (zone, security) => Judge(context, zone, security));

    /// <summary>One execute rule that deploys a ruleset for this zone, with what keeps it from protecting all traffic.</summary>
    private sealed record Deployment(string Level, RulesetRule Rule, List<string> Problems, List<string> Notes);

    private static Finding Judge(EvaluationContext context, Zone zone, ZoneSecurity security)
    {
        if (!security.Entrypoints.TryGetValue(RulesetPhases.ManagedWaf, out var zoneManaged))
        {
            return ZoneScope.Unreadable(context, zone, Read);
        }
        var customRead = security.Entrypoints.TryGetValue(RulesetPhases.CustomFirewall, out var zoneCustom);
        var account = context.Snapshot.AccountRulesets?.FirstOrDefault(a => a.AccountId == zone.AccountId);
        var accountGap = context.Snapshot.Gaps.FirstOrDefault(g => g.Stage == "infra" && g.ResourceType == AccountRulesetGap && g.ResourceId == zone.AccountId);
        PhaseEntrypoint? accountManaged = null;
        PhaseEntrypoint? accountCustom = null;
        if (account is not null)
        {
            account.Entrypoints.TryGetValue(RulesetPhases.ManagedWaf, out accountManaged);
            account.Entrypoints.TryGetValue(RulesetPhases.CustomFirewall, out accountCustom);
        }

        // Custom rules run before managed rules; a skip of the managed phase or of the waf product switches every deployment off.
        var switchedOff = new List<string>();
        var skippedFor = new List<string>();
        foreach (var (level, entrypoint) in new[] { ("account-level custom rule", accountCustom), ("custom rule", zoneCustom) })
        {
            foreach (var rule in entrypoint?.Rules ?? [])
            {
                if (!rule.Enabled || rule.Action != "skip" || rule.Skip is not { } skip
                    || !(skip.Phases.Contains(RulesetPhases.ManagedWaf, StringComparer.Ordinal) || skip.Products.Contains("waf", StringComparer.OrdinalIgnoreCase)))
                {
                    continue;
                }
                var (applies, scope) = Scope(rule.Expression, zone, accountLevel: level.StartsWith("account", StringComparison.Ordinal));
                if (!applies)
                {
                    continue;
                }
                if (scope is null)
                {
                    switchedOff.Add($"{level} {rule.Id} in the {RulesetPhases.CustomFirewall} entrypoint skips the managed rules for all traffic");
                }
                else
                {
                    skippedFor.Add(scope);
                }
            }
        }

        var deployments = new List<Deployment>();
        deployments.AddRange(Deployments(context, zone, "account-level", accountManaged, accountLevel: true));
        deployments.AddRange(Deployments(context, zone, "zone-level", zoneManaged, accountLevel: false));

        var legacy = security.LegacyWaf switch
        {
            null => "the legacy waf setting was not reported",
            var on when string.Equals(on, "on", StringComparison.OrdinalIgnoreCase) => "the legacy waf setting is on, but Cloudflare has deprecated the legacy WAF and it no longer counts",
            var other => $"the legacy waf setting is {other}",
        };
        // Built only for a finding that needs it: most zones pass.
        string Remediation() => $"Deploy the Cloudflare Managed Ruleset for all incoming requests: Cloudflare dashboard > {zone.Name} > Security > WAF > Managed rules > Deploy; " +
                          "enable the deployment, remove overrides that disable it or set it to log, and remove skip rules that switch it off.";

        if (switchedOff.Count > 0)
        {
            var deployed = deployments.Count == 0 ? "" : $" ({string.Join("; ", deployments.Select(Describe))})";
            return zone.Fail($"zone {zone.Name}: {string.Join("; ", switchedOff)}{deployed}", Remediation());
        }

        var effective = deployments.FirstOrDefault(d => d.Problems.Count == 0);
        if (effective is not null)
        {
            var notes = skippedFor.Select(s => $"managed rules skipped for {s}").Concat(effective.Notes).ToList();
            if (account is null && accountGap is not null)
            {
                notes.Add($"account-level rulesets could not be read ({Findings.Describe(accountGap)})");
            }
            if (string.Equals(security.LegacyWaf, "on", StringComparison.OrdinalIgnoreCase))
            {
                notes.Add("the deprecated legacy waf setting is also on");
            }
            var reason = $"zone {zone.Name} deploys {ManagedRulesets.Describe(effective.Rule.ExecutesRulesetId)} through rule {effective.Rule.Id} of its {effective.Level} {RulesetPhases.ManagedWaf} entrypoint"
                + (notes.Count > 0 ? $"; {string.Join("; ", notes)}" : "");
            if (!customRead)
            {
                var gap = context.Snapshot.Gaps.FirstOrDefault(g => g.Stage == "infra" && g.ResourceType == Read.GapResourceType && g.ResourceId == zone.Id);
                return zone.Unknown($"{reason}, but its {RulesetPhases.CustomFirewall} entrypoint (custom rules) was not read, so a skip rule there could switch it off" +
                    (gap is null ? "" : $": {Findings.Describe(gap)}"), Findings.Remediation(gap));
            }
            return zone.Pass(reason);
        }

        // Account-level WAF deployments are an Enterprise feature: only an Enterprise zone (or one whose plan is unknown)
        // could be protected by the rulesets that could not be read.
        var couldUseAccountLevel = zone.PlanLegacyId is null || string.Equals(zone.PlanLegacyId, "enterprise", StringComparison.OrdinalIgnoreCase);
        if (deployments.Count == 0 && account is null && accountGap is not null && couldUseAccountLevel)
        {
            return zone.Unknown($"zone {zone.Name} deploys no managed ruleset of its own, and its account's rulesets (where Enterprise deploys the WAF for many zones) could not be read: {Findings.Describe(accountGap)}",
                Findings.Remediation(accountGap));
        }

        if (deployments.Count == 0 && zoneManaged is null && string.Equals(zone.PlanLegacyId, "free", StringComparison.OrdinalIgnoreCase))
        {
            return zone.Skip($"zone {zone.Name} is on the Free plan and has no {RulesetPhases.ManagedWaf} entrypoint: Cloudflare runs the Free Managed Ruleset on Free zones by default " +
                             "without a rule in the API, so Vigil cannot see whether it is on (deploy it explicitly under Security > WAF > Managed rules to have it judged)");
        }

        var why = deployments.Count > 0
            ? $"has no managed ruleset that protects all its traffic ({string.Join("; ", deployments.Select(Describe))})"
            : zoneManaged is null
                ? $"has no {RulesetPhases.ManagedWaf} entrypoint"
                : $"has no execute rule in its {RulesetPhases.ManagedWaf} entrypoint";
        return zone.Fail($"zone {zone.Name} {why}, and {legacy}", Remediation());
    }

    private static string Describe(Deployment d) =>
        $"{d.Level} rule {d.Rule.Id} deploys {ManagedRulesets.Describe(d.Rule.ExecutesRulesetId)}"
        + (d.Problems.Count > 0 ? $" but {string.Join(", and ", d.Problems)}" : "");

    /// <summary>The execute rules of one entrypoint that apply to the zone, each judged with the skip rules placed before it.</summary>
    private static IEnumerable<Deployment> Deployments(EvaluationContext context, Zone zone, string level, PhaseEntrypoint? entrypoint, bool accountLevel)
    {
        var skipsBefore = new List<RulesetRule>();
        foreach (var rule in entrypoint?.Rules ?? [])
        {
            if (rule.Action == "skip" && rule.Enabled && rule.Skip is not null)
            {
                skipsBefore.Add(rule);
                continue;
            }
            if (rule.Action != "execute")
            {
                continue;
            }
            var (applies, scope) = Scope(rule.Expression, zone, accountLevel);
            if (!applies)
            {
                continue;
            }
            var problems = new List<string>();
            var notes = new List<string>();
            if (!rule.Enabled)
            {
                problems.Add("is disabled");
            }
            if (!ManagedRulesets.ProtectsAgainstAttacks(rule.ExecutesRulesetId, zone.PlanLegacyId))
            {
                problems.Add(rule.ExecutesRulesetId switch
                {
                    ManagedRulesets.ExposedCredentialsCheck => "the Exposed Credentials Check only flags logins with leaked credentials; it does not protect against attacks",
                    ManagedRulesets.FreeManaged => "the Free Managed Ruleset counts only on the Free plan; paid plans get the Cloudflare Managed Ruleset",
                    _ => "it is not one of Cloudflare's attack-signature rulesets (Cloudflare Managed, OWASP Core)",
                });
            }
            var overrides = rule.Overrides;
            if (rule.OverridesDisableRuleset || overrides?.Enabled == false)
            {
                problems.Add("has overrides that disable its ruleset");
            }
            if (string.Equals(overrides?.Action, "log", StringComparison.Ordinal))
            {
                problems.Add("runs it in log-only mode (its overrides set the action to log)");
            }
            if (overrides is not null && WhatIsOff(overrides) is { } off)
            {
                if (rule.Coverage is { Rules: > 0 } coverage)
                {
                    var text = $"{coverage.TurnedOff} of its {coverage.Rules} rules are off ({off})";
                    (coverage.TurnedOff * 2 > coverage.Rules ? problems : notes).Add(text);
                }
                else
                {
                    notes.Add($"its overrides turn off {off}");
                }
            }
            if (scope is not null)
            {
                (context.Options.AcceptScopedWafDeployments ? notes : problems).Add($"is scoped to {scope}");
            }
            foreach (var skip in skipsBefore)
            {
                var parameters = skip.Skip!;
                var skipsIt = parameters.CurrentRuleset
                    || (rule.ExecutesRulesetId is { } id && parameters.Rulesets.Contains(id, StringComparer.Ordinal));
                var skipsSomeRules = rule.ExecutesRulesetId is { } rid && parameters.Rules.TryGetValue(rid, out var skippedRules) ? skippedRules : null;
                if (!skipsIt && skipsSomeRules is null)
                {
                    continue;
                }
                var (skipApplies, skipScope) = Scope(skip.Expression, zone, accountLevel);
                if (!skipApplies)
                {
                    continue;
                }
                if (skipsIt)
                {
                    (skipScope is null ? problems : notes).Add(skipScope is null
                        ? $"skip rule {skip.Id}, placed before it, switches it off for all traffic"
                        : $"managed rules skipped for {skipScope}");
                }
                else
                {
                    notes.Add($"{skipsSomeRules!.Count} of its rules skipped{(skipScope is null ? "" : $" for {skipScope}")} by skip rule {skip.Id}");
                }
            }
            yield return new Deployment(level, rule, problems, notes);
        }
    }

    /// <summary>"categories sqli, xss disabled; rules r1 set to log", or null when the overrides turn nothing off.</summary>
    private static string? WhatIsOff(RuleOverrides overrides)
    {
        var parts = new List<string>();
        void Add(string kind, IReadOnlyList<OverrideTarget> targets)
        {
            var disabled = targets.Where(t => t.Enabled == false).Select(t => t.Target).ToList();
            var logged = targets.Where(t => t.Enabled != false && string.Equals(t.Action, "log", StringComparison.Ordinal)).Select(t => t.Target).ToList();
            if (disabled.Count > 0)
            {
                parts.Add($"{kind} {string.Join(", ", disabled)} disabled");
            }
            if (logged.Count > 0)
            {
                parts.Add($"{kind} {string.Join(", ", logged)} set to log");
            }
        }
        Add("categories", overrides.Categories);
        Add("rules", overrides.Rules);
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>
    /// Whether a rule applies to the zone and, if only to part of its traffic, to which part (null: all of it).
    /// Account-level rules select zones with cf.zone.name / cf.zone.plan clauses joined by "and"; those clauses decide
    /// whether the rule applies and are not a narrowing of the zone's traffic.
    /// </summary>
    internal static (bool Applies, string? Scope) Scope(string? expression, Zone zone, bool accountLevel)
    {
        if (expression is null || IsAlwaysTrue(expression))
        {
            return (true, null);
        }
        if (!accountLevel)
        {
            return (true, expression.Trim());
        }
        var rest = new List<string>();
        foreach (var part in SplitAnd(Unwrap(expression)))
        {
            switch (SelectsZone(part, zone))
            {
                case false:
                    return (false, null);
                case null when !IsAlwaysTrue(part):
                    rest.Add(part);
                    break;
            }
        }
        return (true, rest.Count == 0 ? null : string.Join(" and ", rest));
    }

    private static bool IsAlwaysTrue(string expression) =>
        Unwrap(expression) is var e && (string.Equals(e, "true", StringComparison.Ordinal) || string.Equals(e, "not false", StringComparison.Ordinal));

    /// <summary>The expression without surrounding whitespace and enclosing parentheses.</summary>
    private static string Unwrap(string expression)
    {
        var e = expression.Trim();
        while (e.Length >= 2 && e[0] == '(' && e[^1] == ')' && ClosingParen(e) == e.Length - 1)
        {
            e = e[1..^1].Trim();
        }
        return e;
    }

    private static int ClosingParen(string e)
    {
        var depth = 0;
        var quoted = false;
        for (var i = 0; i < e.Length; i++)
        {
            var c = e[i];
            if (c == '"' && (i == 0 || e[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')' && --depth == 0)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The expression's top-level "and" operands (outside quotes, parentheses and braces); one part when it has none.</summary>
    private static List<string> SplitAnd(string e)
    {
        var parts = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < e.Length; i++)
        {
            var c = e[i];
            if (c == '"' && (i == 0 || e[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '(' or '{')
            {
                depth++;
            }
            else if (!quoted && c is ')' or '}')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && (IsWord(e, i, " and ") || IsWord(e, i, " && ")))
            {
                parts.Add(Unwrap(e[start..i]));
                start = i + 5;
                i += 4;
            }
        }
        parts.Add(Unwrap(e[start..]));
        if (parts.Count > 1 && parts.Any(p => p.Contains(" or ", StringComparison.OrdinalIgnoreCase) && ClosingParen(p) < 0))
        {
            return [e]; // mixed and/or without parentheses: too ambiguous to take apart
        }
        return parts;
    }

    private static bool IsWord(string e, int i, string word) => string.Compare(e, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>True or false for a clause that selects zones by name or plan; null for any other clause.</summary>
    private static bool? SelectsZone(string clause, Zone zone)
    {
        if (ZoneNameEquals().Match(clause) is { Success: true } eq)
        {
            return string.Equals(eq.Groups[1].Value, zone.Name, StringComparison.OrdinalIgnoreCase);
        }
        if (ZoneNameIn().Match(clause) is { Success: true } set)
        {
            return Quoted().Matches(set.Groups[1].Value).Any(m => string.Equals(m.Groups[1].Value, zone.Name, StringComparison.OrdinalIgnoreCase));
        }
        if (ZonePlanEquals().Match(clause) is { Success: true } plan)
        {
            var legacy = plan.Groups[1].Value.ToUpperInvariant() switch
            {
                "ENT" => "enterprise",
                "BIZ" => "business",
                "PRO" => "pro",
                "FREE" => "free",
                var other => other.ToLowerInvariant(),
            };
            return string.Equals(legacy, zone.PlanLegacyId, StringComparison.OrdinalIgnoreCase);
        }
        return null;
    }

    [GeneratedRegex("""^cf\.zone\.name\s*(?:eq|==)\s*"([^"]*)"$""", RegexOptions.IgnoreCase)]
    private static partial Regex ZoneNameEquals();

    [GeneratedRegex("""^cf\.zone\.name\s+in\s*\{([^}]*)\}$""", RegexOptions.IgnoreCase)]
    private static partial Regex ZoneNameIn();

    [GeneratedRegex("""^cf\.zone\.plan\s*(?:eq|==)\s*"([^"]*)"$""", RegexOptions.IgnoreCase)]
    private static partial Regex ZonePlanEquals();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Quoted();
}
