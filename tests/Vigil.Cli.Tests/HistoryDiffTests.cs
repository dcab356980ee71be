using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// `vigil history` and `vigil diff` on the demo company: two syncs with a member removed and a zone setting changed in
/// the simulator between them; the diff names exactly those changes and the history shows both evaluations.
/// </summary>
public sealed class HistoryDiffTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";
    private const string Jordan = "jordan.blake@acme-analytics.io";
    private const string JordanMemberId = "6e3f3880cebaa07367a1f4781ddfc04a";
    private const string MinTls = "cloudflare.zone-min-tls-1-2";

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.Postgres)]
    public async Task Diff_names_exactly_the_member_removed_and_the_setting_changed_and_history_shows_both_evaluations(string engine)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        await using var database = await cli.UseAsync(engine);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);

        Assert.Contains("No evaluation is stored yet", (await cli.RunAsync("history")).ShouldExit(0).Stdout);
        var first = await SyncAsync(cli);
        Assert.NotNull(sim.RemoveMember(DemoCredentials.ProductionAccountId, JordanMemberId));
        var status = sim.Scenario.Accounts.SelectMany(a => a.Zones).Single(z => z.Name == "acme-status.io");
        Assert.Equal("1.2", status.Settings.MinTlsVersion);
        status.Settings.MinTlsVersion = "1.0";
        var second = await SyncAsync(cli);

        using (var diff = JsonDocument.Parse((await cli.RunAsync("diff", first, second, "--format", "json")).ShouldExit(0).Stdout))
        {
            var root = diff.RootElement;
            Assert.Equal(first, root.GetProperty("from").GetProperty("snapshot_id").GetString());
            Assert.Equal(second, root.GetProperty("to").GetProperty("snapshot_id").GetString());
            var memberships = root.GetProperty("memberships");
            var removed = Assert.Single(memberships.GetProperty("removed").EnumerateArray());
            Assert.Equal(Jordan, removed.GetProperty("email").GetString());
            Assert.Equal(DemoCredentials.ProductionAccountId, removed.GetProperty("account_id").GetString());
            Assert.Equal(JordanMemberId, removed.GetProperty("member_id").GetString());
            Assert.Empty(memberships.GetProperty("added").EnumerateArray());
            Assert.Empty(memberships.GetProperty("re_roled").EnumerateArray());
            Assert.Empty(memberships.GetProperty("two_factor_changed").EnumerateArray());
            var zones = root.GetProperty("zones");
            Assert.Empty(zones.GetProperty("added").EnumerateArray());
            Assert.Empty(zones.GetProperty("removed").EnumerateArray());
            var changed = Assert.Single(zones.GetProperty("settings_changed").EnumerateArray());
            Assert.Equal("acme-status.io", changed.GetProperty("zone").GetString());
            var setting = Assert.Single(changed.GetProperty("settings").EnumerateArray());
            Assert.Equal(("min_tls_version", "1.2", "1.0"),
                (setting.GetProperty("setting").GetString(), setting.GetProperty("old").GetString(), setting.GetProperty("new").GetString()));
        }

        var text = (await cli.RunAsync("diff", first, second)).ShouldExit(0).Stdout;
        Assert.Contains($"Memberships removed (1):\n  {Jordan} in Acme Analytics ({DemoCredentials.ProductionAccountId})", text.Replace("\r", ""));
        Assert.Contains("acme-status.io: min_tls_version 1.2 -> 1.0", text);
        Assert.Contains("Memberships added (0):\n  none", text.Replace("\r", ""));
        Assert.Contains("No change in memberships or zones.", (await cli.RunAsync("diff", second, second)).ShouldExit(0).Stdout);

        using (var history = JsonDocument.Parse((await cli.RunAsync("history", "--check", MinTls, "--format", "json")).ShouldExit(0).Stdout))
        {
            // A sync evaluates as each stage commits (access, then infra): two stored evaluations per sync, oldest first.
            var rows = history.RootElement.EnumerateArray().ToList();
            Assert.Equal([first, first, second, second], rows.Select(r => r.GetProperty("snapshot_id").GetString()));
            Assert.All(rows, r => Assert.Equal(MinTls, r.GetProperty("check_id").GetString()));
            // The first evaluation judged the access data alone (no zone read yet): the zone check could not judge anything.
            Assert.Equal(("unknown", 0, 0), (rows[0].GetProperty("status").GetString(), rows[0].GetProperty("failing").GetInt32(), rows[0].GetProperty("passing").GetInt32()));
            Assert.All(rows.Skip(1), r => Assert.Equal("fail", r.GetProperty("status").GetString()));
            // The second sync's first evaluation judged its new access data with the zones still as the first sync read them;
            // after its zones were read, acme-status.io went from passing to failing: one more failing and one fewer passing finding.
            Assert.Equal(rows[1].GetProperty("failing").GetInt32(), rows[2].GetProperty("failing").GetInt32());
            Assert.Equal(rows[1].GetProperty("failing").GetInt32() + 1, rows[3].GetProperty("failing").GetInt32());
            Assert.Equal(rows[1].GetProperty("passing").GetInt32() - 1, rows[3].GetProperty("passing").GetInt32());
            Assert.Equal(rows.Select(r => r.GetProperty("evaluated_at").GetDateTimeOffset()).Order(), rows.Select(r => r.GetProperty("evaluated_at").GetDateTimeOffset()));
        }
        using (var all = JsonDocument.Parse((await cli.RunAsync("history", "--format", "json")).ShouldExit(0).Stdout))
        {
            var rows = all.RootElement.EnumerateArray().ToList();
            var checks = rows.Select(r => r.GetProperty("check_id").GetString()).Distinct().Count();
            Assert.True(checks > 30, $"only {checks} checks in the history");
            Assert.Equal(4 * checks, rows.Count);
        }
        var table = (await cli.RunAsync("history", "--check", MinTls)).ShouldExit(0).Stdout;
        Assert.Contains(first, table);
        Assert.Contains(second, table);

        var unknownCheck = (await cli.RunAsync("history", "--check", "cloudflare.no-such-check")).ShouldExit(1);
        Assert.Contains("there is no check 'cloudflare.no-such-check'", unknownCheck.Stderr);
        var unknownSnapshot = (await cli.RunAsync("diff", first, "no-such-run")).ShouldExit(1);
        Assert.Contains("there is no snapshot 'no-such-run'", unknownSnapshot.Stderr);
        Assert.Equal("", unknownSnapshot.Stdout);
    }

    // --full: the test changes the simulator behind its audit log's back, which an incremental sync would not see.
    private static async Task<string> SyncAsync(CliProcess cli)
    {
        using var sync = JsonDocument.Parse((await cli.RunAsync("sync", "--full", "--format", "json")).ShouldExit(0).Stdout);
        return sync.RootElement.GetProperty("snapshot_id").GetString()!;
    }
}
