using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil demo --serve</c>: the demo's data in the dashboard, its URL and a one-time admin password printed.</summary>
public sealed class DemoServeTests
{
    [Fact]
    public async Task Demo_serve_prints_the_url_and_a_one_time_admin_password_that_signs_in()
    {
        var home = Directory.CreateTempSubdirectory("vigil-demo-serve-").FullName;
        var port = UsersAndServeCliTests.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "vigil.dll"), "demo", "--serve", "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["VIGIL_HOME"] = home;
        start.Environment.Remove("VIGIL_DATABASE");
        start.Environment.Remove("VIGIL_MASTER_KEY");
        start.Environment.Remove("VIGIL_ORG");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            string? password = null;
            string? url = null;
            while (password is null || url is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new Xunit.Sdk.XunitException($"vigil demo --serve ended early:\n{string.Join('\n', lines)}\n{await stderr}");
                lines.Add(line);
                if (Regex.Match(line, "^password: (\\S+)$") is { Success: true } p) password = p.Groups[1].Value;
                if (Regex.Match(line, "^Dashboard: (\\S+)$") is { Success: true } u) url = u.Groups[1].Value;
            }

            Assert.Equal($"http://127.0.0.1:{port}/", url);
            Assert.Contains(lines, l => l == "email: admin@acme-analytics.io");
            using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
            var signIn = await client.GetStringAsync("signin");
            var token = WebUtility.HtmlDecode(Regex.Match(signIn, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
            var overview = await client.PostAsync("signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = "admin@acme-analytics.io", ["Password"] = password, ["__RequestVerificationToken"] = token,
            }));
            var html = await overview.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
            Assert.Contains("cloudflare.user-identified", html);
            Assert.Contains("Sync now", html);
        }
        finally
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", $"-INT {process.Id}") { UseShellExecute = false })!)
            {
                await kill.WaitForExitAsync();
            }
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(exit.Token);
            Directory.Delete(home, recursive: true);
        }

        Assert.Equal(0, process.ExitCode);
    }
}
