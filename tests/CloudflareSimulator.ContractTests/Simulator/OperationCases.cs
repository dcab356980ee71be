using static Vigil.Simulation.ContractTests.Simulator.ContractScenario;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>One request to the simulator, the document operation it belongs to and the status it must answer.</summary>
internal sealed record OperationCase(string PathTemplate, string PathAndQuery, int ExpectedStatus, Credential Credential, FaultRule? Fault = null)
{
    private static readonly (string Id, string Shown)[] ShownIds =
    [
        (AccountId, "{account}"), (SecondAccountId, "{second_account}"),
        (AcceptedMemberId, "{accepted_member}"), (PendingMemberId, "{pending_member}"), (PolicyMemberId, "{policy_member}"),
        (ActiveZoneId, "{active_zone}"), (PendingZoneId, "{pending_zone}"), (SecondAccountZoneId, "{paused_zone}"),
        (UnknownId, "{unknown_id}"),
    ];

    /// <summary>The test-case name: the request with ids shown by role, the credential unless it is the read-all token, the status.</summary>
    public string Name
    {
        get
        {
            var shown = ShownIds.Aggregate(PathAndQuery, (path, id) => path.Replace(id.Id, id.Shown, StringComparison.Ordinal));
            var credential = Credential == OperationCases.ReadAll ? "" : $" [{Credential}]";
            var fault = Fault is null ? "" : $" [{Fault.Kind} injected]";
            return $"GET {shown}{credential}{fault} → {ExpectedStatus}";
        }
    }

    public override string ToString() => Name;
}

/// <summary>Every GET the simulator serves that Cloudflare's document describes, with its success and error answers.</summary>
internal static class OperationCases
{
    public static readonly Credential ReadAll = new BearerToken("read-all token", ReadAllToken);
    private static readonly Credential Account = new BearerToken("account-owned token", AccountToken);
    private static readonly Credential NoAccountSettings = new BearerToken("token without Account Settings Read", NoAccountSettingsToken);
    private static readonly Credential NoZoneRead = new BearerToken("token without Zone Read", NoZoneReadToken);
    private static readonly Credential NoDnsRead = new BearerToken("token without DNS Read", NoDnsReadToken);
    private static readonly Credential Expired = new BearerToken("expired token", ExpiredToken);
    private static readonly Credential NoAccountTokensRead = new BearerToken("token without Account API Tokens Read", NoAccountTokensReadToken);
    private static readonly Credential Unknown = new BearerToken("unknown token", "cfut_contract0not0a0token000000000000000000000");
    private static readonly Credential GlobalKey = new GlobalApiKey("Global API Key", OwnerEmail, OwnerGlobalKey);
    private static readonly Credential NoSslRead = new BearerToken("token without SSL and Certificates Read", NoSslReadToken);

    /// <summary>Setting ids Vigil reads one by one (NOTES.md, Zone security configuration).</summary>
    public static readonly string[] SettingIds =
    [
        "ssl", "min_tls_version", "always_use_https", "security_header", "security_level", "waf", "tls_1_3",
        "automatic_https_rewrites", "browser_check", "opportunistic_encryption", "development_mode", "email_obfuscation",
    ];

    public static IReadOnlyList<OperationCase> All { get; } = Build();

    public static OperationCase ByName(string name) => All.Single(c => c.Name == name);

