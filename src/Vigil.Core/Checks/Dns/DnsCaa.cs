using Vigil.Core.Checks.Zones;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>The zone limits which certificate authorities may issue for it, and the list allows the CA Cloudflare uses for the zone's edge certificates.</summary>
internal sealed class DnsCaa : ICheck
{
    /// <summary>
    /// The CAs Cloudflare uses for edge certificates (Universal, Advanced, Total TLS, SSL for SaaS, backup:
    /// developers.cloudflare.com/ssl/reference/certificate-authorities/ and /ssl/edge-certificates/caa-records/): a certificate
    /// pack's <c>certificate_authority</c> as Cloudflare's API spells it, the CAA issuer domains that allow it (any one of
    /// them does: Sectigo issues as sectigo.com and, formerly, comodoca.com) and the CA's name. DigiCert is being retired.
    /// </summary>
    private static readonly (string PackCa, string[] Issuers, string Name)[] Cas =
    [
        ("lets_encrypt", ["letsencrypt.org"], "Let's Encrypt"),
        ("google", ["pki.goog"], "Google Trust Services"),
        ("ssl_com", ["ssl.com"], "SSL.com"),
        ("sectigo", ["sectigo.com", "comodoca.com"], "Sectigo"),
        ("digicert", ["digicert.com"], "DigiCert"),
    ];

