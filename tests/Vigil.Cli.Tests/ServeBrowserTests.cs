using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Vigil.Cli.Tests.Reports;
using Vigil.Web.Tests.Browser;

namespace Vigil.Cli.Tests;

/// <summary>
/// Issue 18's end-to-end path as a script drives it: real <c>vigil</c> processes (<c>demo</c> for data, <c>users add</c>,
/// <c>users api-key</c>, <c>serve</c>), a real headless Chromium signing in through the sign-in page by the labels
/// "Email" and "Password" and the button "Sign in", and the REST API called with the printed key. Screenshots go to
/// tests/Vigil.Cli.Tests/artifacts/ (git-ignored).
/// </summary>
public sealed class ServeBrowserTests
{
    [ChromiumFact]
    public async Task A_user_made_with_users_add_signs_in_to_vigil_serve_in_chromium_and_the_api_answers_their_key()
    {
        using var cli = new CliProcess();
        (await cli.RunAsync("demo")).ShouldExit(0);
        var added = (await cli.RunAsync("users", "add", "dana@acme.example", "--role", "admin")).ShouldExit(0);
        var password = Regex.Match(added.Stdout, "^password: (\\S+)$", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(password);
        (await cli.RunAsync("users", "add", "vic@acme.example", "--role", "viewer")).ShouldExit(0);
        var keyed = (await cli.RunAsync("users", "api-key", "vic@acme.example")).ShouldExit(0);
        var key = Regex.Match(keyed.Stdout, "^api key: (\\S+)$", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(key);

        var port = UsersAndServeCliTests.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}/";
        using var server = cli.Start("serve", "--urls", $"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        Assert.Equal(HttpStatusCode.OK, (await UsersAndServeCliTests.PollAsync(http, "health")).StatusCode);

        using (var browser = HeadlessChromium.Start())
        {
            // The overview asks for sign-in first; the labelled fields and the button are what the script looks for.
            browser.Navigate().GoToUrl(baseUrl);
            Assert.Equal("/signin", new Uri(browser.Url).AbsolutePath);
            Field(browser, "Email").SendKeys("dana@acme.example");
            Field(browser, "Password").SendKeys(password);
            Navigation.Follow(browser, browser.FindElement(By.XPath("//button[normalize-space()='Sign in']")));

            Assert.Equal("/", new Uri(browser.Url).AbsolutePath);
            Assert.StartsWith("Overview", browser.FindElement(By.TagName("h1")).Text);
            var checks = browser.FindElement(By.Id("checks")).Text;
            Assert.Contains("cloudflare.user-identified", checks);
            Assert.Contains("fail", checks);
            Assert.True(int.Parse(browser.FindElement(By.Id("unidentified-count")).Text, System.Globalization.CultureInfo.InvariantCulture) >= 1);
            Assert.NotEmpty(browser.FindElements(By.XPath("//button[normalize-space()='Sync now']")));
            Save(browser, "serve-01-overview");

            browser.Navigate().GoToUrl(baseUrl + "findings?check=cloudflare.member-2fa-enabled");
            var rows = browser.FindElements(By.CssSelector("#findings tbody tr"));
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.StartsWith("fail", r.Text));
            Save(browser, "serve-02-findings");

            // Signing out ends the session: the overview asks for sign-in again.
            Navigation.Follow(browser, browser.FindElement(By.XPath("//button[normalize-space()='Sign out']")));
            browser.Navigate().GoToUrl(baseUrl);
            Assert.Equal("/signin", new Uri(browser.Url).AbsolutePath);
        }

        // The API with the key `vigil users api-key` printed; without it, 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/findings")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/findings?status=fail&limit=5");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var findings = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = findings.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.All(items, f => Assert.Equal("fail", f.GetProperty("status").GetString()));

        server.Signal("INT");
        (await server.WaitAsync()).ShouldExit(0);
    }

    [ChromiumFact]
    public async Task The_pages_read_without_javascript()
    {
        using var cli = new CliProcess();
        (await cli.RunAsync("demo")).ShouldExit(0);
        var added = (await cli.RunAsync("users", "add", "vic@acme.example", "--role", "viewer")).ShouldExit(0);
        var password = Regex.Match(added.Stdout, "^password: (\\S+)$", RegexOptions.Multiline).Groups[1].Value;
        var port = UsersAndServeCliTests.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}/";
        using var server = cli.Start("serve", "--urls", $"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        await UsersAndServeCliTests.PollAsync(http, "health");

        using (var browser = HeadlessChromium.Start(javaScript: false))
        {
            browser.Navigate().GoToUrl(baseUrl + "signin");
            Field(browser, "Email").SendKeys("vic@acme.example");
            Field(browser, "Password").SendKeys(password);
            Navigation.Follow(browser, browser.FindElement(By.XPath("//button[normalize-space()='Sign in']")));
            Assert.Contains("cloudflare.user-identified", browser.FindElement(By.Id("checks")).Text);
            Assert.NotEmpty(browser.FindElements(By.CssSelector("svg.trend polyline")));

            // Filtering is a plain GET form, and paging plain links.
            browser.Navigate().GoToUrl(baseUrl + "findings");
            browser.FindElement(By.XPath("//select[@name='status']/option[normalize-space()='all']")).Click();
            browser.FindElement(By.XPath("//select[@name='severity']/option[normalize-space()='high']")).Click();
            Navigation.Follow(browser, browser.FindElement(By.XPath("//button[normalize-space()='Filter']")));
            var query = new Uri(browser.Url).Query;
            Assert.Contains("status=all", query);
            Assert.Contains("severity=high", query);
            Assert.Contains("finding(s)", browser.FindElement(By.Id("findings-total")).Text);
            Assert.All(browser.FindElements(By.CssSelector("#findings tbody tr")), r => Assert.Equal("high", r.FindElements(By.TagName("td"))[1].Text));

            foreach (var page in new[] { "members", "zones", "reviews", "connections" })
            {
                browser.Navigate().GoToUrl(baseUrl + page);
                Assert.Equal("/" + page, new Uri(browser.Url).AbsolutePath);
                Assert.NotEmpty(browser.FindElement(By.TagName("h1")).Text);
                if (page is "members" or "zones")
                {
                    Assert.NotEmpty(browser.FindElements(By.CssSelector("table tbody tr")));
                    Assert.Contains("acme-analytics.io", browser.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
                }
            }

            Save(browser, "serve-03-without-javascript");
        }

        server.Signal("INT");
        (await server.WaitAsync()).ShouldExit(0);
    }

    /// <summary>The input a label names, as a person (or the end-to-end script) finds it.</summary>
    private static IWebElement Field(ChromeDriver browser, string label)
    {
        var element = browser.FindElement(By.XPath($"//label[normalize-space()='{label}']"));
        return browser.FindElement(By.Id(element.GetAttribute("for")!));
    }

    private static void Save(ChromeDriver browser, string name)
    {
        var artifacts = Directory.CreateDirectory(Path.Combine(RepositoryRoot(), "tests", "Vigil.Cli.Tests", "artifacts")).FullName;
        browser.GetScreenshot().SaveAsFile(Path.Combine(artifacts, name + ".png"));
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
