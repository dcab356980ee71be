namespace Vigil.Cloudflare;

/// <summary>Names of the Cloudflare API-token permission groups each read needs, as the dashboard shows them.</summary>
public static class CloudflarePermissions
{
    public const string AccountSettingsRead = "Account Settings Read";
    public const string ZoneRead = "Zone Read";
    public const string ZoneSettingsRead = "Zone Settings Read";
    public const string DnsRead = "DNS Read";
    public const string FirewallServicesRead = "Firewall Services Read";
    /// <summary>GET /accounts/{id}/sso_connectors (Cloudflare API reference, "Get all SSO connectors": Accepted Permissions).</summary>
    public const string SsoConnectorRead = "SSO Connector Read";
    /// <summary>Account-level rulesets of the WAF phases (developers.cloudflare.com/waf/account/managed-rulesets/deploy-api).</summary>
    public const string AccountWafRead = "Account WAF Read";
    /// <summary>
    /// Per-hostname TLS settings (GET /zones/{zone_id}/hostnames/settings/{setting_id}), Universal SSL and origin pull
    /// settings, and certificate packs (GET /zones/{zone_id}/ssl/certificate_packs, "List Certificate Packs": Accepted
    /// Permissions SSL and Certificates Read or Write); Cloudflare's API reference lists the SSL and Certificates groups.
    /// </summary>
    public const string SslAndCertificatesRead = "SSL and Certificates Read";
    /// <summary>GET /accounts/{account_id}/tokens (Cloudflare API reference, "List Tokens" of Accounts: Accepted Permissions Account API Tokens Read or Write).</summary>
    public const string AccountApiTokensRead = "Account API Tokens Read";
    /// <summary>GET /zones/{zone_id}/bot_management (Cloudflare API reference, "Get Zone Bot Management Config": Accepted Permissions).</summary>
    public const string BotManagementRead = "Bot Management Read";
    /// <summary>GET /zones/{zone_id}/logpush/jobs and GET /accounts/{account_id}/logpush/jobs ("List Logpush jobs": Accepted Permissions).</summary>
    public const string LogsRead = "Logs Read";

    /// <summary>
    /// DELETE and PUT /accounts/{account_id}/members/{member_id} (Cloudflare API reference, "Remove Member" and "Update
    /// Member": Accepted Permissions SCIM Provisioning or Account Settings Write). Only a remediate credential holds it.
    /// </summary>
    public const string AccountSettingsWrite = "Account Settings Write";
}
