using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Sync;
using Vigil.Core.Systems;

namespace Vigil.Bench;

/// <summary>
/// <c>--evaluate</c>: how fast the whole check catalogue judges a very large organisation, without sync or storage (issue
/// 20: 100,000 memberships, 10,000 zones and 200,000 DNS records in under 1 s). The snapshot is built in memory: 20
/// accounts of 5,000 memberships (a mix of roles, policies, 2FA, pending invitations, unidentified and offboarded
/// people), 100 account tokens per account, 10,000 active zones on every plan with their settings, rulesets, bot
/// management and Logpush, and 20 DNS records per zone (apex, www, mail, SPF, DMARC, CAA, wildcards, private targets,
/// hosting CNAMEs). The staff directory holds 90,000 people. One warm-up evaluation, then <see cref="Rounds"/> timed
/// ones (building the evaluation context, with its identity index, included); the live heap is read after a forced
/// full collection, with the snapshot held and with the results held. Exit 0 when the median is under the target.
/// </summary>
internal static class EvaluationBench
{
    public const int Accounts = 20;
    public const int Memberships = 100_000;
    public const int Zones = 10_000;
    public const int DnsRecordsPerZone = 20;
    public const int People = 90_000;
    public const int TokensPerAccount = 100;
    private const int Rounds = 5;

