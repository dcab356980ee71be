using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Bench;

/// <summary>
/// <c>--report</c>: an access-review campaign over 10,000 memberships and its evidence reports, timed as a user sees
/// them (each a separate <c>vigil</c> process, start-up included): the generated large organisation (20 accounts,
/// 10,000 memberships, 20 zones) is synced from the simulator (no latency, no binding rate limit: the sync is not what
/// is measured), then <c>review start</c>, a bulk <c>review decide</c> of every item, and <c>report --format html</c>
/// and <c>--format ocsf</c> with the campaign. Targets: start, HTML and OCSF each under 5 s.
/// </summary>
internal static class ReportBench
{
    private const int Accounts = 20;
    private const int Members = 10_000;
    private const int Zones = 20;
    private const double TargetSeconds = 5;
    private const string TokenVariable = "VIGIL_BENCH_TOKEN";
    private const string Owner = "owner@example.com";

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        var scenario = ScenarioGenerator.Generate(Accounts, Members, Zones);
        await using var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions
        {
            RateLimitRequests = 1_000_000,
            RateLimitWindow = TimeSpan.FromMinutes(1),
            PerIpRequestsPerSecond = 100_000,
        }, ct);
        var home = Directory.CreateTempSubdirectory("vigil-report-bench-").FullName;
        try
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Report bench: {Accounts} accounts, {Members:N0} memberships, {Zones} zones; {Environment.ProcessorCount} cores; each step is one vigil process"));
            await RunAsync(home, ct, "connect", "cloudflare", "--name", "bench", "--api-url", sim.BaseUrl, "--token-env", TokenVariable);
            var sync = await RunAsync(home, ct, "sync", "--format", "json");

            var start = await RunAsync(home, ct, "review", "start", "cloudflare", "--name", "bench", "--owner", Owner, "--reviewer", "reviewer@example.com", "--format", "json");
            string campaign;
            int items;
            using (var started = JsonDocument.Parse(start.Stdout))
            {
                campaign = started.RootElement.GetProperty("campaign_id").GetString()!;
                items = started.RootElement.GetProperty("items").GetInt32();
            }

            // Every item decided (one in a hundred revoked), so the reports carry 10,000 decisions.
            var show = await RunAsync(home, ct, "review", "show", campaign, "--format", "json");
            var csv = new StringBuilder("member_email,account_id,decision,role,comment\n");
            using (var shown = JsonDocument.Parse(show.Stdout))
            {
                var n = 0;
                foreach (var item in shown.RootElement.GetProperty("items").EnumerateArray())
                {
                    var revoke = n++ % 100 == 0;
                    // The member id, not the email: the generated organisation has people with two memberships in one account.
                    csv.Append(CultureInfo.InvariantCulture, $"{item.GetProperty("member_id").GetString()},{item.GetProperty("account_id").GetString()},{(revoke ? "revoke" : "keep")},,{(revoke ? "bench revocation" : "")}\n");
                }
            }
            var decisions = Path.Combine(home, "decisions.csv");
            await File.WriteAllTextAsync(decisions, csv.ToString(), ct);
            var decide = await RunAsync(home, ct, "review", "decide", campaign, "--from", decisions, "--by", Owner);

            var html = Path.Combine(home, "campaign.html");
            var htmlRun = await RunAsync(home, ct, "report", "--format", "html", "--review", campaign, "--out", html);
            var ocsf = Path.Combine(home, "campaign.ocsf");
            var ocsfRun = await RunAsync(home, ct, "report", "--format", "ocsf", "--review", campaign, "--out", ocsf);
            var verify = await RunAsync(home, ct, "report", "verify", ocsf);

            Console.WriteLine();
            Console.WriteLine($"{"step",-34} {"seconds",8} {"target",8}  result");
            Row("sync (setup, not a target)", sync.Elapsed, null, "");
            Row($"review start ({items:N0} items)", start.Elapsed, TargetSeconds, "");
            Row("review decide --from (10,000 rows)", decide.Elapsed, null, "");
            Row("report --format html --review", htmlRun.Elapsed, TargetSeconds, $"{new FileInfo(html).Length / 1e6:F1} MB");
            Row("report --format ocsf --review", ocsfRun.Elapsed, TargetSeconds, $"{new FileInfo(ocsf).Length / 1e6:F1} MB, {File.ReadLines(ocsf).Count():N0} events");
            Row("report verify (ocsf)", verify.Elapsed, null, "");
            var met = new[] { start, htmlRun, ocsfRun }.All(r => r.Elapsed.TotalSeconds < TargetSeconds) && items == Members;
            Console.WriteLine(met ? "All report targets met." : "A report target was missed.");
            return met ? 0 : 1;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static void Row(string step, TimeSpan elapsed, double? target, string note) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step,-34} {elapsed.TotalSeconds,8:F2} {(target is { } t ? $"< {t:F0} s" : ""),8}  {(target is { } limit ? elapsed.TotalSeconds < limit ? "PASS" : "MISS" : "")} {note}"));

    private sealed record Step(string Stdout, TimeSpan Elapsed);

    private static async Task<Step> RunAsync(string home, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vigil.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["VIGIL_HOME"] = home;
        start.Environment[TokenVariable] = ScenarioGenerator.AllReadToken;
        start.Environment.Remove("VIGIL_DATABASE");
        start.Environment.Remove("VIGIL_ORG");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        watch.Stop();
        if (process.ExitCode is not (0 or 3))
        {
            throw new InvalidOperationException($"vigil {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }
        return new Step(await stdout, watch.Elapsed);
    }
}
