using Microsoft.Data.Sqlite;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// The store under a hostile operator, as real processes: two syncs at once, kill -9, Ctrl+C and SIGTERM, a deleted key
/// file, an emptied or damaged database and a read-only home.
/// </summary>
public sealed class StoreHardeningTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";

    [Fact]
    public async Task A_second_sync_or_demo_refuses_while_one_runs_and_a_killed_run_lists_as_failed_at_once()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        sim.Faults.Add(new FaultRule { Kind = FaultKind.Slow, Delay = TimeSpan.FromSeconds(2) });

        using var first = cli.Start("sync");
        var runId = await WaitForRunningAsync(cli, first);

        var second = (await cli.RunAsync("sync", "--format", "json")).ShouldExit(1);
        Assert.Contains("another sync is running", second.Stderr);
        Assert.Contains(runId, second.Stderr);
        Assert.Contains($"process {first.Process.Id} on {Environment.MachineName}", second.Stderr);
        Assert.Contains("started at ", second.Stderr);
        Assert.Equal("", second.Stdout);
        var demo = (await cli.RunAsync("demo")).ShouldExit(1);
        Assert.Contains("another sync is running", demo.Stderr);
        Assert.Equal(1L, Scalar(cli, "SELECT COUNT(*) FROM sync_runs;"));

        first.Signal("KILL");
        await first.Process.WaitForExitAsync();
        var runs = (await cli.RunAsync("runs")).ShouldExit(0);
        var row = Assert.Single(runs.Stdout.Split('\n'), l => l.Contains(runId));
        Assert.Contains("failed", row);
        Assert.Contains("interrupted", row);
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_mid_sync_cancels_the_run_exits_128_plus_the_signal_and_keeps_nothing_half_written(string signal, int exitCode)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        sim.Faults.Add(new FaultRule { Kind = FaultKind.Slow, Delay = TimeSpan.FromSeconds(2) });

        using var sync = cli.Start("sync", "--format", "json");
        var runId = await WaitForRunningAsync(cli, sync);
        sync.Signal(signal);

        var result = (await sync.WaitAsync()).ShouldExit(exitCode);
        Assert.Contains("vigil: cancelled; nothing half-written was kept", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain("Unhandled exception", result.Output);
        Assert.Equal("cancelled", Scalar(cli, $"SELECT status FROM sync_runs WHERE id = '{runId}';"));
        Assert.Equal(0L, Scalar(cli, $"SELECT COUNT(*) FROM stage_commits WHERE run_id = '{runId}';"));
        var runs = (await cli.RunAsync("runs")).ShouldExit(0);
        Assert.Contains("cancelled", Assert.Single(runs.Stdout.Split('\n'), l => l.Contains(runId)));
    }

    [Fact]
    public async Task A_deleted_key_file_is_not_replaced_while_credentials_depend_on_it()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        var keyFile = Path.Combine(cli.Home, "master.key");
        File.Delete(keyFile);

        var sync = (await cli.RunAsync("sync")).ShouldExit(1);
        Assert.Contains($"the key file {keyFile} is missing", sync.Stderr);
        Assert.Contains("VIGIL_MASTER_KEY", sync.Stderr);
        Assert.False(File.Exists(keyFile), "a new key was created over the missing one");
        (await cli.RunAsync("connect", "cloudflare", "--name", "second", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(1);
        Assert.False(File.Exists(keyFile));
        Assert.Equal(0L, Scalar(cli, "SELECT COUNT(*) FROM sync_runs;"));

        // Reading needs no key, and removing the last connection lets a new key be made for a new credential.
        Assert.Contains("acme", (await cli.RunAsync("connections", "list")).ShouldExit(0).Stdout);
        (await cli.RunAsync("connections", "remove", "acme")).ShouldExit(0);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        Assert.True(File.Exists(keyFile));
    }

    [Fact]
    public async Task An_empty_database_is_refused_unless_the_home_is_new()
    {
        using var used = new CliProcess();
        File.WriteAllText(Path.Combine(used.Home, "master.key"), Convert.ToBase64String(new byte[32]));
        File.WriteAllBytes(Path.Combine(used.Home, "vigil.db"), []);

        var refused = (await used.RunAsync("runs")).ShouldExit(1);
        Assert.Contains("is empty (0 bytes)", refused.Stderr);
        Assert.Contains("master.key", refused.Stderr);
        Assert.Equal(0, new FileInfo(Path.Combine(used.Home, "vigil.db")).Length);

        using var fresh = new CliProcess();
        File.WriteAllBytes(Path.Combine(fresh.Home, "vigil.db"), []);
        (await fresh.RunAsync("runs")).ShouldExit(0);
        Assert.True(new FileInfo(Path.Combine(fresh.Home, "vigil.db")).Length > 0);
    }

    [Fact]
    public async Task A_damaged_page_stops_the_sync_with_a_clear_message_and_leaves_the_file_untouched()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        (await cli.RunAsync("sync")).ShouldExit(0);
        var database = Path.Combine(cli.Home, "vigil.db");
        Assert.False(File.Exists(database + "-wal"), "the sync left an uncheckpointed WAL");
        CorruptBTreePageNearTheMiddle(database);
        var damaged = File.ReadAllBytes(database);

        var sync = (await cli.RunAsync("sync")).ShouldExit(1);

        Assert.Contains($"the Vigil database {database} is damaged", sync.Stderr);
        Assert.Contains("Restore vigil.db from a backup", sync.Stderr);
        Assert.DoesNotContain("   at ", sync.Output);
        Assert.Equal(damaged, File.ReadAllBytes(database));
    }

    [Fact]
    public async Task On_a_read_only_home_reading_commands_work_and_writing_ones_say_read_only()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        (await cli.RunAsync("staff", "import", Path.Combine(AppContext.BaseDirectory, "demo-staff.csv"))).ShouldExit(0);
        (await cli.RunAsync("sync")).ShouldExit(0);
        var before = Directory.GetFiles(cli.Home).ToDictionary(f => f, File.ReadAllBytes);

        // The mount really is read-only, for root too.
        var probe = (await cli.RunOnReadOnlyHomeAsync("connections", "list")).ShouldExit(0);
        Assert.Contains("acme", probe.Stdout);
        Assert.Contains("dana.okafor@acme-analytics.io", (await cli.RunOnReadOnlyHomeAsync("staff", "list")).ShouldExit(0).Stdout);
        Assert.Contains("complete", (await cli.RunOnReadOnlyHomeAsync("runs")).ShouldExit(0).Stdout);
        var checks = (await cli.RunOnReadOnlyHomeAsync("checks", "--format", "json")).ShouldExit(3);
        Assert.Contains("\"snapshot_id\"", checks.Stdout);
        Assert.Contains("not stored", checks.Stderr);

        foreach (var write in new[] { new[] { "sync" }, ["connections", "remove", "acme"], ["map", "x@example.com", "--service-account", "bot"] })
        {
            var refused = (await cli.RunOnReadOnlyHomeAsync(write)).ShouldExit(1);
            Assert.Contains("read-only", refused.Stderr);
            Assert.DoesNotContain("   at ", refused.Output);
        }

        Assert.Equal(before.Keys.Order(), Directory.GetFiles(cli.Home).Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    private static async Task<CliProcess> ConnectedAsync(CloudflareSimulator sim)
    {
        var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        return cli;
    }

    private static async Task<string> WaitForRunningAsync(CliProcess cli, RunningCli process)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.Process.HasExited)
            {
                Assert.Fail($"vigil exited before its run was seen: {(await process.WaitAsync()).Output}");
            }
            if (Scalar(cli, "SELECT id FROM sync_runs WHERE status = 'running';") is string id)
            {
                return id;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the sync never started its run");
    }

    private static object? Scalar(CliProcess cli, string sql)
    {
        var path = Path.Combine(cli.Home, "vigil.db");
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return null;
        }
        // Read-write mode although it only reads: a read-only connection cannot take part in WAL's shared memory as a peer.
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadWrite;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            return command.ExecuteScalar();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table"))
        {
            return null; // the schema is still being created
        }
    }

    // Overwrites one whole b-tree page (table or index, leaf or interior) near the middle of the file with garbage, as a
    // failing disk or a stray write would: its page type becomes invalid.
    private static void CorruptBTreePageNearTheMiddle(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pageSize = (bytes[16] << 8) | bytes[17];
        pageSize = pageSize == 1 ? 65536 : pageSize;
        var pages = bytes.Length / pageSize;
        Assert.True(pages > 8, $"the database has only {pages} pages");
        for (var page = pages / 2; page < pages; page++)
        {
            var offset = page * pageSize;
            if (bytes[offset] is 0x02 or 0x05 or 0x0A or 0x0D)
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
                file.Position = offset;
                file.Write(Enumerable.Repeat((byte)0x5A, pageSize).ToArray());
                return;
            }
        }
        Assert.Fail("no b-tree page in the second half of the database");
    }
}
