using System.Text;
using Vigil.App.Reports;
using Vigil.Core.Checks;

namespace Vigil.Cli.Tests.Reports;

/// <summary>The HTML file itself: self-contained (nothing to fetch or run), printable, and every value encoded.</summary>
[Collection(ReportWorld.Collection)]
public sealed class HtmlReportWriterTests(ReportWorld world)
{
    [Fact]
    public async Task The_page_is_self_contained_printable_and_encodes_markup_from_Cloudflare_and_reviewers()
    {
        var html = await File.ReadAllTextAsync(await world.ReportAsync("html", world.NewFolder(), "evidence.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<style>", html);
        Assert.Contains("@media print", html);
        Assert.Contains("default-src 'none'", html);
        foreach (var forbidden in new[] { "<script", "<img", "<link", "<iframe", "<object", "<embed", "@import", "url(", "http://", "https://" })
        {
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        }
        // Every '<' of a value is encoded, so any tag is Vigil's own, and none of them loads anything.
        Assert.DoesNotMatch(@"<[^<>]*\b(src|srcset|action|formaction)\s*=", html);
        Assert.DoesNotMatch(@"<[^<>]*\bhref\s*=\s*""(?!#)", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;b&gt;kept&lt;/b&gt; &amp; &quot;reviewed&quot;", html);
        Assert.Contains("Q4 &lt;2026&gt;", html);
        // Each section states its snapshot time and the SHA-256 of the responses it came from, and the population's completeness.
        foreach (var section in new[] { "id=\"checks\"", "id=\"members\"", "id=\"zones\"", "id=\"review\"" })
        {
            var start = html.IndexOf(section, StringComparison.Ordinal);
            var text = html[start..html.IndexOf("</p>", start, StringComparison.Ordinal)];
            Assert.Matches("[0-9a-f]{64}", text);
            Assert.Matches(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text);
        }
        Assert.Contains("<section id=\"frameworks\">", html);
        Assert.Contains("<table class=\"controls\" data-framework=\"pci\">", html);
        Assert.Contains("needs other evidence</td>", html);
        Assert.Contains("lists read whole", html);
        Assert.Contains("total_pages_reached", html);
    }

    [Fact]
    public void Attribute_and_text_values_are_encoded_even_in_ids()
    {
        var report = new EvidenceReport("org", "Org <i>", "snap\"><b>", DateTimeOffset.UnixEpoch, "current", DateTimeOffset.UnixEpoch,
            new ReportEvaluation(DateTimeOffset.UnixEpoch, true, 0, 1, 0, 0),
            new ReportSource("access", null, [], ReportBuilder.Digest([]), [], []),
            new ReportSource("infra", null, [], ReportBuilder.Digest([]), [], []),
            [new ReportCheck("x\"'><script>", "<u>title</u>", Severity.High, "a", "r", [], CheckStatus.Fail, ["<note>"],
                [new Finding(FindingStatus.Fail, "zone", "id'\"<", null, "<svg onload=x>", "why <em>", "fix & go")])],
            [], [], [], null);
        using var stream = new MemoryStream();
        HtmlReportWriter.Write(report, stream);
        var html = Encoding.UTF8.GetString(stream.ToArray());
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<svg", html);
        Assert.DoesNotContain("<i>", html);
        Assert.DoesNotContain("<u>", html);
        Assert.DoesNotContain("<note>", html);
        Assert.DoesNotContain("snap\"><b>", html);
        Assert.Contains("x&quot;&#39;&gt;&lt;script&gt;", html);
        Assert.Contains("&lt;svg onload=x&gt;", html);
    }
}
