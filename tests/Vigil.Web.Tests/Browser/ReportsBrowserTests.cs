using System.Net;
using OpenQA.Selenium;
using Vigil.Core.Users;

namespace Vigil.Web.Tests.Browser;

/// <summary>
/// The Reports page in headless Chromium: an admin signs in, picks a format, generates, and the page lists the report
/// with a download link for it and for its signed manifest; both links download. Screenshots under artifacts/.
/// </summary>
public sealed class ReportsBrowserTests : IAsyncLifetime
{
    private WebServerFixture _web = null!;
    private DemoData _demo = null!;
    private string _password = "";

    public async Task InitializeAsync()
    {
        _web = await WebServerFixture.StartAsync();
        _demo = await DemoData.SeedAsync(_web);
        _password = await _web.AddUserAsync(DemoData.Admin, UserRole.Admin);
    }

    public async Task DisposeAsync()
    {
        await _demo.DisposeAsync();
        await _web.DisposeAsync();
    }

    [Fact]
    public async Task Generate_a_csv_report_then_its_download_and_manifest_links_are_on_the_page()
    {
        using var browser = Chromium.Start();
        var driver = browser.Driver;
        var shots = new Screenshots(driver, nameof(Generate_a_csv_report_then_its_download_and_manifest_links_are_on_the_page));
        driver.Navigate().GoToUrl(_web.BaseUrl + "reports");
        driver.FindElement(By.Id("Email")).SendKeys(DemoData.Admin);
        driver.FindElement(By.Id("Password")).SendKeys(_password);
        Navigation.Follow(driver, driver.FindElement(By.XPath("//button[normalize-space()='Sign in']")));
        Assert.Equal("/reports", new Uri(driver.Url).AbsolutePath);
        Assert.NotEmpty(driver.FindElements(By.Id("no-reports")));

        driver.FindElement(By.CssSelector("#report-format option[value='csv']")).Click();
        Navigation.Follow(driver, driver.FindElement(By.XPath("//button[normalize-space()='Generate report']")));
        Assert.StartsWith("Generated the csv report vigil-report-", driver.FindElement(By.Id("message")).Text, StringComparison.Ordinal);
        var row = driver.FindElement(By.CssSelector("#reports tbody tr.generated"));
        Assert.Contains("CSV", row.Text, StringComparison.Ordinal);
        var file = row.FindElement(By.CssSelector("a.download-report"));
        var manifest = row.FindElement(By.CssSelector("a.download-manifest"));
        Assert.EndsWith(".csv", file.Text, StringComparison.Ordinal);
        shots.Take("01-generated");

        // The links the page shows download the report and its manifest (with the session, as the browser would).
        using var client = await _web.SignedInClientAsync(DemoData.Admin, _password);
        var downloaded = await client.GetAsync(new Uri(file.GetAttribute("href")!).PathAndQuery.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
        Assert.Equal("text/csv", downloaded.Content.Headers.ContentType!.MediaType);
        var signed = await client.GetStringAsync(new Uri(manifest.GetAttribute("href")!).PathAndQuery.TrimStart('/'));
        Assert.Contains(file.Text, signed, StringComparison.Ordinal);
        Assert.Contains("\"signature\"", signed, StringComparison.Ordinal);
    }
}
