using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Storage;
using Vigil.Storage.Postgres;
using Vigil.Storage.Sqlite;

namespace Vigil.Bench;

/// <summary>
/// <c>--store-commit [--database URL]</c>: how fast each engine commits the large organisation's stages, without the
/// simulator or the network: the access stage (20 accounts, 10,000 memberships, 200 member pages of evidence) and the
/// infrastructure stage (2,000 zones with their settings and entrypoints, six responses of evidence per zone), committed
/// three times each into a fresh SQLite home and, when a URL is given (or VIGIL_DATABASE is set), a fresh PostgreSQL
/// database's default organisation. The first commit writes every evidence body; the later ones find them stored.
/// </summary>
internal static class StoreCommitBench
{
    private const int Accounts = 20;
    private const int Members = 10_000;
    private const int Zones = 2_000;
    private const int Rounds = 3;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var index = Array.IndexOf(args, "--database");
        var url = index >= 0 && index + 1 < args.Length ? args[index + 1] : Environment.GetEnvironmentVariable("VIGIL_DATABASE");
        var time = TimeProvider.System;
        var access = AccessStage(time.GetUtcNow());
        var infra = InfraStage(time.GetUtcNow());
        var evidenceMb = (access.Evidence.Sum(e => e.Body.Length) + infra.Evidence.Sum(e => e.Body.Length)) / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Store commit bench: access {Members:N0} members in {Accounts} accounts + {access.Evidence.Count} payloads; infra {Zones:N0} zones + {infra.Evidence.Count} payloads; {evidenceMb:F1} MB of evidence; {Rounds} rounds per engine"));

        var home = Path.Combine(Path.GetTempPath(), "vigil-store-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        Environment.SetEnvironmentVariable(MasterKey.EnvironmentVariable, Convert.ToBase64String(new byte[32]));
        try
        {
            await using (var sqlite = await SqliteStore.OpenInHomeAsync(home, time, ct))
            {
                await MeasureAsync("sqlite", sqlite, sqlite, access, infra, time, ct);
            }

            if (string.IsNullOrWhiteSpace(url))
            {
                Console.WriteLine("postgresql: skipped (give --database postgres://... or set VIGIL_DATABASE)");
                return 0;
            }

            await using var postgres = await PostgresStore.OpenAsync(url, home, time, ct);
            await MeasureAsync("postgresql", postgres, postgres, access, infra, time, ct);
            return 0;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task MeasureAsync(string engine, Vigil.Core.Storage.IConnectionStore connections, Vigil.Core.Storage.ISyncStore sync,
        AccessStageData access, InfraStageData infra, TimeProvider time, CancellationToken ct)
    {
        await connections.SaveAsync(new Connection("bench", "bench", ConnectionPurpose.Both, Connection.DefaultApiUrl, null, CredentialKind.UserToken,
            null, time.GetUtcNow(), null, null, new HashSet<string>(StringComparer.Ordinal)), new Secret("bench-token"), ct);
        for (var round = 1; round <= Rounds; round++)
        {
            var run = await sync.StartRunAsync("bench", time.GetUtcNow(), ct);
            var accessTime = await TimeAsync(() => sync.CommitAccessStageAsync(run.Id, "bench", access, time.GetUtcNow(), ct));
            var infraTime = await TimeAsync(() => sync.CommitInfraStageAsync(run.Id, "bench", infra, time.GetUtcNow(), ct));
            await sync.FinishRunAsync(run with { Status = SyncStatus.Complete, EndedAt = time.GetUtcNow() }, ct);
            var loadTime = await TimeAsync(() => sync.LoadCurrentSnapshotAsync(ct));
            var accessRows = access.Accounts.Count + access.Roles.Count + access.Members.Count + access.Evidence.Count;
            var infraRows = infra.Zones.Count + (infra.AccountRulesets?.Count ?? 0) + infra.Evidence.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{engine,-10} round {round}: access {accessTime.TotalSeconds,6:F2} s ({accessRows / accessTime.TotalSeconds,9:N0} rows/s, {Members / accessTime.TotalSeconds,8:N0} members/s)   " +
                $"infra {infraTime.TotalSeconds,6:F2} s ({infraRows / infraTime.TotalSeconds,9:N0} rows/s, {Zones / infraTime.TotalSeconds,7:N0} zones/s)   load current snapshot {loadTime.TotalSeconds:F2} s"));
        }
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed;
    }

