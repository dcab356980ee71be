using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>The zone limits which certificate authorities may issue for it, and the list lets Cloudflare's CA renew its edge certificates.</summary>
internal sealed class DnsCaa : ICheck
{
    /// <summary>
    /// The CAA issuer domains of the CAs Cloudflare uses for edge certificates (Universal, Advanced, Total TLS, SSL for
    /// SaaS, backup): developers.cloudflare.com/ssl/reference/certificate-authorities/ (Let's Encrypt, Google Trust
    /// Services, SSL.com, Sectigo for backup certificates, DigiCert being retired) and /ssl/edge-certificates/caa-records/.
    /// </summary>
    internal static readonly IReadOnlyList<(string Issuer, string Ca)> CloudflareCas =
    [
        ("letsencrypt.org", "Let's Encrypt"),
        ("pki.goog", "Google Trust Services"),
        ("ssl.com", "SSL.com"),
        ("sectigo.com", "Sectigo"),
        ("comodoca.com", "Sectigo"),
        ("digicert.com", "DigiCert"),
    ];

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.dns-caa",
        Title: "Zone has CAA records that allow Cloudflare's certificate authority",
        Severity: Severity.Low,
        Asserts: "Each active zone whose DNS Cloudflare serves has CAA records at its apex (RFC 8659) naming the certificate authority Cloudflare uses for the zone's edge certificates, so no other CA may issue for the domain and Cloudflare can still renew. Vigil does not read which CA issues a zone's certificates (certificate packs), so any of Cloudflare's CAs counts: letsencrypt.org, pki.goog, ssl.com, sectigo.com/comodoca.com or digicert.com. Partial and secondary zones are skipped.",
        Remediation: "Add CAA records at the zone apex, e.g. 0 issue \"letsencrypt.org\" and 0 issue \"pki.goog\", plus any CA you use yourself, in Cloudflare dashboard > DNS > Records.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_21, Iso27001.A8_24, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.DnsRecords);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => DnsScope.Evaluate(context, (zone, records) => [Judge(zone, records)]);

    private static Finding Judge(Zone zone, IReadOnlyList<DnsRecord> records)
    {
        var caa = DnsScope.AtApex(zone, records).Where(r => r.IsType("CAA")).Select(Parse).OfType<CaaData>().ToList();
        var fix = $"In {DnsScope.Dashboard(zone)}, add CAA records at {zone.Name}: 0 issue \"letsencrypt.org\", 0 issue \"pki.goog\" and 0 issue \"ssl.com\" (the CAs Cloudflare issues Universal SSL from), plus any CA you use yourself.";
        if (caa.Count == 0)
        {
            return zone.Fail($"zone {zone.Name} has no CAA record at its apex: any certificate authority may issue certificates for it", fix);
        }
        var issuers = caa.Where(c => c.Tag.Equals("issue", StringComparison.OrdinalIgnoreCase) || c.Tag.Equals("issuewild", StringComparison.OrdinalIgnoreCase))
            .Select(c => Issuer(c.Value)).Where(i => i.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var named = CloudflareCas.Where(ca => issuers.Contains(ca.Issuer, StringComparer.OrdinalIgnoreCase)).Select(ca => ca.Issuer).ToList();
        const string unknownCa = "Vigil does not know which CA issues this zone's edge certificates, so any of Cloudflare's CAs counts";
        if (named.Count > 0)
        {
            return zone.Pass($"zone {zone.Name} has CAA records allowing {string.Join(", ", named)}; {unknownCa}");
        }
        var listed = issuers.Count == 0 ? "no issuer (only iodef or issue \";\")" : string.Join(", ", issuers);
        return zone.Fail($"zone {zone.Name} has CAA records naming {listed} but none of Cloudflare's CAs (letsencrypt.org, pki.goog, ssl.com, sectigo.com, digicert.com): Cloudflare may be unable to renew its edge certificates; {unknownCa}", fix);
    }

    /// <summary>The CAA parts from Cloudflare's data object, or parsed from the content ("0 issue \"letsencrypt.org\"") when data was not sent.</summary>
    private static CaaData? Parse(DnsRecord record)
    {
        if (record.Caa is { } data)
        {
            return data;
        }
        var parts = record.Content.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 && int.TryParse(parts[0], out var flags) ? new CaaData(flags, parts[1], parts[2].Trim().Trim('"')) : null;
    }

    /// <summary>The issuer domain of an issue value: "digicert.com; cansignhttpexchanges=yes" is "digicert.com".</summary>
    private static string Issuer(string value) => value.Trim().Trim('"').Split(';')[0].Trim().TrimEnd('.').ToLowerInvariant();
}
