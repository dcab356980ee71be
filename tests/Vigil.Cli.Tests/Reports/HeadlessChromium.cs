using OpenQA.Selenium.Chrome;

namespace Vigil.Cli.Tests.Reports;

/// <summary>
/// Starts headless Chromium through chromedriver (Debian's <c>chromium</c> and <c>chromium-driver</c>, which .ci/run
/// installs) for tests that look at a page as a reader does. Missing browser or driver: the test is skipped with the
/// reason on a workstation, and fails when CI=true (see <see cref="ChromiumFactAttribute"/>).
/// </summary>
internal static class HeadlessChromium
{
    private static readonly string[] Browsers = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>Why Chromium cannot be started here; null when it can.</summary>
    public static string? Missing()
    {
        var missing = new List<string>();
        if (Find(Browsers) is null)
        {
            missing.Add("chromium");
        }
        if (Find(["chromedriver"]) is null)
        {
            missing.Add("chromedriver");
        }
        return missing.Count == 0 ? null
            : $"{string.Join(" and ", missing)} not found on PATH: install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run does)";
    }

    /// <summary>A headless browser; dispose it to quit.</summary>
    /// <param name="javaScript">False: the browser runs no script at all, as a reader with JavaScript off.</param>
    /// <exception cref="InvalidOperationException">Chromium or chromedriver is missing (the message says what to install).</exception>
    public static ChromeDriver Start(bool javaScript = true)
    {
        if (Missing() is { } why)
        {
            throw new InvalidOperationException(why);
        }

        var driver = Find(["chromedriver"])!;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Find(Browsers)! };
        // --no-sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
            "--user-data-dir=" + Directory.CreateTempSubdirectory("vigil-chromium-").FullName);
        if (!javaScript)
        {
            options.AddUserProfilePreference("profile.managed_default_content_settings.javascript", 2);
        }
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    private static string? Find(string[] names)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}

/// <summary>A fact that needs headless Chromium: skipped with the reason when it is missing, except with CI=true, where it runs and fails.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Missing() is { } why && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = why;
        }
    }
}
