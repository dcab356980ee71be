using Vigil.Core.Checks;
using Vigil.Core.Checks.Dns;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.DnsSpec;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Dns;

public sealed class DnsCaaTests
{
    private readonly DnsCaa _check = new();

    private static CertificatePack Pack(string type, string? ca, string status = "active") => new($"pack-{type}-{ca}", type, status, ca, []);

    /// <summary>The zone's certificate packs as the sync read them (null: not read).</summary>
    private static Func<ZoneSecurity, ZoneSecurity> Packs(params CertificatePack[]? packs) =>
        s => s with { Features = (s.Features ?? new ZoneFeatures()) with { CertificatePacks = packs } };

    [Fact]
    public void Passes_when_caa_names_the_ca_of_every_certificate_pack()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", Compliant("shop.example")).Build()))
            .ShouldPass("shop.example", containing: "allowing the CA of every certificate pack Cloudflare lists for it: letsencrypt.org (Let's Encrypt, universal)");
    }

    [Fact]
    public void Passes_with_a_ca_per_pack_type_and_sectigo_as_comodoca()
    {
        var records = new[] { Caa("@", "issue", "pki.goog"), Caa("@", "issuewild", "comodoca.com") };
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", records, configure: Packs(Pack("universal", "google"), Pack("advanced", "sectigo"))).Build()))
            .ShouldPass("shop.example", containing: "pki.goog (Google Trust Services, universal); comodoca.com (Sectigo, advanced)");
    }

    [Fact]
    public void Reads_caa_from_content_when_data_is_absent_and_ignores_parameters()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [new DnsSpec("CAA", "@", "0 issue \"pki.goog; cansignhttpexchanges=yes\"")],
                configure: Packs(Pack("universal", "google"))).Build()))
            .ShouldPass("shop.example", containing: "pki.goog");
    }

    [Fact]
    public void Fails_naming_the_missing_ca_and_the_pack_types_that_use_it()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("@", "issue", "letsencrypt.org")],
                configure: Packs(Pack("universal", "google"), Pack("advanced", "lets_encrypt"), Pack("total_tls", "GOOGLE"))).Build()))
            .ShouldFail("shop.example", containing: "naming letsencrypt.org but not pki.goog (Google Trust Services, CA of its total_tls, universal certificate packs)");

        Assert.Contains("Cloudflare documents that it adds CAA records for its CAs that the dashboard and the API do not show", finding.Reason);
        Assert.Contains("shop.example CAA 0 issue \"pki.goog\"", finding.Remediation);
        Assert.DoesNotContain("issuewild", finding.Remediation);
        Assert.Contains("SSL/TLS > Edge Certificates", finding.Remediation);
        Assert.Contains("DNS > Records", finding.Remediation);
    }

    [Fact]
    public void Asks_for_issuewild_too_when_the_zone_has_issuewild_records()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("@", "issue", "letsencrypt.org"), Caa("@", "issuewild", "letsencrypt.org")],
                configure: Packs(Pack("universal", "ssl_com"))).Build()))
            .ShouldFail("shop.example", containing: "not ssl.com (SSL.com, CA of its universal certificate pack)");

        Assert.Contains("shop.example CAA 0 issue \"ssl.com\", shop.example CAA 0 issuewild \"ssl.com\"", finding.Remediation);
    }

    [Fact]
    public void Fails_without_caa_naming_the_records_for_the_packs_cas()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [A("@", "203.0.113.1")], configure: Packs(Pack("universal", "google"))).Build()))
            .ShouldFail("shop.example", containing: "no CAA record at its apex");

        Assert.Contains("shop.example CAA 0 issue \"pki.goog\"", finding.Remediation);
    }

    [Fact]
    public void Fails_when_caa_names_only_other_cas()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("@", "issue", "entrust.net"), Caa("@", "iodef", "mailto:sec@shop.example")]).Build()))
            .ShouldFail("shop.example", containing: "naming entrust.net but not letsencrypt.org (Let's Encrypt, CA of its universal certificate pack)");
    }

    [Fact]
    public void Ignores_packs_no_longer_in_use_and_packs_without_a_ca()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("@", "issue", "pki.goog")],
                configure: Packs(Pack("universal", "google"), Pack("advanced", "lets_encrypt", status: "expired"), Pack("sni_custom", null))).Build()))
            .ShouldPass("shop.example", containing: "pki.goog (Google Trust Services, universal)");
    }

    [Fact]
    public void Passes_when_cloudflare_lists_no_pack_with_a_ca()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("@", "issue", "entrust.net")], configure: Packs()).Build()))
            .ShouldPass("shop.example", containing: "Cloudflare lists no certificate pack with a certificate authority for it");
    }

    [Fact]
    public void Is_unknown_when_a_pack_uses_a_ca_vigil_cannot_match()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("@", "issue", "letsencrypt.org")],
                configure: Packs(Pack("universal", "lets_encrypt"), Pack("advanced", "acme_ca"))).Build()))
            .ShouldBeUnknown("shop.example", containing: "certificate authority \"acme_ca\" (advanced), which Vigil cannot match to a CAA issuer domain");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_packs_could_not_be_read_and_caa_names_a_cloudflare_ca()
    {
        var snapshot = new SnapshotBuilder().DnsZone("shop.example", Compliant("shop.example"), id: "z-1", configure: Packs(null))
            .Gap("infra", "certificate_packs", "z-1", missingPermission: "SSL and Certificates Read", what: "GET /zones/z-1/ssl/certificate_packs").Build();

        var finding = _check.Run(Context(snapshot))
            .ShouldBeUnknown("shop.example", containing: "has CAA records allowing letsencrypt.org, but which CA Cloudflare uses for its edge certificates is not known: its certificate packs could not be read: GET /zones/z-1/ssl/certificate_packs failed (403 Forbidden)");
        Assert.Contains("'SSL and Certificates Read'", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_the_packs_were_never_read_and_caa_names_a_cloudflare_ca()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", Compliant("shop.example"), configure: Packs(null)).Build()))
            .ShouldBeUnknown("shop.example", containing: "its certificate packs were not read");
    }

    [Fact]
    public void Still_fails_without_packs_when_caa_names_none_of_cloudflares_cas()
    {
        var snapshot = new SnapshotBuilder().DnsZone("shop.example", [Caa("@", "issue", "entrust.net")], id: "z-1", configure: Packs(null))
            .Gap("infra", "certificate_packs", "z-1", missingPermission: "SSL and Certificates Read", what: "GET /zones/z-1/ssl/certificate_packs").Build();

        var finding = _check.Run(Context(snapshot))
            .ShouldFail("shop.example", containing: "naming entrust.net but none of Cloudflare's CAs (letsencrypt.org, pki.goog, ssl.com, sectigo.com, digicert.com), so none can be the CA of its edge certificates (its certificate packs could not be read");
        Assert.Contains("'SSL and Certificates Read'", finding.Remediation);
    }

    [Fact]
    public void Fails_without_caa_even_when_the_packs_were_not_read()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [A("@", "203.0.113.1")], configure: Packs(null)).Build()))
            .ShouldFail("shop.example", containing: "no CAA record at its apex");
    }

    [Fact]
    public void Ignores_caa_on_subdomains()
    {
        _check.Run(Context(new SnapshotBuilder().DnsZone("shop.example", [Caa("www", "issue", "letsencrypt.org")]).Build()))
            .ShouldFail("shop.example", containing: "no CAA record at its apex");
    }

    [Fact]
    public void Is_unknown_naming_dns_read_when_the_records_could_not_be_read() => DnsTestCases.Is_unknown_naming_dns_read_when_the_records_could_not_be_read(_check);

    [Fact]
    public void Is_unknown_when_the_records_were_never_read() => DnsTestCases.Is_unknown_when_the_records_were_never_read(_check);

    [Theory]
    [InlineData("partial")]
    [InlineData("secondary")]
    public void Skips_zones_whose_dns_is_served_elsewhere(string type) => DnsTestCases.Skips_zones_whose_dns_is_served_elsewhere(_check, type);

    [Fact]
    public void Skips_paused_zones() => DnsTestCases.Skips_paused_zones(_check);

    [Fact]
    public void Reads_certificate_packs()
    {
        Assert.True(DnsCaa.Definition.Needs.HasFlag(DataNeeds.CertificatePacks));
        Assert.Contains("SSL/TLS > Edge Certificates", DnsCaa.Definition.Remediation);
    }
}