    /// <summary>Evaluations before the timed rounds, while the tiered JIT settles (see <see cref="Run"/>).</summary>
    private const int WarmUps = 3;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(1);
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static int Run(string[] args)
    {
        var perCheck = args.Contains("--per-check");
        var baseline = LiveHeap();
        var snapshot = BuildSnapshot();
        var people = BuildPeople();
        var mappings = Enumerable.Range(0, 200).Select(i => new IdentityMapping($"bot{i}@automation.example", null, "CI bot owned by the platform team", TakenAt)).ToList();
        var system = new CriticalSystem(CriticalSystem.CloudflareName,
            [new AllowedOrgRole("sre", []), new AllowedOrgRole("security", []), new AllowedOrgRole("engineer", ["Administrator Read Only", "DNS"]), new AllowedOrgRole("finance", ["Billing"])],
            TakenAt.AddYears(-1), "owner@example.com");
        var now = TakenAt.AddMinutes(30);
        var inputHeap = LiveHeap() - baseline;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Evaluation bench: {CheckCatalog.All.Count} checks over {snapshot.Members.Count:N0} memberships in {snapshot.Accounts.Count} accounts, {snapshot.Zones.Count:N0} zones, "
            + $"{snapshot.DnsRecords!.Count:N0} DNS records, {snapshot.AccountTokens!.Count:N0} account tokens; {people.Count:N0} people in the staff directory; "
            + $"{Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  live heap of the input (snapshot, directory, after a full collection): {inputHeap / 1e6:F1} MB"));

        Evaluation Evaluate(IEnumerable<ICheck>? checks = null) =>
            CheckRunner.Evaluate(EvaluationContext.Create(snapshot, people, mappings, system, now, CheckOptions.Default, DataFreshness.Of(snapshot)), checks);

        // The evaluations live only in `held` and in the helpers below, never in a local of this method: a stale
        // reference in this long method's frame kept the previous round's results alive and doubled the live heap measured.
        var held = new Evaluation?[1];
        // The first evaluation in a fresh process is what a one-shot `vigil sync` pays: the code is compiled as it runs
        // (tier 0), and the tiered JIT recompiles the hot methods with what it learnt over the next evaluations, as in a
        // long-running `vigil serve` or worker. The timed rounds measure that steady state.
        var (warmFindings, warmTime) = WarmUp(() => Evaluate());
        var settling = new List<TimeSpan>();
        for (var i = 1; i < WarmUps; i++)
        {
            settling.Add(WarmUp(() => Evaluate()).Time);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  first evaluation in a fresh process (JIT included): {warmTime.TotalSeconds:F3} s, {warmFindings:N0} findings; then {WarmUps - 1} more to warm up: {string.Join(", ", settling.Select(t => $"{t.TotalSeconds:F3} s"))}"));

        var rounds = new List<Round>();
        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < Rounds; round++)
        {
            held[0] = null;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            rounds.Add(TimeOne(() => Evaluate(), process, held));
            if (Environment.GetEnvironmentVariable("VIGIL_BENCH_ROUNDS") is not null)
            {
                var r = rounds[^1];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    round {round + 1}: {r.Wall.TotalSeconds:F3} s, CPU {r.Cpu.TotalSeconds:F3} s, GC pauses {r.GcPause.TotalMilliseconds:F0} ms ({r.Collections[0]}/{r.Collections[1]}/{r.Collections[2]})"));
            }
        }
        var withResults = LiveHeap() - baseline;
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var times = rounds.Select(r => r.Wall).Order().ToList();
        var cpu = rounds.Select(r => r.Cpu).Order().ToList();
        var pauses = rounds.Select(r => r.GcPause).Order().ToList();
        var median = times[times.Count / 2];
        var last = rounds[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  evaluation ({Rounds} rounds): min {times[0].TotalSeconds:F3} s, median {median.TotalSeconds:F3} s, max {times[^1].TotalSeconds:F3} s; target < {Target.TotalSeconds:F0} s: {(median < Target ? "PASS" : "MISS")}"));
        // On a shared machine the wall time includes waiting for a core; the process's CPU time (GC threads included) does not.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU time of the process per evaluation: min {cpu[0].TotalSeconds:F3} s, median {cpu[cpu.Count / 2].TotalSeconds:F3} s (load average at start {LoadAverage()}); "
            + $"GC pauses per evaluation: median {pauses[pauses.Count / 2].TotalMilliseconds:F0} ms (last round: {last.Collections[0]} gen0, {last.Collections[1]} gen1, {last.Collections[2]} gen2 collections)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  findings: {Summary(held)}; fingerprint (SHA-256 of every finding in order) {Fingerprint(held)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated per evaluation: {rounds[rounds.Count / 2].Allocated / 1e6:F1} MB; live heap with input and results held: {withResults / 1e6:F1} MB (results {(withResults - inputHeap) / 1e6:F1} MB); "
            + $"GC heap after the last full collection {info.HeapSizeBytes / 1e6:F1} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));

        if (perCheck)
        {
            Console.WriteLine("  per check, the thread's CPU time (GC threads excluded) and allocations on one thread (median of 5, context and its shared member facts built once):");
            var context = EvaluationContext.Create(snapshot, people, mappings, system, now, CheckOptions.Default, DataFreshness.Of(snapshot));
            var factsBefore = ThreadCpu.Now();
            var factsAllocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            context.Prepare(DataNeeds.Members, parallelism: 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {(ThreadCpu.Now() - factsBefore).TotalMilliseconds,8:F1} ms {(GC.GetAllocatedBytesForCurrentThread() - factsAllocatedBefore) / 1e6,7:F1} MB                   (shared, once per evaluation) member facts: each membership's description, identity and grants"));
            var perCheckTimes = CheckCatalog.All.Select(check =>
            {
                var runs = Enumerable.Range(0, 5).Select(_ =>
                {
                    // Collected first, so that a collection the previous runs left due does not fall on this check's time.
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                    var cpuBefore = ThreadCpu.Now();
                    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    var liveBefore = GC.GetTotalMemory(forceFullCollection: false);
                    var result = CheckRunner.Evaluate(context, [check]).Results[0];
                    var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                    var time = ThreadCpu.Now() - cpuBefore;
                    // What the result keeps alive: the check's share of the evaluation's live heap.
                    var kept = GC.GetTotalMemory(forceFullCollection: true) - liveBefore;
                    GC.KeepAlive(result);
                    return (Time: time, Allocated: allocated, Kept: kept, Findings: result.Findings.Count);
                }).OrderBy(r => r.Time).ToList();
                return (check.Definition.Id, runs[2].Time, runs[2].Allocated, runs[2].Kept, runs[2].Findings);
            }).OrderByDescending(c => c.Time).ToList();
            Console.WriteLine("         CPU   allocated   result  findings");
            foreach (var (id, time, allocated, kept, findings) in perCheckTimes)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {time.TotalMilliseconds,8:F1} ms {allocated / 1e6,7:F1} MB {kept / 1e6,6:F1} MB {findings,8:N0}  {id}"));
            }
        }
        GC.KeepAlive(snapshot);
        return median < Target ? 0 : 1;
    }

    /// <summary>The figures of one timed evaluation (no reference to its results: see <see cref="TimeOne"/>).</summary>
    private sealed record Round(TimeSpan Wall, TimeSpan Cpu, long Allocated, TimeSpan GcPause, int[] Collections);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (int Findings, TimeSpan Time) WarmUp(Func<Evaluation> evaluate)
    {
        var watch = Stopwatch.StartNew();
        var result = evaluate();
        watch.Stop();
        return (result.Results.Sum(r => r.Findings.Count), watch.Elapsed);
    }

    /// <summary>Times one evaluation; its results go to <paramref name="held"/> alone, so that the caller holds no stale reference to an earlier round's.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Round TimeOne(Func<Evaluation> evaluate, Process process, Evaluation?[] held)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var pauseBefore = GC.GetTotalPauseDuration();
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        held[0] = evaluate();
        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return new Round(watch.Elapsed, cpu, GC.GetTotalAllocatedBytes(precise: true) - before, GC.GetTotalPauseDuration() - pauseBefore,
            [GC.CollectionCount(0) - collectionsBefore[0], GC.CollectionCount(1) - collectionsBefore[1], GC.CollectionCount(2) - collectionsBefore[2]]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Summary(Evaluation?[] held)
    {
        var result = held[0]!;
        return string.Create(CultureInfo.InvariantCulture,
            $"{result.Results.Sum(r => r.Findings.Count):N0} ({result.Results.Count(r => r.Status == CheckStatus.Fail)} checks fail, {result.Results.Count(r => r.Status == CheckStatus.Pass)} pass, {result.Results.Count(r => r.Status == CheckStatus.Unknown)} unknown)");
    }

    /// <summary>
    /// A SHA-256 over every result and finding in order (check, status, notes; each finding's every field): two versions of
    /// Vigil that print the same fingerprint gave the same findings, word for word, in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static string Fingerprint(Evaluation?[] held)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string? text) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes((text ?? "\u0000") + "\u0001"));
        foreach (var result in held[0]!.Results)
        {
            Add(result.CheckId);
            Add(result.Status.ToString());
            Add(string.Join("\u0002", result.Notes ?? []));
            foreach (var f in result.Findings)
            {
                Add(f.Status.ToString());
                Add(f.ResourceType);
                Add(f.ResourceId);
                Add(f.AccountId);
                Add(f.Subject);
                Add(f.Reason);
                Add(f.Remediation);
                Add(f.ObservedAt?.ToString("O", CultureInfo.InvariantCulture));
                Add(f.Exception?.ToString());
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static long LiveHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static string AccountId(int a) => $"acc{a:D4}aaaaaaaaaaaaaaaaaaaaaaaaaaaa"[..32];

    /// <summary>Members 0..89,999 of the org map to people (a person may hold several memberships); the rest are unidentified or bots.</summary>
    private static List<Person> BuildPeople() =>
        [.. Enumerable.Range(0, People).Select(p => new Person($"person{p:D6}@example.com", $"Person {p}",
            p % 97 == 0 ? PersonStatus.Offboarded : PersonStatus.Active,
            (p % 10) switch { 0 => "sre", 1 => "security", 2 => "finance", _ => "engineer" },
            p % 97 == 0 ? new DateOnly(2026, 9, 30) : null,
            p % 50 == 0 ? [$"p{p:D6}@old-example.com"] : [],
            $"person{p / 100 * 100:D6}@example.com"))];

    public static Snapshot BuildSnapshot()
    {
        var accounts = Enumerable.Range(0, Accounts).Select(a => new CloudflareAccount(AccountId(a), $"Account {a}", a % 4 != 0, "bench",
            a % 5 == 0 ? [new SsoConnector($"sso{a}", "example.com", true, "verified")] : null)).ToList();
        var roles = accounts.SelectMany(a => new[]
        {
            new AccountRole($"{a.Id}-super", a.Id, "Super Administrator - All Privileges", "Can edit any Cloudflare setting", ["*"]),
            new AccountRole($"{a.Id}-admin", a.Id, "Administrator", "Can access the full account", ["zones:write", "dns:write"]),
            new AccountRole($"{a.Id}-read", a.Id, "Administrator Read Only", "Can read everything", ["zones:read", "dns:read"]),
            new AccountRole($"{a.Id}-dns", a.Id, "DNS", "Can edit DNS", ["dns:write"]),
            new AccountRole($"{a.Id}-billing", a.Id, "Billing", "Can edit billing", ["billing:write"]),
        }).ToList();
        var members = new List<AccountMember>(Memberships);
        for (var m = 0; m < Memberships; m++)
        {
            var account = AccountId(m % Accounts);
            var slot = m / Accounts;
            var (roleId, roleName) = slot switch
            {
                < 3 => ("super", "Super Administrator - All Privileges"),
                _ when m % 17 == 0 => ("admin", "Administrator"),
                _ when m % 5 == 0 => ("dns", "DNS"),
                _ when m % 11 == 0 => ("billing", "Billing"),
                _ => ("read", "Administrator Read Only"),
            };
            var email = (m % 100) switch
            {
                99 => $"contractor{m:D6}@agency.example",
                98 => $"bot{m % 200}@automation.example",
                _ => $"person{m % People:D6}@example.com",
            };
            var pending = m % 40 == 39;
            members.Add(new AccountMember($"mem{m:D7}", account, pending ? null : $"user{m:D7}", email, pending ? null : "First", pending ? null : "Last",
                pending ? MembershipStatus.Pending : MembershipStatus.Accepted, pending ? null : m % 13 != 0,
                [new MemberRole($"{account}-{roleId}", roleName)],
                m % 50 == 0 ? [new MemberPolicy($"pol{m}", "allow", ["Zone Read", "DNS Write"], ["all zones"], Scopes: [new PolicyScope(PolicyScope.AllZones, account)])] : [],
                FirstSeenAt: TakenAt.AddDays(-(m % 30))));
        }

        var tokens = accounts.SelectMany((a, ai) => Enumerable.Range(0, TokensPerAccount).Select(t => new AccountToken($"tok{ai:D2}{t:D4}", a.Id, $"token {t}", "active",
            TakenAt.AddDays(-400), TakenAt.AddDays(-100), null, t % 3 == 0 ? null : TakenAt.AddDays(200), t % 4 == 0 ? null : TakenAt.AddDays(-(t % 120)),
            t % 2 == 0 ? ["203.0.113.0/24"] : [], [], t % 7 == 0 ? $"person{t * 97:D6}@example.com" : $"person{t + 1:D6}@example.com",
            [new TokenPolicy($"tp{t}", "allow", ["Zone Read"], [$"com.cloudflare.api.account.{a.Id}"])]))).ToList();

        var zones = new List<Zone>(Zones);
        var records = new List<DnsRecord>(Zones * DnsRecordsPerZone);
        for (var z = 0; z < Zones; z++)
        {
            var plan = (z % 10) switch { 0 => "enterprise", 1 or 2 => "business", 3 or 4 or 5 => "pro", _ => "free" };
            var id = $"zone{z:D6}bbbbbbbbbbbbbbbbbbbbbbbbbb"[..32];
            var name = $"site{z}.example";
            var security = new ZoneSecurity(
                Ssl: z % 5 == 0 ? "flexible" : "strict",
                MinTlsVersion: z % 6 == 0 ? "1.0" : "1.2",
                AlwaysUseHttps: z % 7 == 0 ? "off" : "on",
                Hsts: new HstsPolicy(z % 2 == 0, z % 4 == 0 ? 86_400 : 31_536_000, true, false),
                SecurityLevel: z % 500 == 0 ? "under_attack" : "medium",
                LegacyWaf: "off",
                DnssecStatus: z % 3 == 0 ? "disabled" : "active",
                Entrypoints: new Dictionary<string, PhaseEntrypoint?>
                {
                    [RulesetPhases.ManagedWaf] = z % 8 == 0 ? null : new PhaseEntrypoint(RulesetPhases.ManagedWaf, $"rsm{z}",
                        [new RulesetRule($"rm{z}", "execute", true, ManagedRulesets.CloudflareManaged, false, "Cloudflare Managed Ruleset", Expression: "true")]),
                    [RulesetPhases.CustomFirewall] = z % 3 == 0 ? null : new PhaseEntrypoint(RulesetPhases.CustomFirewall, $"rsc{z}",
                        [
                            new RulesetRule($"rc{z}a", "block", true, null, false, "Block admin probes", Expression: "http.request.uri.path contains \"/wp-admin\""),
                            new RulesetRule($"rc{z}b", "skip", true, null, false, "Skip WAF for monitoring", Expression: "ip.src eq 198.51.100.7",
                                Skip: new SkipParameters(false, [], [RulesetPhases.ManagedWaf], [], new Dictionary<string, IReadOnlyList<string>>())),
                        ]),
                    [RulesetPhases.ConfigSettings] = null,
                    [RulesetPhases.RateLimit] = z % 4 == 0 ? null : new PhaseEntrypoint(RulesetPhases.RateLimit, $"rsr{z}",
                        [new RulesetRule($"rr{z}", "block", true, null, false, "Rate limit login", Expression: "http.request.uri.path eq \"/login\"")]),
                },
                SslPageRules: z % 9 == 0 ? [new PageRuleSsl($"pr{z}", $"*{name}/legacy/*", "flexible", "active")] : [],
                HostnameMinTls: plan == "free" ? null : z % 11 == 0 ? [new HostnameSetting($"api.{name}", "1.0", "active")] : [],
                Features: new ZoneFeatures
                {
                    Settings = new Dictionary<string, string>
                    {
                        ["tls_1_3"] = z % 9 == 0 ? "off" : "on",
                        ["automatic_https_rewrites"] = "on",
                        ["browser_check"] = z % 12 == 0 ? "off" : "on",
                        ["security_level"] = z % 500 == 0 ? "under_attack" : "medium",
                        ["development_mode"] = z % 250 == 0 ? "on" : "off",
                        ["email_obfuscation"] = "on",
                    },
                    DnsRecordCount = DnsRecordsPerZone,
                    UniversalSslEnabled = z % 100 != 0,
                    AuthenticatedOriginPullsEnabled = z % 2 == 0,
                    UnderAttackSince = z % 500 == 0 ? TakenAt.AddDays(-(z % 1000 == 0 ? 10 : 2)) : null,
                    BotManagement = plan == "free" ? new BotManagementConfig(FightMode: z % 3 != 0) : new BotManagementConfig(SbfmDefinitelyAutomated: z % 3 == 0 ? "allow" : "block"),
                    LogpushJobs = plan == "enterprise"
                        ? [new LogpushJob($"lp{z}", "requests", "http_requests", z % 20 != 0, "", "s3", TakenAt.AddMinutes(-5), null, null)]
                        : null,
                    CertificatePacks = z % 100 == 0 ? [] : [new CertificatePack($"cp{z}", "universal", "active", (z % 3) switch { 0 => "lets_encrypt", 1 => "google", _ => "ssl_com" }, [name, "*." + name])],
                });
            zones.Add(new Zone(id, name, AccountId(z % Accounts), "active", false, $"{plan} plan", security, "full", plan));
            records.AddRange(ZoneRecords(z, id, name));
        }

        var accountRulesets = accounts.Select(a => new AccountRulesets(a.Id, new Dictionary<string, PhaseEntrypoint?>
        {
            [RulesetPhases.ManagedWaf] = null,
            [RulesetPhases.CustomFirewall] = null,
        })).ToList();
        var accountLogpush = accounts.Select((a, i) => new AccountLogpush(a.Id, i % 2 == 0 ? [] : [new LogpushJob($"alp{i}", "audit", "audit_logs", true, "", "r2", TakenAt.AddHours(-1), null, null)])).ToList();
        return new Snapshot("bench-evaluation", TakenAt, TakenAt, TakenAt, accounts, roles, members, zones, [], accountRulesets, tokens, records, accountLogpush);
    }

    /// <summary>20 records: most zones send mail and are compliant; every few zones miss SPF, DMARC or CAA, expose a private address, a wildcard or a hosting CNAME.</summary>
    private static IEnumerable<DnsRecord> ZoneRecords(int z, string zoneId, string zone)
    {
        var n = 0;
        DnsRecord R(string type, string name, string content, bool? proxied = null, int? priority = null, CaaData? caa = null) =>
            new($"{zoneId[..24]}{n++:D8}", zoneId, type, name == "@" ? zone : $"{name}.{zone}", content, proxied, 1, priority, caa, proxied is not null);
        yield return R("A", "@", $"203.0.113.{z % 250 + 1}", proxied: true);
        yield return R("AAAA", "@", "2001:db8::1", proxied: true);
        yield return R("CNAME", "www", zone, proxied: z % 10 != 0);
        yield return R("A", "api", $"198.51.100.{z % 250 + 1}", proxied: true);
        yield return R("A", "origin", z % 25 == 0 ? "10.0.0.5" : $"192.0.2.{z % 250 + 1}", proxied: false);
        yield return R("CNAME", "assets", z % 40 == 0 ? $"site{z}.s3-website-us-east-1.amazonaws.com" : $"cdn.{zone}", proxied: true);
        yield return R("CNAME", "docs", z % 60 == 0 ? "acme.github.io" : $"www.{zone}", proxied: true);
        yield return R("MX", "@", $"mx1.mail.example", priority: 10);
        yield return R("MX", "@", $"mx2.mail.example", priority: 20);
        if (z % 15 != 0)
        {
            yield return R("TXT", "@", "\"v=spf1 include:_spf.mail.example -all\"");
        }
        else
        {
            yield return R("TXT", "@", "\"google-site-verification=abc\"");
        }
        yield return R("TXT", "_dmarc", z % 8 == 0 ? "\"v=DMARC1; p=none\"" : "\"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"");
        yield return z % 6 == 0
            ? R("TXT", "status", "\"ok\"")
            : R("CAA", "@", "0 issue \"letsencrypt.org\"", caa: new CaaData(0, "issue", "letsencrypt.org"));
        yield return R("CAA", "@", "0 issue \"pki.goog\"", caa: new CaaData(0, "issue", "pki.goog"));
        yield return R("CAA", "@", "0 iodef \"mailto:security@example.com\"", caa: new CaaData(0, "iodef", "mailto:security@example.com"));
        yield return R("A", z % 30 == 0 ? "*" : "app", $"203.0.113.{z % 200 + 2}", proxied: true);
        yield return R("CNAME", "shop", z % 70 == 0 ? "shops.myshopify.com" : $"www.{zone}", proxied: true);
        yield return R("A", "vpn", z % 35 == 0 ? "100.64.1.1" : $"198.51.100.{z % 200 + 3}", proxied: false);
        yield return R("TXT", "_acme-challenge", "\"token\"");
        yield return R("A", "status", $"203.0.113.{z % 200 + 4}", proxied: true);
        yield return R("NS", "sub", "ns1.other-dns.example");
    }
}