    /// <summary>A pack's <c>certificate_authority</c> to its CAA issuer domains and name (<see cref="Cas"/>).</summary>
    internal static readonly IReadOnlyDictionary<string, (string[] Issuers, string Name)> PackCas =
        Cas.ToDictionary(c => c.PackCa, c => (c.Issuers, c.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>Every CAA issuer domain of Cloudflare's CAs, in <see cref="Cas"/>' order.</summary>
    private static readonly IReadOnlyList<string> CloudflareIssuers = [.. Cas.SelectMany(c => c.Issuers)];

    /// <summary>The certificate pack read (gap resource type "certificate_packs").</summary>
    internal static readonly ZoneRead PacksRead = new("certificate_packs", "the certificate packs", "SSL and Certificates Read");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.dns-caa",
        Title: "Zone has CAA records that allow the certificate authority of its Cloudflare edge certificates",
        Severity: Severity.Low,
        Asserts: "Each active zone whose DNS Cloudflare serves has CAA records at its apex (RFC 8659) whose issue/issuewild values name the CA of every certificate pack Cloudflare lists for the zone (GET /zones/{id}/ssl/certificate_packs: lets_encrypt as letsencrypt.org, google as pki.goog, ssl_com as ssl.com, digicert as digicert.com, sectigo as sectigo.com or comodoca.com), so no other CA may issue for the domain and the zone's own policy allows what Cloudflare issues from. When the packs could not be read, CAA records naming none of Cloudflare's CAs still fail, and records naming one are unknown (the CA in use is not known). Partial and secondary zones are skipped.",
        Remediation: "See the CA of each certificate in Cloudflare dashboard > SSL/TLS > Edge Certificates, then add CAA records at the zone apex naming it (e.g. 0 issue \"pki.goog\" for Google Trust Services, 0 issue \"letsencrypt.org\" for Let's Encrypt), plus any CA you use yourself, in DNS > Records.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_21, Iso27001.A8_24, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.DnsRecords | DataNeeds.CertificatePacks);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context) => DnsScope.Evaluate(context, (zone, records) => [Judge(context, zone, records)]);

    /// <summary>
    /// Cloudflare's documented behaviour (developers.cloudflare.com/ssl/edge-certificates/caa-records/): when a zone with
    /// Universal SSL or advanced certificates has CAA records, Cloudflare adds CAA records for the CAs it needs, which
    /// neither the dashboard nor the API shows. Issuance may go on, but the policy the zone's owners manage and review
    /// does not say so.
    /// </summary>
    private const string HiddenRecords = "Cloudflare documents that it adds CAA records for its CAs that the dashboard and the API do not show, so issuance may go on, but the zone's own CAA policy does not allow it";

    private static Finding Judge(EvaluationContext context, Zone zone, IReadOnlyList<DnsRecord> records)
    {
        // Loops rather than queries: every zone is judged.
        var caa = new List<CaaData>();
        foreach (var record in records)
        {
            if (record.IsType("CAA") && DnsScope.SameName(record.Name, zone.Name) && Parse(record) is { } data)
            {
                caa.Add(data);
            }
        }
        List<CertificatePack>? inUse = null;
        if (zone.Security?.Features?.CertificatePacks is { } packs)
        {
            inUse = new List<CertificatePack>(packs.Count);
            foreach (var pack in packs)
            {
                if (pack.IsInUse && pack.CertificateAuthority is { Length: > 0 })
                {
                    inUse.Add(pack);
                }
            }
        }
        if (caa.Count == 0)
        {
            var needed = inUse is { Count: > 0 } ? NeededRecords(zone, inUse, issuewild: false) : null;
            var fix = needed is { Length: > 0 }
                ? $"In {DnsScope.Dashboard(zone)}, add CAA records at {zone.Name}: {needed}, plus any CA you use yourself."
                : $"In {DnsScope.Dashboard(zone)}, add CAA records at {zone.Name} naming the CA shown for each certificate in Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates (e.g. 0 issue \"letsencrypt.org\", 0 issue \"pki.goog\", 0 issue \"ssl.com\"), plus any CA you use yourself.";
            return zone.Fail($"zone {zone.Name} has no CAA record at its apex: any certificate authority may issue certificates for it", fix);
        }
        var issuers = new List<string>(caa.Count);
        var hasIssuewild = false;
        foreach (var record in caa)
        {
            var issuewild = record.Tag.Equals("issuewild", StringComparison.OrdinalIgnoreCase);
            hasIssuewild |= issuewild;
            if ((issuewild || record.Tag.Equals("issue", StringComparison.OrdinalIgnoreCase)) && Issuer(record.Value) is { Length: > 0 } issuer
                && !issuers.Contains(issuer, StringComparer.OrdinalIgnoreCase))
            {
                issuers.Add(issuer);
            }
        }
        var listed = issuers.Count == 0 ? "no issuer (only iodef or issue \";\")" : string.Join(", ", issuers);
        return inUse is null
            ? JudgeWithoutPacks(context, zone, issuers, listed)
            : JudgeAgainstPacks(zone, inUse, issuers, listed, hasIssuewild);
    }

    /// <summary>The packs were read: every CA they use must be named.</summary>
    private static Finding JudgeAgainstPacks(Zone zone, List<CertificatePack> inUse, List<string> issuers, string listed, bool hasIssuewild)
    {
        if (inUse.Count == 0)
        {
            return zone.Pass($"zone {zone.Name} has CAA records naming {listed}; Cloudflare lists no certificate pack with a certificate authority for it, so no Cloudflare CA needs to be allowed");
        }
        var byCa = ByCa(inUse);
        var missing = new List<(string Ca, string Types)>();
        var unmapped = new List<(string Ca, string Types)>();
        foreach (var c in byCa)
        {
            if (!PackCas.TryGetValue(c.Ca, out var known))
            {
                unmapped.Add(c);
            }
            else if (!Names(issuers, known.Issuers))
            {
                missing.Add(c);
            }
        }
        if (missing.Count > 0)
        {
            var what = string.Join("; ", missing.Select(c => $"{PackCas[c.Ca].Issuers[0]} ({PackCas[c.Ca].Name}, CA of its {c.Types} certificate pack{(c.Types.Contains(',', StringComparison.Ordinal) ? "s" : "")})"));
            var missingPacks = inUse.Where(p => missing.Any(m => m.Ca.Equals(p.CertificateAuthority, StringComparison.OrdinalIgnoreCase))).ToList();
            return zone.Fail(
                $"zone {zone.Name} has CAA records naming {listed} but not {what}: {HiddenRecords}",
                $"In {DnsScope.Dashboard(zone)}, add CAA records at {zone.Name}: {NeededRecords(zone, missingPacks, hasIssuewild)} (Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates shows each certificate's CA).");
        }
        if (unmapped.Count > 0)
        {
            var what = string.Join("; ", unmapped.Select(c => $"\"{c.Ca}\" ({c.Types})"));
            return zone.Unknown(
                $"zone {zone.Name} has CAA records naming {listed}, but its certificate packs use certificate authority {what}, which Vigil cannot match to a CAA issuer domain",
                $"Look up the CA's CAA issuer domain in Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates and developers.cloudflare.com/ssl/reference/certificate-authorities/, and make sure the CAA records at {zone.Name} name it.");
        }
        var allowed = string.Join("; ", byCa.Select(c => $"{PackCas[c.Ca].Issuers.First(i => issuers.Contains(i, StringComparer.OrdinalIgnoreCase))} ({PackCas[c.Ca].Name}, {c.Types})"));
        return zone.Pass($"zone {zone.Name} has CAA records allowing the CA of every certificate pack Cloudflare lists for it: {allowed}");
    }

    /// <summary>The packs' CAs as Cloudflare spells them (lower case, in order), each with the pack types that use it ("advanced, universal").</summary>
    private static List<(string Ca, string Types)> ByCa(List<CertificatePack> inUse)
    {
        // Loops rather than a grouping query: a zone has a pack or two, and every zone is judged.
        var groups = new List<(string Ca, List<string> Types)>(inUse.Count);
        foreach (var pack in inUse)
        {
            var ca = pack.CertificateAuthority!.ToLowerInvariant();
            var group = groups.FindIndex(g => g.Ca == ca);
            if (group < 0)
            {
                groups.Add((ca, [pack.Type]));
            }
            else if (!groups[group].Types.Contains(pack.Type, StringComparer.OrdinalIgnoreCase))
            {
                groups[group].Types.Add(pack.Type);
            }
        }
        groups.Sort((a, b) => string.CompareOrdinal(a.Ca, b.Ca));
        var byCa = new List<(string Ca, string Types)>(groups.Count);
        foreach (var (ca, types) in groups)
        {
            types.Sort(StringComparer.Ordinal);
            byCa.Add((ca, types.Count == 1 ? types[0] : string.Join(", ", types)));
        }
        return byCa;
    }

    /// <summary>True when the CAA issuers name any of the CA's issuer domains.</summary>
    private static bool Names(List<string> issuers, string[] caIssuers)
    {
        foreach (var issuer in caIssuers)
        {
            if (issuers.Contains(issuer, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The packs were not read (a refused read, or a snapshot from before Vigil read them): CAA records naming none of
    /// Cloudflare's CAs fail whatever CA is in use; records naming one cannot be confirmed, so the zone is unknown.
    /// </summary>
    private static Finding JudgeWithoutPacks(EvaluationContext context, Zone zone, List<string> issuers, string listed)
    {
        var gap = ZoneScope.GapOf(context, zone, PacksRead.GapResourceType);
        var why = gap is null
            ? "its certificate packs were not read (GET /zones/{id}/ssl/certificate_packs)"
            : $"its certificate packs could not be read: {Findings.Describe(gap)}";
        var permissionFix = gap is null
            ? $"Check that the API token has the '{PacksRead.Permission}' permission for {zone.Name}, then run `vigil sync`."
            : Findings.Remediation(gap);
        var named = CloudflareIssuers.Where(issuer => issuers.Contains(issuer, StringComparer.OrdinalIgnoreCase)).ToList();
        if (named.Count > 0)
        {
            return zone.Unknown(
                $"zone {zone.Name} has CAA records allowing {string.Join(", ", named)}, but which CA Cloudflare uses for its edge certificates is not known: {why}",
                permissionFix);
        }
        return zone.Fail(
            $"zone {zone.Name} has CAA records naming {listed} but none of Cloudflare's CAs (letsencrypt.org, pki.goog, ssl.com, sectigo.com, digicert.com), so none can be the CA of its edge certificates ({why})",
            $"See the CA of each certificate in Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates, then in {DnsScope.Dashboard(zone)} add a CAA record at {zone.Name} naming it (e.g. 0 issue \"pki.goog\" or 0 issue \"letsencrypt.org\"), plus any CA you use yourself. {permissionFix}");
    }

    /// <summary>The exact records that allow the packs' CAs: 0 issue "…" each, and 0 issuewild "…" too when the zone has issuewild records (which then govern wildcard certificates, as Universal SSL's).</summary>
    private static string NeededRecords(Zone zone, IEnumerable<CertificatePack> packs, bool issuewild) =>
        string.Join(", ", packs.Select(p => p.CertificateAuthority!.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(ca => PackCas.TryGetValue(ca, out var known) ? known.Issuers[0] : null).OfType<string>()
            .SelectMany(issuer => issuewild
                ? new[] { $"{zone.Name} CAA 0 issue \"{issuer}\"", $"{zone.Name} CAA 0 issuewild \"{issuer}\"" }
                : [$"{zone.Name} CAA 0 issue \"{issuer}\""]));

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
    private static string Issuer(string value)
    {
        var issuer = value.AsSpan().Trim().Trim('"');
        if (issuer.IndexOf(';') is >= 0 and var semicolon)
        {
            issuer = issuer[..semicolon];
        }
        issuer = issuer.Trim().TrimEnd('.');
        if (issuer.Length > 256)
        {
            return issuer.ToString().ToLowerInvariant();
        }
        Span<char> lower = stackalloc char[issuer.Length];
        issuer.ToLowerInvariant(lower);
        return new string(lower);
    }
}
