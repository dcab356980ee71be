using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// The CLI on PostgreSQL (VIGIL_DATABASE): the demo gives the same findings as on SQLite, a SQLite home moves over with
/// 'vigil db migrate-to', and several processes share one database safely.
/// </summary>
public sealed class PostgresCliTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";

    [Fact]
    public async Task The_demo_gives_the_same_findings_on_postgresql_as_on_sqlite()
    {
        using var onSqlite = new CliProcess();
        using var onPostgres = new CliProcess();
        await using var database = await onPostgres.UseAsync(Engines.Postgres);

        (await onSqlite.RunAsync("demo")).ShouldExit(0);
        (await onPostgres.RunAsync("demo")).ShouldExit(0);

        Assert.Equal(
            Findings((await onSqlite.RunAsync("checks", "--format", "json")).ShouldExit(3).Stdout),
            Findings((await onPostgres.RunAsync("checks", "--format", "json")).ShouldExit(3).Stdout));

        // Nothing of it went to the SQLite file: the home holds only the key.
        Assert.False(File.Exists(Path.Combine(onPostgres.Home, "vigil.db")));
        await using var admin = await database!.OpenAdminAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM organisations;", admin);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_to_copies_a_sqlite_home_with_every_organisation_and_gives_the_same_findings()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        await using var target = await TestPostgres.CreateAsync();
        (await cli.RunAsync("demo")).ShouldExit(0);
        (await cli.RunAsync("org", "add", "Bravo")).ShouldExit(0);
        (await cli.RunAsync("--org", "Bravo", "connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        (await cli.RunAsync("--org", "Bravo", "sync")).ShouldExit(0);
        // An access review with a decision, a reassignment, a remediate credential and the call it made (then verified):
        // every review table holds rows.
        const string owner = "dana.okafor@acme-analytics.io";
        using var started = JsonDocument.Parse((await cli.RunAsync("--org", "Bravo", "review", "start", "cloudflare", "--owner", owner,
            "--reviewer", "fatima.hassan@acme-analytics.io", "--format", "json")).ShouldExit(0).Stdout);
        var campaign = started.RootElement.GetProperty("campaign_id").GetString()!;
        (await cli.RunAsync("--org", "Bravo", "review", "reassign", campaign, "li.wei@acme-analytics.io", "--to", "fatima.hassan@acme-analytics.io", "--by", owner)).ShouldExit(0);
        (await cli.RunAsync("--org", "Bravo", "review", "decide", campaign, "jordan.blake@acme-analytics.io", "--revoke", "--comment", "left", "--by", owner)).ShouldExit(0);
        cli.With("ACME_REMEDIATE_TOKEN", DemoCredentials.RemediateToken);
        (await cli.RunAsync("--org", "Bravo", "connect", "cloudflare", "--name", "fix", "--purpose", "remediate", "--api-url", sim.BaseUrl, "--token-env", "ACME_REMEDIATE_TOKEN")).ShouldExit(0);
        (await cli.RunAsync("--org", "Bravo", "review", "apply", campaign, "--yes")).ShouldExit(0);
        var reviewBefore = (await cli.RunAsync("--org", "Bravo", "review", "show", campaign, "--format", "json")).ShouldExit(0).Stdout;
        Assert.Contains("\"verified\"", reviewBefore);
        var before = Findings((await cli.RunAsync("checks", "--format", "json")).ShouldExit(3).Stdout);
        var bravoBefore = Findings((await cli.RunAsync("--org", "Bravo", "checks", "--format", "json")).ShouldExit(3).Stdout);
        var runsBefore = (await cli.RunAsync("runs")).ShouldExit(0).Stdout;

        var migrated = (await cli.RunAsync("db", "migrate-to", target.Url)).ShouldExit(0);
        Assert.Contains("evidence bodies matched their SHA-256", migrated.Stdout);
        Assert.Contains("VIGIL_MASTER_KEY", migrated.Stdout);

        cli.With("VIGIL_DATABASE", target.Url);
        Assert.Equal(before, Findings((await cli.RunAsync("checks", "--format", "json")).ShouldExit(3).Stdout));
        Assert.Equal(bravoBefore, Findings((await cli.RunAsync("--org", "Bravo", "checks", "--format", "json")).ShouldExit(3).Stdout));
        Assert.Equal(runsBefore, (await cli.RunAsync("runs")).ShouldExit(0).Stdout);
        Assert.Equal(reviewBefore, (await cli.RunAsync("--org", "Bravo", "review", "show", campaign, "--format", "json")).ShouldExit(0).Stdout);
        Assert.Contains("fix", (await cli.RunAsync("--org", "Bravo", "connections", "list")).ShouldExit(0).Stdout);
        // The sealed credential moved too: the same master key opens it, and a sync on PostgreSQL works.
        (await cli.RunAsync("--org", "Bravo", "connections", "test", "acme")).ShouldExit(0);
        (await cli.RunAsync("--org", "Bravo", "sync")).ShouldExit(0);

        // A second copy into the now non-empty database is refused and changes nothing.
        cli.With("VIGIL_DATABASE", "");
        var again = (await cli.RunAsync("db", "migrate-to", target.Url)).ShouldExit(1);
        Assert.Contains("not empty", again.Stderr + again.Stdout);
    }

    [Fact]
    public async Task Two_processes_sync_two_organisations_at_once_and_two_processes_start_on_a_new_database_at_once()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        await using var database = await cli.UseAsync(Engines.Postgres);

        // Two processes opening the new database together: both succeed, and each migration is applied once.
        var first = cli.Start("org", "list");
        var second = cli.Start("org", "list");
        (await first.WaitAsync()).ShouldExit(0);
        (await second.WaitAsync()).ShouldExit(0);
        await using (var admin = await database!.OpenAdminAsync())
        await using (var versions = new Npgsql.NpgsqlCommand("SELECT COUNT(*) = COUNT(DISTINCT version) FROM schema_migrations;", admin))
        {
            Assert.Equal(true, await versions.ExecuteScalarAsync());
        }

        foreach (var organisation in new[] { "Alpha", "Bravo" })
        {
            (await cli.RunAsync("org", "add", organisation)).ShouldExit(0);
            (await cli.RunAsync("--org", organisation, "connect", "cloudflare", "--name", "cf", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        }

        var alpha = cli.Start("--org", "Alpha", "sync", "--format", "json");
        var bravo = cli.Start("--org", "Bravo", "sync", "--format", "json");
        var alphaRun = JsonDocument.Parse((await alpha.WaitAsync()).ShouldExit(0).Stdout).RootElement;
        var bravoRun = JsonDocument.Parse((await bravo.WaitAsync()).ShouldExit(0).Stdout).RootElement;
        Assert.Equal("complete", alphaRun.GetProperty("status").GetString());
        Assert.Equal("complete", bravoRun.GetProperty("status").GetString());
        Assert.Contains(alphaRun.GetProperty("snapshot_id").GetString()!, (await cli.RunAsync("--org", "Alpha", "runs")).ShouldExit(0).Stdout);
        Assert.DoesNotContain(alphaRun.GetProperty("snapshot_id").GetString()!, (await cli.RunAsync("--org", "Bravo", "runs")).ShouldExit(0).Stdout);
    }

    // Every finding as "check|status|subject|account|reason": what an auditor compares, without run ids or times.
    // Two demos run a minute apart on a loaded machine: a reason that quotes when Vigil first saw something
    // ("first seen pending by Vigil on 2026-11-30 17:04 UTC") differs by that minute and nothing else; so do the ids of
    // the campaign and snapshots its history made (its review, its earlier syncs).
    private static string WithoutClockTimes(string reason) =>
        System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(reason, @"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "DATE UTC"),
            @"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "ID");

    private static IReadOnlyList<string> Findings(string checksJson)
    {
        using var document = JsonDocument.Parse(checksJson);
        return document.RootElement.GetProperty("checks").EnumerateArray()
            .SelectMany(check => check.GetProperty("findings").EnumerateArray().Select(f =>
                $"{check.GetProperty("id").GetString()}|{f.GetProperty("status").GetString()}|{f.GetProperty("subject").GetString()}|" +
                $"{(f.TryGetProperty("account_id", out var account) ? account.ToString() : "")}|{WithoutClockTimes(f.GetProperty("reason").GetString()!)}"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
