namespace Vigil.Cloudflare;

/// <summary>Names of the Cloudflare API-token permission groups each read needs, as the dashboard shows them.</summary>
public static class CloudflarePermissions
{
    public const string AccountSettingsRead = "Account Settings Read";
    public const string ZoneRead = "Zone Read";
    public const string ZoneSettingsRead = "Zone Settings Read";
    public const string DnsRead = "DNS Read";
    public const string FirewallServicesRead = "Firewall Services Read";
    /// <summary>Per-hostname TLS settings (GET /zones/{zone_id}/hostnames/settings/{setting_id}); Cloudflare's API reference lists the SSL and Certificates groups.</summary>
    public const string SslAndCertificatesRead = "SSL and Certificates Read";
}
