namespace Vigil.Core.Inventory;

/// <summary>
/// One DNS record of a zone as Cloudflare lists it (GET /zones/{zone_id}/dns_records). Names are fully qualified,
/// in Punycode, without a trailing dot, e.g. "www.shop.example".
/// </summary>
/// <param name="Type">"A", "AAAA", "CNAME", "MX", "TXT", "CAA", "NS", "SRV", ...</param>
/// <param name="Content">The record's value as Cloudflare gives it: an address, a target name, TXT text (possibly in quotes), or a CAA record's rendering.</param>
/// <param name="Proxied">Whether traffic to the name goes through Cloudflare (orange cloud); null when Cloudflare did not say (types that cannot be proxied).</param>
/// <param name="Ttl">Time to live in seconds; 1 means automatic.</param>
/// <param name="Priority">MX (and URI) priority; null for other types.</param>
/// <param name="Caa">For CAA records, the structured data Cloudflare gives (flags, tag, value); null for other types or when not sent.</param>
/// <param name="Proxiable">Whether Cloudflare can proxy the record; null when not reported.</param>
public sealed record DnsRecord(
    string Id,
    string ZoneId,
    string Type,
    string Name,
    string Content,
    bool? Proxied,
    int Ttl,
    int? Priority = null,
    CaaData? Caa = null,
    bool? Proxiable = null)
{
    public bool IsType(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a wildcard record such as "*.shop.example".</summary>
    public bool IsWildcard => Name.StartsWith("*.", StringComparison.Ordinal) || Name == "*";
}

/// <summary>The parts of a CAA record (RFC 8659) as Cloudflare's <c>data</c> object gives them.</summary>
/// <param name="Flags">0 or 128 (issuer critical); null when not sent.</param>
/// <param name="Tag">"issue", "issuewild", "iodef", ...</param>
/// <param name="Value">For issue and issuewild, the CA's domain optionally followed by ";" and parameters, e.g. "letsencrypt.org".</param>
public sealed record CaaData(int? Flags, string Tag, string Value);
