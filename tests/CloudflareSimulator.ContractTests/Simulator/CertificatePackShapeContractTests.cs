using System.Text.Json;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// GET /zones/{zone_id}/ssl/certificate_packs beyond the schema check of its operation cases (AllowedDeviations.CertificatePacks,
/// written from the SDK's CertificatePackListResponse): Cloudflare lists active packs unless asked for status=all, pages them
/// with result_info as V4PagePaginationArray does, and keeps certificate_authority as the pack was ordered.
/// </summary>
public sealed class CertificatePackShapeContractTests(ContractSimulatorFixture fixture) : IClassFixture<ContractSimulatorFixture>
{
    private static readonly string Path = $"/zones/{ContractScenario.ActiveZoneId}/ssl/certificate_packs";

    [Fact]
    public async Task Active_packs_are_listed_page_by_page_with_result_info()
    {
        var (first, firstInfo) = await ListAsync($"{Path}?page=1&per_page=5");
        var (second, secondInfo) = await ListAsync($"{Path}?page=2&per_page=5");

        Assert.Equal((1, 5, 5, 6, 2), Info(firstInfo));
        Assert.Equal((2, 5, 1, 6, 2), Info(secondInfo));
        var all = first.Concat(second).ToList();
        Assert.Equal(6, all.Select(p => p.GetProperty("id").GetString()).Distinct().Count());
        Assert.All(all, p => Assert.Equal("active", p.GetProperty("status").GetString()));
        Assert.DoesNotContain(all, p => p.GetProperty("id").GetString() == ContractScenario.PendingCertificatePackId);
    }

    [Fact]
    public async Task Status_all_lists_packs_of_every_status()
    {
        var (packs, info) = await ListAsync($"{Path}?status=all&per_page=50");

        Assert.Equal(7, info.GetProperty("total_count").GetInt32());
        Assert.Equal("pending_validation", packs.Single(p => p.GetProperty("id").GetString() == ContractScenario.PendingCertificatePackId).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Each_pack_names_its_ca_as_ordered_and_a_custom_upload_names_none()
    {
        var (packs, _) = await ListAsync($"{Path}?per_page=50");

        var universal = packs.Single(p => p.GetProperty("id").GetString() == ContractScenario.CertificatePackId);
        Assert.Equal(("universal", "google"), (universal.GetProperty("type").GetString(), universal.GetProperty("certificate_authority").GetString()));
        Assert.Equal(["digicert", "google", "lets_encrypt", "ssl_com"],
            packs.Where(p => p.TryGetProperty("certificate_authority", out _)).Select(p => p.GetProperty("certificate_authority").GetString()).Distinct().Order(StringComparer.Ordinal));
        var custom = packs.Single(p => p.GetProperty("type").GetString() == "sni_custom");
        Assert.False(custom.TryGetProperty("certificate_authority", out _));
        Assert.All(packs, p =>
        {
            Assert.True(p.GetProperty("hosts").GetArrayLength() > 0);
            Assert.All(p.GetProperty("certificates").EnumerateArray(), c => Assert.Equal(ContractScenario.ActiveZoneId, c.GetProperty("zone_id").GetString()));
        });
    }

    [Fact]
    public async Task Without_ssl_and_certificates_read_the_answer_is_a_refusal_naming_no_packs()
    {
        var (status, body) = await fixture.GetAsync(Path, new BearerToken("no ssl read", ContractScenario.NoSslReadToken));
        using (body)
        {
            Assert.Equal(403, status);
            Assert.False(body.RootElement.GetProperty("success").GetBoolean());
            Assert.True(body.RootElement.GetProperty("errors").GetArrayLength() > 0);
        }
    }

    private static (int Page, int PerPage, int Count, int TotalCount, int TotalPages) Info(JsonElement info) =>
        (info.GetProperty("page").GetInt32(), info.GetProperty("per_page").GetInt32(), info.GetProperty("count").GetInt32(),
            info.GetProperty("total_count").GetInt32(), info.GetProperty("total_pages").GetInt32());

    private async Task<(List<JsonElement> Packs, JsonElement Info)> ListAsync(string pathAndQuery)
    {
        var (status, body) = await fixture.GetAsync(pathAndQuery, OperationCases.ReadAll);
        using (body)
        {
            Assert.Equal(200, status);
            var root = body.RootElement;
            Assert.True(root.GetProperty("success").GetBoolean());
            return ([.. root.GetProperty("result").EnumerateArray().Select(e => e.Clone())], root.GetProperty("result_info").Clone());
        }
    }
}
