using OpenQA.Selenium;

namespace Vigil.Cli.Tests.Reports;

/// <summary>
/// The HTML report opened in headless Chromium, as an auditor opens it: what a reader sees, not what the markup says.
/// Saves a screenshot under tests/Vigil.Cli.Tests/artifacts/ (git-ignored).
/// </summary>
[Collection(ReportWorld.Collection)]
public sealed class HtmlReportBrowserTests(ReportWorld world)
{
    [ChromiumFact]
    public async Task A_reader_sees_the_check_table_a_failing_finding_and_a_review_decision_with_its_verification()
    {
        var path = await world.ReportAsync("html", world.NewFolder(), "evidence.html");
        using var browser = HeadlessChromium.Start();
        browser.Navigate().GoToUrl(new Uri(path).AbsoluteUri);

        Assert.StartsWith("Vigil evidence report", browser.Title);
        var checks = browser.FindElement(By.Id("check-table"));
        Assert.True(checks.Displayed);
        var mfa = checks.FindElement(By.CssSelector("tr[data-check='cloudflare.member-2fa-enabled']"));
        Assert.Contains("fail", mfa.Text);
        Assert.Contains("SOC 2 CC6.1", mfa.Text);
        Assert.True(checks.FindElements(By.CssSelector("tbody tr")).Count >= 37);

        // The failing finding: who, why and how to fix it.
        var finding = browser.FindElements(By.CssSelector("table.findings[data-check='cloudflare.member-2fa-enabled'] tr.finding"))
            .First(r => r.FindElement(By.TagName("td")).Text == "fail");
        Assert.True(finding.Displayed);
        var cells = finding.FindElements(By.TagName("td"));
        Assert.Contains("@", cells[1].Text);
        Assert.NotEmpty(cells[2].Text);
        Assert.NotEmpty(cells[3].Text);

        // The review: Jordan's revocation, who decided it and why, and that a later sync verified it.
        var jordan = browser.FindElements(By.CssSelector("#review-table tr.review-item")).Single(r => r.Text.Contains(ReportWorld.Jordan, StringComparison.Ordinal));
        var row = jordan.FindElements(By.TagName("td"));
        Assert.Contains($"revoke by {ReportWorld.Marcus}", row[8].Text);
        Assert.Contains(ReportWorld.JordanComment, row[8].Text);
        Assert.Contains("verified at", row[9].Text);
        Assert.Contains("after the decision", row[9].Text);
        Assert.Contains(world.SecondSnapshotId, row[9].Text);
        Assert.Contains(ReportWorld.Marcus, row[6].Text);

        // A name from Cloudflare that is markup shows as text: nothing ran, nothing loaded.
        var members = browser.FindElement(By.Id("member-table")).Text;
        Assert.Contains(ReportWorld.HostileFirstName, members);
        Assert.Contains(ReportWorld.HostileLastName, members);
        Assert.Contains(ReportWorld.HostileComment, browser.FindElement(By.Id("review-table")).Text);
        Assert.Contains("Q4 <2026>", browser.FindElement(By.CssSelector("#review h2")).Text);
        Assert.Empty(browser.FindElements(By.TagName("script")));
        Assert.Empty(browser.FindElements(By.TagName("img")));

        var artifacts = Directory.CreateDirectory(Path.Combine(RepositoryRoot(), "tests", "Vigil.Cli.Tests", "artifacts")).FullName;
        browser.GetScreenshot().SaveAsFile(Path.Combine(artifacts, "report-chromium.png"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Vigil.sln")))
            {
                return directory.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }
}
