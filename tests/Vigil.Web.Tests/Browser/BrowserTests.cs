using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Vigil.Core.Users;

namespace Vigil.Web.Tests.Browser;

/// <summary>
/// The dashboard in a real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium): sign in through
/// the labelled fields, read the overview, map an unidentified member, decide keep and revoke in a review, evaluate
/// again and see the finding change. Screenshots go to tests/Vigil.Web.Tests/artifacts/ (git-ignored). Without
/// Chromium the test fails (never skips) saying what to install.
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
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
    public void Sign_in_map_a_member_decide_keep_and_revoke_and_see_the_finding_change()
    {
        using var browser = Chromium.Start();
        var driver = browser.Driver;
        var shots = new Screenshots(driver, nameof(Sign_in_map_a_member_decide_keep_and_revoke_and_see_the_finding_change));

        // Any page first: the sign-in page answers instead.
        driver.Navigate().GoToUrl(_web.BaseUrl + "findings");
        Assert.EndsWith("/signin", new Uri(driver.Url).AbsolutePath);
        Field(driver, "Email").SendKeys(DemoData.Admin);
        Field(driver, "Password").SendKeys(_password);
        Navigation.Follow(driver, driver.FindElement(By.XPath("//button[normalize-space()='Sign in']")));
        Assert.Equal("/findings", new Uri(driver.Url).AbsolutePath);
        shots.Take("01-signed-in");

        driver.Navigate().GoToUrl(_web.BaseUrl.ToString());
        Assert.Equal("Overview", driver.FindElement(By.TagName("h1")).Text.Split(' ')[0]);
        var unidentified = int.Parse(driver.FindElement(By.Id("unidentified-count")).Text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(unidentified >= 2, $"the demo has the contractor and the hostile member unidentified; the overview says {unidentified}");
        Assert.Contains("cloudflare.user-identified", driver.FindElement(By.Id("checks")).Text);
        Assert.NotEmpty(driver.FindElements(By.CssSelector("svg.trend polyline")));
        shots.Take("02-overview");

        // Map the contractor to a person found with the staff-directory search.
        Navigation.Follow(driver, driver.FindElement(By.Id("unidentified-count")));
        var row = driver.FindElements(By.CssSelector("#members tbody tr")).First(r => r.Text.Contains(DemoData.Contractor, StringComparison.Ordinal));
        Navigation.Follow(driver, row.FindElement(By.LinkText("map to person")));
        Field(driver, "Search the staff directory").SendKeys("tomasz");
        Navigation.Follow(driver, driver.FindElement(By.XPath("//button[normalize-space()='Search']")));
        Assert.Single(driver.FindElements(By.CssSelector("#people tbody tr")));
        Navigation.Follow(driver, driver.FindElement(By.XPath("//button[normalize-space()='Map to Tomasz Nowak']")));
        Assert.Contains($"{DemoData.Contractor} is now mapped to tomasz.nowak@acme-analytics.io", driver.FindElement(By.Id("message")).Text);
        Assert.Contains("Tomasz Nowak", driver.FindElement(By.Id("members")).Text);
        shots.Take("03-mapped");

        // A review: keep one membership, revoke another (revoking needs a comment).
        driver.Navigate().GoToUrl(_web.BaseUrl + "reviews");
        Navigation.Follow(driver, driver.FindElement(By.XPath("//button[normalize-space()='Start campaign']")));
        Assert.Contains("started with", driver.FindElement(By.Id("message")).Text);
        Navigation.Follow(driver, Item(driver, "alex.chen@acmeanalytics.com").FindElement(By.XPath(".//button[normalize-space()='Keep']")));
        var revoke = Item(driver, DemoData.HostileEmail);
        revoke.FindElement(By.CssSelector("input[name='comment']")).SendKeys("not one of ours");
        Navigation.Follow(driver, revoke.FindElement(By.XPath(".//button[normalize-space()='Revoke']")));
        Assert.StartsWith("keep by " + DemoData.Admin, Item(driver, "alex.chen@acmeanalytics.com").FindElement(By.CssSelector("td.decision")).Text);
        Assert.Equal($"revoke by {DemoData.Admin}: not one of ours", Item(driver, DemoData.HostileEmail).FindElement(By.CssSelector("td.decision")).Text);
        Assert.StartsWith("pending_removal", Item(driver, DemoData.HostileEmail).FindElement(By.CssSelector("td.verification")).Text);
        Assert.StartsWith("2 /", driver.FindElement(By.Id("progress")).Text);
        shots.Take("04-review-decided");

        // Before the next evaluation the finding still fails; after it, it passes.
        driver.Navigate().GoToUrl(_web.BaseUrl + "findings?check=cloudflare.user-identified&status=fail");
        Assert.Contains(DemoData.Contractor, driver.FindElement(By.Id("findings")).Text);
        driver.Navigate().GoToUrl(_web.BaseUrl.ToString());
        Navigation.Follow(driver, driver.FindElement(By.XPath("//button[normalize-space()='Evaluate now']")));
        Assert.StartsWith("Evaluated at", driver.FindElement(By.Id("message")).Text);
        Assert.Equal((unidentified - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), driver.FindElement(By.Id("unidentified-count")).Text);
        driver.Navigate().GoToUrl(_web.BaseUrl + "findings?check=cloudflare.user-identified&status=fail");
        Assert.DoesNotContain(DemoData.Contractor, driver.FindElement(By.Id("findings")).Text);
        Assert.Contains(DemoData.HostileEmail, driver.FindElement(By.Id("findings")).Text);
        driver.Navigate().GoToUrl(_web.BaseUrl + "findings?check=cloudflare.user-identified&status=pass");
        var passing = driver.FindElements(By.CssSelector("#findings tbody tr")).Single(r => r.Text.Contains(DemoData.Contractor, StringComparison.Ordinal));
        Assert.Contains("pass", passing.FindElement(By.CssSelector("td")).Text);
        shots.Take("05-finding-changed");
    }

    [Fact]
    public void A_wrong_password_keeps_the_browser_on_the_sign_in_page()
    {
        using var browser = Chromium.Start();
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(_web.BaseUrl + "signin");
        Field(driver, "Email").SendKeys(DemoData.Admin);
        Field(driver, "Password").SendKeys("not-the-password");
        Navigation.Follow(driver, driver.FindElement(By.XPath("//button[normalize-space()='Sign in']")));

        Assert.Equal("/signin", new Uri(driver.Url).AbsolutePath);
        Assert.Equal("The email or password is not right.", driver.FindElement(By.CssSelector("[role='alert']")).Text);
        new Screenshots(driver, nameof(A_wrong_password_keeps_the_browser_on_the_sign_in_page)).Take("01-refused");
    }

    /// <summary>The input a label names, as a person (or the end-to-end script) finds it.</summary>
    private static IWebElement Field(IWebDriver driver, string label)
    {
        var labelElement = driver.FindElement(By.XPath($"//label[normalize-space()='{label}']"));
        return driver.FindElement(By.Id(labelElement.GetAttribute("for")!));
    }

    private static IWebElement Item(IWebDriver driver, string memberEmail) =>
        driver.FindElements(By.CssSelector("#queue tbody tr")).First(r => string.Equals(r.GetAttribute("data-member"), memberEmail, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Headless Chromium with Debian's chromedriver; never downloads a browser or a driver.</summary>
internal sealed class Chromium : IDisposable
{
    private static readonly string[] Browsers = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private static readonly string[] Drivers = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

    private Chromium(ChromeDriver driver) => Driver = driver;

    public ChromeDriver Driver { get; }

    public static Chromium Start()
    {
        var browser = Browsers.FirstOrDefault(File.Exists);
        var driverPath = Drivers.FirstOrDefault(File.Exists);
        Assert.True(browser is not null && driverPath is not null,
            "headless Chromium is needed for the browser tests: apt-get install chromium chromium-driver (.ci/run installs them)");
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath)!);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
        driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
        return new Chromium(driver);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}

/// <summary>Saves numbered screenshots under tests/Vigil.Web.Tests/artifacts/TEST/.</summary>
internal sealed class Screenshots(ITakesScreenshot driver, string test)
{
    private readonly string _folder = Path.Combine(ProjectFolder(), "artifacts", test);

    public void Take(string name)
    {
        Directory.CreateDirectory(_folder);
        driver.GetScreenshot().SaveAsFile(Path.Combine(_folder, name + ".png"));
    }

    private static string ProjectFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Vigil.Web.Tests.csproj")))
            {
                return folder.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
