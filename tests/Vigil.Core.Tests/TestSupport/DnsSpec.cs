using Vigil.Core.Inventory;

namespace Vigil.Core.Tests.TestSupport;

/// <summary>A DNS record for <see cref="SnapshotBuilder.DnsZone"/>, its name relative to the zone ("@" for the apex).</summary>
internal sealed record DnsSpec(string Type, string Name, string Content, bool? Proxied = null, int? Priority = null, CaaData? CaaParts = null, bool? Proxiable = null)
{
    public DnsRecord ToRecord(string id, string zoneId, string zoneName) =>
        new(id, zoneId, Type, Name == "@" ? zoneName : Name.EndsWith("." + zoneName, StringComparison.Ordinal) ? Name : $"{Name}.{zoneName}",
            Content, Proxied ?? (Type is "A" or "AAAA" or "CNAME" ? false : null), 1, Priority, CaaParts, Proxiable);

    public static DnsSpec A(string name, string ip, bool proxied = true) => new("A", name, ip, proxied);
    public static DnsSpec Aaaa(string name, string ip, bool proxied = true) => new("AAAA", name, ip, proxied);
    public static DnsSpec Cname(string name, string target, bool proxied = true) => new("CNAME", name, target, proxied);
    public static DnsSpec Mx(string name, string target, int priority = 10) => new("MX", name, target, Priority: priority);
    public static DnsSpec Txt(string name, string text) => new("TXT", name, text);
    public static DnsSpec Caa(string name, string tag, string value, int flags = 0) => new("CAA", name, $"{flags} {tag} \"{value}\"", CaaParts: new CaaData(flags, tag, value));

    /// <summary>The records of a zone that passes every DNS check: mail with SPF -all and DMARC reject, CAA for Let's Encrypt, proxied web records.</summary>
    public static IReadOnlyList<DnsSpec> Compliant(string zoneName) =>
    [
        A("@", "203.0.113.10"),
        Cname("www", zoneName),
        Mx("@", "mail." + zoneName),
        A("mail", "203.0.113.25", proxied: false),
        Txt("@", "\"v=spf1 mx -all\""),
        Txt("_dmarc", "\"v=DMARC1; p=reject; rua=mailto:dmarc@" + zoneName + "\""),
        Caa("@", "issue", "letsencrypt.org"),
    ];
}