    private static List<OperationCase> Build()
    {
        const string verify = "/user/tokens/verify";
        const string members = "/accounts/{account_id}/members";
        const string zone = "/zones/{zone_id}";
        const string entrypoint = "/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint";
        const string firewallRules = "/zones/{zone_identifier}/firewall/rules";

        List<OperationCase> cases =
        [
            new(verify, verify, 200, ReadAll),
            new(verify, verify, 200, Expired),
            new(verify, verify, 401, Unknown),
            new(verify, verify, 400, GlobalKey),
            new("/accounts/{account_id}/tokens/verify", $"/accounts/{AccountId}/tokens/verify", 200, Account),

            new("/user", "/user", 200, ReadAll),
            new("/user", "/user", 200, GlobalKey),

            new("/accounts", "/accounts", 200, ReadAll),
            new("/accounts", "/accounts?page=1&per_page=5&direction=desc", 200, ReadAll),
            new("/accounts", "/accounts?page=2&per_page=5", 200, ReadAll),
            new("/accounts", "/accounts?page=3", 200, Account),
            new("/accounts/{account_id}", $"/accounts/{AccountId}", 200, ReadAll),
            new("/accounts/{account_id}", $"/accounts/{AccountId}", 200, GlobalKey),
            new("/accounts/{account_id}", $"/accounts/{AccountId}", 403, NoAccountSettings),

            new(members, $"/accounts/{AccountId}/members", 200, ReadAll),
            new(members, $"/accounts/{AccountId}/members", 200, Account),
            new(members, $"/accounts/{AccountId}/members?status=pending", 200, ReadAll),
            new(members, $"/accounts/{AccountId}/members?status=accepted&order=user.email&direction=desc", 200, ReadAll),
            new(members, $"/accounts/{AccountId}/members?page=2&per_page=5", 200, ReadAll),
            new(members, $"/accounts/{SecondAccountId}/members", 200, ReadAll),
            new(members, $"/accounts/{AccountId}/members?status=invited", 400, ReadAll),
            new(members, $"/accounts/{AccountId}/members", 403, NoAccountSettings),
            new(members, $"/accounts/{AccountId}/members", 429, ReadAll, FaultRule.Next(1, FaultKind.RateLimited, "/members$")),
            new("/accounts/{account_id}/members/{member_id}", $"/accounts/{AccountId}/members/{AcceptedMemberId}", 200, ReadAll),
            new("/accounts/{account_id}/members/{member_id}", $"/accounts/{AccountId}/members/{PendingMemberId}", 200, ReadAll),
            new("/accounts/{account_id}/members/{member_id}", $"/accounts/{AccountId}/members/{PolicyMemberId}", 200, ReadAll),
            new("/accounts/{account_id}/members/{member_id}", $"/accounts/{AccountId}/members/{UnknownId}", 404, ReadAll),
            new("/accounts/{account_id}/members/{member_id}", $"/accounts/{AccountId}/members/not-an-id", 400, ReadAll),
            new("/accounts/{account_id}/roles", $"/accounts/{AccountId}/roles", 200, ReadAll),
            new("/accounts/{account_id}/roles", $"/accounts/{AccountId}/roles?page=1&per_page=5", 200, ReadAll),
            new("/accounts/{account_id}/roles", $"/accounts/{AccountId}/roles", 403, NoAccountSettings),

            new("/zones", "/zones", 200, ReadAll),
            new("/zones", "/zones", 200, Account),
            new("/zones", "/zones", 200, GlobalKey),
            new("/zones", $"/zones?account.id={AccountId}", 200, ReadAll),
            new("/zones", "/zones?status=pending", 200, ReadAll),
            new("/zones", $"/zones?name={ActiveZoneName}", 200, ReadAll),
            new("/zones", "/zones?page=9&per_page=50", 200, ReadAll),
            new("/zones", "/zones?status=deleted", 400, ReadAll),
            new("/zones", "/zones", 403, NoZoneRead),
            new("/zones", "/zones", 429, ReadAll, FaultRule.Next(1, FaultKind.RateLimited, "^/zones$")),
            new(zone, $"/zones/{ActiveZoneId}", 200, ReadAll),
            new(zone, $"/zones/{PendingZoneId}", 200, ReadAll),
            new(zone, $"/zones/{SecondAccountZoneId}", 200, ReadAll),
            new(zone, $"/zones/{UnknownId}", 404, ReadAll),
            new(zone, $"/zones/{ActiveZoneId}", 403, NoZoneRead),
            new("/zones/{zone_id}/settings", $"/zones/{ActiveZoneId}/settings", 200, ReadAll),
            new("/zones/{zone_id}/settings", $"/zones/{PendingZoneId}/settings", 200, ReadAll),
        ];

        cases.AddRange(SettingIds.Select(id => new OperationCase("/zones/{zone_id}/settings/{setting_id}", $"/zones/{ActiveZoneId}/settings/{id}", 200, ReadAll)));
        cases.AddRange(
        [
            new("/zones/{zone_id}/settings/{setting_id}", $"/zones/{PendingZoneId}/settings/security_header", 200, ReadAll),
            new("/zones/{zone_id}/settings/{setting_id}", $"/zones/{ActiveZoneId}/settings/no_such_setting", 404, ReadAll),
            new("/zones/{zone_id}/dnssec", $"/zones/{ActiveZoneId}/dnssec", 200, ReadAll),
            new("/zones/{zone_id}/dnssec", $"/zones/{PendingZoneId}/dnssec", 200, ReadAll),
            new("/zones/{zone_id}/dnssec", $"/zones/{SecondAccountZoneId}/dnssec", 200, ReadAll),
            new("/zones/{zone_id}/rulesets", $"/zones/{ActiveZoneId}/rulesets", 200, ReadAll),
            new("/zones/{zone_id}/rulesets", $"/zones/{PendingZoneId}/rulesets", 200, ReadAll),
            new(entrypoint, $"/zones/{ActiveZoneId}/rulesets/phases/http_request_firewall_managed/entrypoint", 200, ReadAll),
            new(entrypoint, $"/zones/{ActiveZoneId}/rulesets/phases/http_request_firewall_custom/entrypoint", 200, ReadAll),
            new(entrypoint, $"/zones/{ActiveZoneId}/rulesets/phases/http_ratelimit/entrypoint", 404, ReadAll),
            new(entrypoint, $"/zones/{PendingZoneId}/rulesets/phases/http_request_firewall_managed/entrypoint", 404, ReadAll),
            new(entrypoint, $"/zones/{ActiveZoneId}/rulesets/phases/http_config_settings/entrypoint", 200, ReadAll),
            new("/zones/{zone_id}/rulesets", $"/zones/{ActiveZoneId}/rulesets?per_page=2", 200, ReadAll),
            new("/zones/{zone_id}/rulesets", $"/zones/{ActiveZoneId}/rulesets?per_page=2&cursor=2", 200, ReadAll),
            new("/zones/{zone_id}/rulesets/{ruleset_id}", $"/zones/{ActiveZoneId}/rulesets/efb7b8c949ac4650a09736fc376e9aee", 200, ReadAll),
            new("/zones/{zone_id}/rulesets/{ruleset_id}", $"/zones/{ActiveZoneId}/rulesets/90a1b2c3d4e5f60718293a4b5c6d7e8f", 200, ReadAll),
            new("/zones/{zone_id}/rulesets/{ruleset_id}", $"/zones/{ActiveZoneId}/rulesets/{UnknownId}", 404, ReadAll),
            new("/accounts/{account_id}/rulesets", $"/accounts/{AccountId}/rulesets", 200, ReadAll),
            new("/accounts/{account_id}/rulesets", $"/accounts/{SecondAccountId}/rulesets", 200, ReadAll),
            new("/accounts/{account_id}/rulesets", $"/accounts/{AccountId}/rulesets", 403, Unknown),
            new("/accounts/{account_id}/rulesets/phases/{ruleset_phase}/entrypoint", $"/accounts/{AccountId}/rulesets/phases/http_request_firewall_managed/entrypoint", 200, ReadAll),
            new("/accounts/{account_id}/rulesets/phases/{ruleset_phase}/entrypoint", $"/accounts/{AccountId}/rulesets/phases/http_request_firewall_custom/entrypoint", 200, ReadAll),
            new("/accounts/{account_id}/rulesets/phases/{ruleset_phase}/entrypoint", $"/accounts/{SecondAccountId}/rulesets/phases/http_request_firewall_managed/entrypoint", 404, ReadAll),
            new("/accounts/{account_id}/rulesets/{ruleset_id}", $"/accounts/{AccountId}/rulesets/4814384a9e5d4991b9815dcfc25d2f1f", 200, ReadAll),
            new("/accounts/{account_id}/rulesets/{ruleset_id}", $"/accounts/{AccountId}/rulesets/73a1b2c3d4e5f60718293a4b5c6d7e8f", 200, ReadAll),
            new("/accounts/{account_id}/rulesets/{ruleset_id}", $"/accounts/{AccountId}/rulesets/{UnknownId}", 404, ReadAll),
            new(firewallRules, $"/zones/{ActiveZoneId}/firewall/rules", 200, ReadAll),
            new(firewallRules, $"/zones/{PendingZoneId}/firewall/rules", 200, ReadAll),
            new("/zones/{zone_id}/pagerules", $"/zones/{ActiveZoneId}/pagerules", 200, ReadAll),
            new("/zones/{zone_id}/pagerules", $"/zones/{PendingZoneId}/pagerules", 200, ReadAll),
            new("/zones/{zone_id}/pagerules", $"/zones/{ActiveZoneId}/pagerules", 403, NoZoneRead),
            new("/zones/{zone_id}/pagerules", $"/zones/{UnknownId}/pagerules", 404, ReadAll),
            new("/zones/{zone_id}/hostnames/settings/{setting_id}", $"/zones/{ActiveZoneId}/hostnames/settings/min_tls_version", 200, ReadAll),
            new("/zones/{zone_id}/hostnames/settings/{setting_id}", $"/zones/{ActiveZoneId}/hostnames/settings/ciphers", 200, ReadAll),
            new("/zones/{zone_id}/hostnames/settings/{setting_id}", $"/zones/{ActiveZoneId}/hostnames/settings/no_such_setting", 404, ReadAll),
            new("/accounts/{account_id}/tokens", $"/accounts/{AccountId}/tokens", 200, ReadAll),
            new("/accounts/{account_id}/tokens", $"/accounts/{AccountId}/tokens?page=2&per_page=5", 200, ReadAll),
            new("/accounts/{account_id}/tokens", $"/accounts/{SecondAccountId}/tokens", 200, ReadAll),
            new("/accounts/{account_id}/tokens", $"/accounts/{AccountId}/tokens", 403, NoAccountTokensRead),
            new("/accounts/{account_id}/tokens", $"/accounts/{UnknownId}/tokens", 404, ReadAll),
            new("/zones/{zone_id}/dns_records", $"/zones/{ActiveZoneId}/dns_records", 200, ReadAll),
            new("/zones/{zone_id}/dns_records", $"/zones/{ActiveZoneId}/dns_records?page=2&per_page=5", 200, ReadAll),
            new("/zones/{zone_id}/dns_records", $"/zones/{ActiveZoneId}/dns_records?page=1&per_page=5000", 200, ReadAll),
            new("/zones/{zone_id}/dns_records", $"/zones/{PendingZoneId}/dns_records", 200, ReadAll),
            new("/zones/{zone_id}/dns_records", $"/zones/{ActiveZoneId}/dns_records", 403, NoDnsRead),
            new("/zones/{zone_id}/dns_records", $"/zones/{UnknownId}/dns_records", 404, ReadAll),
            new("/zones/{zone_id}/dns_records", $"/zones/{ActiveZoneId}/dns_records?page=0", 400, ReadAll),
            new("/zones/{zone_id}/ssl/universal/settings", $"/zones/{ActiveZoneId}/ssl/universal/settings", 200, ReadAll),
            new("/zones/{zone_id}/ssl/universal/settings", $"/zones/{PendingZoneId}/ssl/universal/settings", 200, ReadAll),
            new("/zones/{zone_id}/ssl/universal/settings", $"/zones/{ActiveZoneId}/ssl/universal/settings", 403, NoSslRead),
            new("/zones/{zone_id}/ssl/universal/settings", $"/zones/{UnknownId}/ssl/universal/settings", 404, ReadAll),
            new("/zones/{zone_id}/origin_tls_client_auth/settings", $"/zones/{ActiveZoneId}/origin_tls_client_auth/settings", 200, ReadAll),
            new("/zones/{zone_id}/origin_tls_client_auth/settings", $"/zones/{SecondAccountZoneId}/origin_tls_client_auth/settings", 200, ReadAll),
            new("/zones/{zone_id}/origin_tls_client_auth/settings", $"/zones/{ActiveZoneId}/origin_tls_client_auth/settings", 403, NoSslRead),
            new("/zones/{zone_id}/origin_tls_client_auth/settings", $"/zones/{UnknownId}/origin_tls_client_auth/settings", 404, ReadAll),
            new("/zones/{zone_id}/ssl/certificate_packs", $"/zones/{ActiveZoneId}/ssl/certificate_packs", 200, ReadAll),
            new("/zones/{zone_id}/ssl/certificate_packs", $"/zones/{ActiveZoneId}/ssl/certificate_packs?page=2&per_page=5", 200, ReadAll),
            new("/zones/{zone_id}/ssl/certificate_packs", $"/zones/{ActiveZoneId}/ssl/certificate_packs?status=all&per_page=50", 200, ReadAll),
            new("/zones/{zone_id}/ssl/certificate_packs", $"/zones/{PendingZoneId}/ssl/certificate_packs", 200, ReadAll),
            new("/zones/{zone_id}/ssl/certificate_packs", $"/zones/{ActiveZoneId}/ssl/certificate_packs", 403, NoSslRead),
            new("/zones/{zone_id}/ssl/certificate_packs", $"/zones/{UnknownId}/ssl/certificate_packs", 404, ReadAll),
            new("/zones/{zone_id}/ssl/certificate_packs", $"/zones/{ActiveZoneId}/ssl/certificate_packs?page=0", 400, ReadAll),
            // 200 answers: BotManagementShapeContractTests (the document's result oneOf has four open alternatives, so it rejects every object).
            new("/zones/{zone_id}/bot_management", $"/zones/{UnknownId}/bot_management", 404, ReadAll),
            // The legacy account audit log (page-based, with oldValue/newValue); the v2 log is not in the document: AuditLogShapeContractTests.
            new("/accounts/{account_id}/audit_logs", $"/accounts/{AccountId}/audit_logs", 200, ReadAll),
            new("/accounts/{account_id}/audit_logs", $"/accounts/{AccountId}/audit_logs?per_page=1000&direction=asc&since=2020-01-01", 200, ReadAll),
            new("/accounts/{account_id}/audit_logs", $"/accounts/{AccountId}/audit_logs", 403, NoAccountSettings),
        ]);
        return cases;
    }
}
