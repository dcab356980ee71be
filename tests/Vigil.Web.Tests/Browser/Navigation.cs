using OpenQA.Selenium;

namespace Vigil.Web.Tests.Browser;

// Also compiled into Vigil.Cli.Tests (its browser test of a real `vigil serve`).
/// <summary>
/// Clicks what submits a form or follows a link, then waits for the next page. A click returns once the browser has
/// taken it, at times before the navigation has begun, and the next lookup would then read the old page.
/// </summary>
internal static class Navigation
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static void Follow(IWebDriver driver, IWebElement target)
    {
        var page = driver.FindElement(By.TagName("html"));
        target.Click();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!IsGone(page))
        {
            Assert.True(waited.Elapsed < Timeout, $"the click did not lead to a new page within {Timeout.TotalSeconds} s (still at {driver.Url})");
            Thread.Sleep(25);
        }
        while (!IsLoaded(driver))
        {
            Assert.True(waited.Elapsed < Timeout, $"the page at {driver.Url} did not finish loading within {Timeout.TotalSeconds} s");
            Thread.Sleep(25);
        }
    }

    // Without JavaScript (a no-JS test) the state cannot be asked; the driver then waits for the load itself.
    private static bool IsLoaded(IWebDriver driver)
    {
        try
        {
            return Equals(((IJavaScriptExecutor)driver).ExecuteScript("return document.readyState"), "complete");
        }
        catch (WebDriverException)
        {
            return true;
        }
    }

    private static bool IsGone(IWebElement page)
    {
        try
        {
            _ = page.TagName;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
    }
}
