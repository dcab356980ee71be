using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vigil.Simulation.ContractTests.OfficialSdk;

/// <summary>
/// Cloudflare's official TypeScript SDK (npm "cloudflare", pinned in tests/sdk-check/package.json) lists accounts,
/// members and zones from the simulator with its own auto-pagination and must see exactly the scenario's objects.
/// </summary>
public sealed class OfficialSdkTests
{
    private const int SdkDefaultPerPage = 20;
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Official_sdk_lists_every_account_member_and_zone_across_pages()
    {
        var scenario = LargeScenario();
        var expectedMembers = scenario.Accounts.SelectMany(a => a.Members).Select(m => m.Id).ToList();
        var expectedZones = scenario.Accounts.SelectMany(a => a.Zones).Select(z => z.Id).ToList();
        Assert.True(scenario.Accounts.Count > 50 && expectedZones.Count > 50 && scenario.Accounts.Max(a => a.Members.Count) > 50, "the scenario must need several pages of each list");

        // The SDK neither paces nor waits: the per-address limit would answer its bursts with 429, which is not under test here.
        await using var simulator = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { PerIpRequestsPerSecond = 0 });
        var run = await RunSdkCheckAsync(simulator.BaseUrl, ScenarioGenerator.AllReadToken);
        Assert.True(run.ExitCode == 0, $"node check.mjs exited with {run.ExitCode}. stderr: {run.Stderr} stdout: {run.Stdout}");
        using var json = JsonDocument.Parse(run.Stdout);
        var result = json.RootElement;

        Assert.Equal(scenario.Accounts.Count, result.GetProperty("accounts").GetInt32());
        Assert.Equal(expectedMembers.Count, result.GetProperty("members").GetInt32());
        Assert.Equal(expectedZones.Count, result.GetProperty("zones").GetInt32());
        var checksums = result.GetProperty("ids_sha256");
        Assert.Equal(Sha256OfSortedIds(scenario.Accounts.Select(a => a.Id)), checksums.GetProperty("accounts").GetString());
        Assert.Equal(Sha256OfSortedIds(expectedMembers), checksums.GetProperty("members").GetString());
        Assert.Equal(Sha256OfSortedIds(expectedZones), checksums.GetProperty("zones").GetString());

        // The SDK asks for one page past the last non-empty one (REFERENCE.md §4); the simulator answered it, or the check
        // would have failed. Counting requests pins that behaviour down.
        Assert.Equal(SdkRequests(scenario.Accounts.Count), simulator.Stats.CountFor("GET /accounts"));
        Assert.Equal(SdkRequests(expectedZones.Count), simulator.Stats.CountFor("GET /zones"));
        Assert.Equal(scenario.Accounts.Sum(a => SdkRequests(a.Members.Count)), simulator.Stats.CountFor("GET /accounts/{account_id}/members"));
    }

    [Fact]
    public async Task Official_sdk_never_ends_accounts_for_an_account_owned_token_and_the_check_stops_it()
    {
        // Cloudflare answers every page of GET /accounts with page 1 for account-owned tokens (cloudflare-python#2584);
        // the SDK asks for the next page whenever a page is non-empty, so it would loop. The check must fail fast on the
        // repeated id instead of hanging CI, which also proves the simulator imitates the quirk.
        var scenario = ScenarioGenerator.Generate(accounts: 3, members: 3, zones: 3, seed: 11);
        const string accountToken = "cfat_sdk0check0account0token000000000000000000";
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "7f000000000000000000000000000001",
            Value = accountToken,
            Kind = TokenKind.Account,
            AccountId = scenario.Accounts[0].Id,
            Permissions = [.. PermissionGroups.AllRead.Select(g => new TokenPermission { Group = g })],
        });
        await using var simulator = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { PerIpRequestsPerSecond = 0 });

        var run = await RunSdkCheckAsync(simulator.BaseUrl, accountToken);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"accounts: id {scenario.Accounts[0].Id} came back on a later page", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, simulator.Stats.CountFor("GET /accounts"));
    }

    /// <summary>
    /// Generated organisation with more than one SDK page of accounts and zones, topped up so one account also has more
    /// than one page of members (the generator spreads members evenly over accounts).
    /// </summary>
    private static Scenario LargeScenario()
    {
        var scenario = ScenarioGenerator.Generate(accounts: 53, members: 106, zones: 61, seed: 7);
        var account = scenario.Accounts[0];
        for (var i = account.Members.Count; i <= 57; i++)
        {
            var email = $"sdk.check{i}@generated-org.example";
            account.Members.Add(new ScenarioMember
            {
                Id = $"5d{i:x30}",
                Email = email,
                User = new MemberUser { Id = $"6e{i:x30}", Email = email, FirstName = "Sdk", LastName = $"Check {i}", TwoFactorAuthenticationEnabled = true },
                Roles = [account.Roles[0].Id],
            });
        }

        scenario.Validate();
        return scenario;
    }

    /// <summary>Requests the SDK's page-number auto-pagination makes for <paramref name="items"/> items: every page, then one empty page.</summary>
    private static int SdkRequests(int items) => ((items + SdkDefaultPerPage - 1) / SdkDefaultPerPage) + 1;

    private static string Sha256OfSortedIds(IEnumerable<string> ids) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', ids.Order(StringComparer.Ordinal)))));

    private sealed record SdkCheckRun(int ExitCode, string Stdout, string Stderr);

    private static async Task<SdkCheckRun> RunSdkCheckAsync(string baseUrl, string token)
    {
        var directory = Path.Combine(RepositoryLayout.RepositoryRoot(), "tests", "sdk-check");
        Assert.True(IsOnPath("node") && IsOnPath("npm"),
            "Node.js 20 or later with npm is needed for this test and is not installed: install it (e.g. `apt-get install nodejs npm`, "
            + "or from https://nodejs.org), then run ./test again; it installs Cloudflare's SDK by itself.");
        Assert.True(
            Directory.Exists(Path.Combine(directory, "node_modules", "cloudflare")),
            $"Cloudflare's SDK is not installed: run ./test (it installs it), or tests/sdk-check/install ({directory}).");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("check.mjs");
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CLOUDFLARE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        // The token goes through the environment, never the command line, where any process listing would show it.
        start.Environment["CF_BASE_URL"] = baseUrl;
        start.Environment["CF_API_TOKEN"] = token;
        start.Environment["CF_DEADLINE_MS"] = ((int)CheckTimeout.TotalMilliseconds - 5_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var process = StartNode(start);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CheckTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"node check.mjs did not finish within {CheckTimeout.TotalSeconds:0} s. stderr: {await stderr}");
        }

        return new SdkCheckRun(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    private static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)) || File.Exists(Path.Combine(directory, program + ".exe")));

    private static Process StartNode(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Node.js (`node`, v20 or later) must be on PATH to run the official SDK check.", e);
        }
    }
}