    internal static AccessStageData AccessStage(DateTimeOffset at)
    {
        var accounts = Enumerable.Range(0, Accounts).Select(a => new CloudflareAccount($"acc{a:D4}", $"Account {a}", a % 3 != 0, "bench")).ToList();
        var roles = accounts.SelectMany(a => new[]
        {
            new AccountRole($"{a.Id}-admin", a.Id, "Administrator", "Can do everything", ["zones:write", "members:write", "dns:write"]),
            new AccountRole($"{a.Id}-read", a.Id, "Administrator Read Only", "Can read everything", ["zones:read", "dns:read"]),
        }).ToList();
        var members = Enumerable.Range(0, Members).Select(m =>
        {
            var account = accounts[m % Accounts].Id;
            return new AccountMember($"member{m:D6}", account, $"user{m:D6}", $"person{m:D6}@example.com", "First" + m, "Last" + m,
                m % 20 == 0 ? MembershipStatus.Pending : MembershipStatus.Accepted, m % 7 != 0,
                [new MemberRole(m % 10 == 0 ? $"{account}-admin" : $"{account}-read", m % 10 == 0 ? "Administrator" : "Administrator Read Only")],
                m % 50 == 0 ? [new MemberPolicy($"pol{m}", "allow", ["Zone Read"], [$"com.cloudflare.api.account.{account}"])] : []);
        }).ToList();
        var evidence = members.Chunk(50).Select((page, p) =>
        {
            var body = new StringBuilder("""{"success":true,"errors":[],"messages":[],"result":[""");
            foreach (var m in page)
            {
                body.Append(CultureInfo.InvariantCulture, $$$$"""{"id":"{{{{m.Id}}}}","status":"accepted","user":{"id":"{{{{m.UserId}}}}","email":"{{{{m.Email}}}}","first_name":"{{{{m.FirstName}}}}","last_name":"{{{{m.LastName}}}}","two_factor_authentication_enabled":true},"roles":[{"id":"{{{{m.Roles[0].Id}}}}","name":"{{{{m.Roles[0].Name}}}}","description":"Can read everything","permissions":{"analytics":{"read":true,"write":false},"zones":{"read":true,"write":false},"dns_records":{"read":true,"write":false}}}]},""");
            }

            body.Length--;
            body.Append(CultureInfo.InvariantCulture, $$$"""],"result_info":{"page":{{{p % 25 + 1}}},"per_page":50,"total_pages":25,"count":50,"total_count":500}}""");
            return new RawPayload($"GET /accounts/{page[0].AccountId}/members?page={p % 25 + 1}&per_page=50", at, body.ToString());
        }).ToList();
        return new AccessStageData(accounts, roles, members, [], evidence);
    }

    internal static InfraStageData InfraStage(DateTimeOffset at)
    {
        var zones = Enumerable.Range(0, Zones).Select(z => new Zone($"zone{z:D6}", $"site{z}.example", $"acc{z % Accounts:D4}", "active", false,
            z % 4 == 0 ? "Pro Website" : "Free Website",
            new ZoneSecurity(z % 5 == 0 ? "flexible" : "strict", z % 6 == 0 ? "1.0" : "1.2", "on", new HstsPolicy(z % 2 == 0, 31536000, true, false),
                "medium", "off", z % 3 == 0 ? "disabled" : "active",
                new Dictionary<string, PhaseEntrypoint?>
                {
                    [RulesetPhases.ManagedWaf] = new PhaseEntrypoint(RulesetPhases.ManagedWaf, $"rs{z}",
                        [new RulesetRule($"rule{z}", "execute", true, ManagedRulesets.CloudflareManaged, false, "Cloudflare Managed Ruleset")]),
                    [RulesetPhases.CustomFirewall] = null,
                }), "full", z % 4 == 0 ? "pro" : "free")).ToList();
        var evidence = zones.SelectMany(z => new[]
        {
            new RawPayload($"GET /zones/{z.Id}/settings", at, $$$$"""{"success":true,"result":[{"id":"ssl","value":"{{{{z.Security!.Ssl}}}}"},{"id":"min_tls_version","value":"{{{{z.Security.MinTlsVersion}}}}"},{"id":"always_use_https","value":"on"},{"id":"security_header","value":{"strict_transport_security":{"enabled":true,"max_age":31536000,"include_subdomains":true,"preload":false}}}]}"""),
            new RawPayload($"GET /zones/{z.Id}/dnssec", at, $$$"""{"success":true,"result":{"status":"{{{z.Security.DnssecStatus}}}"}}"""),
            new RawPayload($"GET /zones/{z.Id}/rulesets", at, $$$"""{"success":true,"result":[{"id":"rs{{{z.Id}}}","phase":"http_request_firewall_managed","kind":"zone"}]}"""),
            new RawPayload($"GET /zones/{z.Id}/rulesets/phases/http_request_firewall_managed/entrypoint", at, $$$"""{"success":true,"result":{"id":"rs{{{z.Id}}}","rules":[{"id":"rule{{{z.Id}}}","action":"execute","enabled":true}]}}"""),
            new RawPayload($"GET /zones/{z.Id}/pagerules", at, """{"success":true,"result":[]}"""),
            new RawPayload($"GET /zones?page={z.Name.Length}", at, """{"success":true,"result_info":{"page":1}}"""),
        }).ToList();
        return new InfraStageData(zones, [], evidence,
            Enumerable.Range(0, Accounts).Select(a => new AccountRulesets($"acc{a:D4}", new Dictionary<string, PhaseEntrypoint?> { [RulesetPhases.ManagedWaf] = null })).ToList());
    }
}
