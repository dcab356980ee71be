namespace Vigil.Simulation;

/// <summary>Cloudflare API-token permission-group names the simulator checks.</summary>
public static class PermissionGroups
{
    public const string AccountSettingsRead = "Account Settings Read";
    public const string ZoneRead = "Zone Read";
    public const string ZoneSettingsRead = "Zone Settings Read";
    public const string DnsRead = "DNS Read";
    public const string FirewallServicesRead = "Firewall Services Read";
    public const string ZoneWafRead = "Zone WAF Read";
    public const string UserDetailsRead = "User Details Read";
    /// <summary>GET /accounts/{id}/sso_connectors ("Get all SSO connectors", Accepted Permissions).</summary>
    public const string SsoConnectorRead = "SSO Connector Read";
    public const string AccountWafRead = "Account WAF Read";
    public const string AccountRulesetsRead = "Account Rulesets Read";
    public const string PageRulesRead = "Page Rules Read";
    public const string SslAndCertificatesRead = "SSL and Certificates Read";
    /// <summary>GET /accounts/{id}/tokens ("List Tokens" of Accounts, Accepted Permissions: Account API Tokens Read or Write).</summary>
    public const string AccountApiTokensRead = "Account API Tokens Read";

    /// <summary>GET /zones/{id}/bot_management ("Get Zone Bot Management Config", Accepted Permissions).</summary>
    public const string BotManagementRead = "Bot Management Read";
    /// <summary>Zone and account Logpush jobs ("List Logpush jobs", Accepted Permissions).</summary>
    public const string LogsRead = "Logs Read";

    /// <summary>
    /// DELETE and PUT /accounts/{id}/members/{member_id} ("Remove Member", "Update Member": Accepted Permissions SCIM
    /// Provisioning or Account Settings Write). Never in <see cref="AllRead"/>: read tokens cannot change members.
    /// </summary>
    public const string AccountSettingsWrite = "Account Settings Write";
    public const string ScimProvisioning = "SCIM Provisioning";

    /// <summary>Every read group an endpoint of the simulator needs.</summary>
    public static IReadOnlyList<string> AllRead { get; } =
        [AccountSettingsRead, ZoneRead, ZoneSettingsRead, DnsRead, FirewallServicesRead, ZoneWafRead, UserDetailsRead, SsoConnectorRead, AccountWafRead, SslAndCertificatesRead,
         AccountApiTokensRead, BotManagementRead, LogsRead];

    /// <summary>True when a granted group satisfies a needed one: same name, or the "Write" twin of a "Read" group.</summary>
    internal static bool Satisfies(string granted, string needed)
    {
        if (string.Equals(granted, needed, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        const string read = " Read";
        const string write = " Write";
        return needed.EndsWith(read, StringComparison.OrdinalIgnoreCase)
            && granted.EndsWith(write, StringComparison.OrdinalIgnoreCase)
            && string.Equals(granted[..^write.Length], needed[..^read.Length], StringComparison.OrdinalIgnoreCase);
    }
}
