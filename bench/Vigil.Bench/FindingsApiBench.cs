using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Vigil.App;
using Vigil.App.Users;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Sync;
using Vigil.Core.Users;
using Vigil.Storage;
using Vigil.Storage.Sqlite;
using Vigil.Web;

namespace Vigil.Bench;

/// <summary>
/// <c>--findings-api</c>: the REST API's findings page (<c>GET /api/v1/findings?limit=100</c>, issue 18: under 50 ms at
/// p95, warm) for the large organisation (20 accounts, 10,000 memberships, 2,000 zones) committed straight into a fresh
/// SQLite home and evaluated once, served by the real web server on loopback and called with a Bearer API key, as a
/// client would. Pages are walked by cursor and filtered (status, severity, check, account, zone), 300 requests after a
/// warm-up; the first request (which builds the read model) is reported apart.
/// </summary>
internal static class FindingsApiBench
{
    private const int Requests = 300;
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        var time = TimeProvider.System;
        var home = Path.Combine(Path.GetTempPath(), "vigil-findings-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        Environment.SetEnvironmentVariable(MasterKey.EnvironmentVariable, Convert.ToBase64String(new byte[32]));
        try
        {
            await using var store = await SqliteStore.OpenInHomeAsync(home, time, ct);
            var setup = Stopwatch.StartNew();
            var now = time.GetUtcNow();
            await store.SaveAsync(new Connection("bench", "bench", ConnectionPurpose.Both, Connection.DefaultApiUrl, null, CredentialKind.UserToken, null, now, null, null,
                new HashSet<string>(StringComparer.Ordinal)), new Secret("bench-token-not-used"), ct);
            var run = await store.StartRunAsync("bench", now, ct);
            await store.CommitAccessStageAsync(run.Id, "bench", StoreCommitBench.AccessStage(now), now, ct);
            await store.CommitInfraStageAsync(run.Id, "bench", StoreCommitBench.InfraStage(now), now, ct);
            await store.FinishRunAsync(run with { Status = SyncStatus.Complete, EndedAt = time.GetUtcNow() }, ct);
            var evaluation = await CheckEvaluation.Evaluator(store, time).EvaluateCurrentAsync(CheckOptions.Default, ct)
                ?? throw new InvalidOperationException("nothing was evaluated");
            var findings = evaluation.Results.Sum(r => r.Findings.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Findings API bench: 10,000 memberships, 2,000 zones, {findings:N0} findings; set up (commit + evaluate) in {setup.Elapsed.TotalSeconds:F1} s"));

            await new UserAccounts(time).AddAsync(store, "bench@example.com", UserRole.Viewer, null, ct);
            var key = (await new UserAccounts(time).CreateApiKeyAsync(store, "bench@example.com", ct)).Reveal();
            await using var server = VigilWebServer.Create(store, new ServeOptions { Urls = "http://127.0.0.1:0" },
                new VigilWebHostOptions { DataProtectionPath = Path.Combine(home, "web-keys") });
            await server.StartAsync(ct);
            using var client = new HttpClient { BaseAddress = new Uri(server.Addresses[0].TrimEnd('/') + "/") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            var cold = await TimeAsync(client, "api/v1/findings?limit=100", ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first request (builds the read model): {cold.Elapsed.TotalMilliseconds:F0} ms"));

            string[] filters = ["", "status=fail", "severity=high,critical", "check=cloudflare.zone-min-tls-1-2", "account=acc0007", "zone=site123.example", "status=fail&severity=medium"];
            for (var i = 0; i < 30; i++)
            {
                await TimeAsync(client, $"api/v1/findings?limit=100&{filters[i % filters.Length]}", ct);
            }

            var times = new List<double>(Requests);
            var byKind = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            string? cursor = null;
            for (var i = 0; i < Requests; i++)
            {
                var filter = filters[i % filters.Length];
                // Every third request follows the unfiltered list's cursor deeper, so late pages are measured too.
                var path = i % 3 == 0 ? $"api/v1/findings?limit=100{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}" : $"api/v1/findings?limit=100&{filter}";
                var (elapsed, next) = await TimeAsync(client, path, ct);
                if (i % 3 == 0)
                {
                    cursor = next;
                }
                times.Add(elapsed.TotalMilliseconds);
                var kind = i % 3 == 0 ? "cursor walk" : filter.Length == 0 ? "no filter" : filter;
                if (!byKind.TryGetValue(kind, out var list))
                {
                    byKind[kind] = list = [];
                }
                list.Add(elapsed.TotalMilliseconds);
            }

            times.Sort();
            double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
            var p95 = P(0.95);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  warm, {Requests} pages of 100: p50 {P(0.5):F1} ms, p95 {p95:F1} ms, max {times[^1]:F1} ms; target p95 < {Target.TotalMilliseconds:F0} ms: {(p95 < Target.TotalMilliseconds ? "PASS" : "MISS")}"));
            foreach (var (kind, list) in byKind.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                list.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {kind}: {list.Count} requests, p50 {list[list.Count / 2]:F1} ms, max {list[^1]:F1} ms"));
            }
            return p95 < Target.TotalMilliseconds ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<(TimeSpan Elapsed, string? NextCursor)> TimeAsync(HttpClient client, string path, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        watch.Stop();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return (watch.Elapsed, json.RootElement.GetProperty("next_cursor").GetString());
    }
}
