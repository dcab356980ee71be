using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// The access-review flow of the README against the simulator's demo company: start, assignment, decisions (one by one
/// and in bulk), refusals, sign-off, and the closed loop: a revocation verified by a later sync after the member was
/// removed, one left unapplied failing cloudflare.review-revocations-applied, and one that comes back.
/// </summary>
public sealed class ReviewFlowTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";
    private const string Owner = "dana.okafor@acme-analytics.io";
    private const string Marcus = "marcus.lindqvist@acme-analytics.io";
    private const string Fatima = "fatima.hassan@acme-analytics.io";
    private const string Jordan = "jordan.blake@acme-analytics.io";
    private const string JordanMemberId = "6e3f3880cebaa07367a1f4781ddfc04a";

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.Postgres)]
    public async Task A_campaign_from_start_to_sign_off_with_revocations_verified_unapplied_and_reappeared(string engine)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        await using var database = await cli.UseAsync(engine);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        (await cli.RunAsync("staff", "import", Path.Combine(AppContext.BaseDirectory, "demo-staff.csv"))).ShouldExit(0);
        (await cli.RunAsync("systems", "add", "cloudflare", "--org-role", "cto", "--org-role", "sre", "--org-role", "engineer", "--org-role", "security")).ShouldExit(0);
        Assert.Contains($"owner {Owner}", (await cli.RunAsync("systems", "add", "cloudflare", "--owner", Owner)).ShouldExit(0).Stdout);
        (await cli.RunAsync("map", "ci-bot@acme-analytics.io", "--service-account", "CI deploy bot owned by the platform team")).ShouldExit(0);
        (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);

        using var started = JsonDocument.Parse((await cli.RunAsync("review", "start", "cloudflare", "--name", "Q4 2026", "--due", "2026-12-31",
            "--reviewer", Fatima, "--format", "json")).ShouldExit(0).Stdout);
        var id = started.RootElement.GetProperty("campaign_id").GetString()!;
        Assert.Equal(27, started.RootElement.GetProperty("items").GetInt32());

        using (var show = await ShowAsync(cli, id))
        {
            var root = show.RootElement;
            Assert.Equal("open", root.GetProperty("status").GetString());
            Assert.Equal(0, root.GetProperty("progress").GetProperty("decided").GetInt32());
            Assert.Equal(27, root.GetProperty("progress").GetProperty("total").GetInt32());
            // The manager from the staff directory; else the owner; the owner's own memberships go to the --reviewer list.
            Assert.Equal(Marcus, Item(root, "priya.raman@acme-analytics.io").GetProperty("reviewer").GetString());
            Assert.Equal(Owner, Item(root, "sam.rivera@rivera-consulting.dev").GetProperty("reviewer").GetString());
            Assert.All(Items(root, Owner), i => Assert.Equal(Fatima, i.GetProperty("reviewer").GetString()));
            var jordan = Item(root, Jordan);
            Assert.Equal("new", jordan.GetProperty("change").GetString());
            Assert.Equal(JsonValueKind.Null, jordan.GetProperty("decision").ValueKind);
            Assert.Equal("none", jordan.GetProperty("verification").GetString());
            Assert.Equal(JsonValueKind.Null, jordan.GetProperty("verified_at").ValueKind);
            Assert.Equal(JsonValueKind.Null, jordan.GetProperty("removed_by").ValueKind);
            Assert.Contains("offboarded", jordan.GetProperty("risk_flags").EnumerateArray().Select(f => f.GetString()));
            Assert.Contains("unidentified", Item(root, "sam.rivera@rivera-consulting.dev").GetProperty("risk_flags").EnumerateArray().Select(f => f.GetString()));
        }

        // Someone who is neither the reviewer nor the owner is refused, with the names of who may.
        var refused = (await cli.RunAsync("review", "decide", id, "priya.raman@acme-analytics.io", "--keep", "--by", "li.wei@acme-analytics.io")).ShouldExit(1);
        Assert.Contains($"only its reviewer {Marcus} or the system owner {Owner} may", refused.Stderr);
        Assert.Contains("needs a comment", (await cli.RunAsync("review", "decide", id, Jordan, "--revoke", "--by", Marcus)).ShouldExit(1).Stderr);

        // Only the owner reassigns, and never to the member themselves.
        Assert.Contains($"only the system owner {Owner} may", (await cli.RunAsync("review", "reassign", id, "li.wei@acme-analytics.io", "--to", Fatima, "--by", Marcus)).ShouldExit(1).Stderr);
        Assert.Contains("own access", (await cli.RunAsync("review", "reassign", id, "li.wei@acme-analytics.io", "--to", "li.wei@acme-analytics.io", "--by", Owner)).ShouldExit(1).Stderr);
        (await cli.RunAsync("review", "reassign", id, "li.wei@acme-analytics.io", "--to", Fatima, "--by", Owner)).ShouldExit(0);

        (await cli.RunAsync("review", "decide", id, Jordan, "--revoke", "--comment", "left on 2026-09-30", "--by", Marcus)).ShouldExit(0);
        (await cli.RunAsync("review", "decide", id, "sofia.alvarez@acme-analytics.io", "--revoke", "--comment", "finance needs no Cloudflare access", "--by", Owner)).ShouldExit(0);
        (await cli.RunAsync("review", "decide", id, "li.wei@acme-analytics.io", "--change-role", "Administrator Read Only", "--role", "DNS",
            "--comment", "least privilege", "--by", Fatima)).ShouldExit(0);

        // Bulk: one bad line stops the whole file.
        var bad = Path.Combine(cli.Home, "bad.csv");
        await File.WriteAllTextAsync(bad, "member_email,account_id,decision,role,comment\npriya.raman@acme-analytics.io,,keep,,\nnoah.kim@acme-analytics.io,,perhaps,,\n");
        var badRun = (await cli.RunAsync("review", "decide", id, "--from", bad, "--by", Owner)).ShouldExit(1);
        Assert.Contains("line 3: decision 'perhaps' is not keep, revoke, change_role or defer", badRun.Stderr);
        Assert.Contains("no decision was recorded", badRun.Stderr);
        using (var show = await ShowAsync(cli, id))
        {
            Assert.Equal(3, show.RootElement.GetProperty("progress").GetProperty("decided").GetInt32());
            Assert.Equal("in_review", show.RootElement.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, Item(show.RootElement, "priya.raman@acme-analytics.io").GetProperty("decision").ValueKind);
        }

        // The owner keeps everything else but their own memberships in one file; their reviewer decides those.
        using (var show = await ShowAsync(cli, id))
        {
            var rows = show.RootElement.GetProperty("items").EnumerateArray()
                .Where(i => i.GetProperty("decision").ValueKind == JsonValueKind.Null && i.GetProperty("member_email").GetString() != Owner)
                .Select(i => $"{i.GetProperty("member_email").GetString()},{i.GetProperty("account_id").GetString()},keep,,");
            var good = Path.Combine(cli.Home, "good.csv");
            await File.WriteAllTextAsync(good, "member_email,account_id,decision,role,comment\n" + string.Join("\n", rows) + "\n");
            Assert.Contains("Recorded 22 decisions", (await cli.RunAsync("review", "decide", id, "--from", good, "--by", Owner)).ShouldExit(0).Stdout);
            foreach (var own in Items(show.RootElement, Owner))
            {
                (await cli.RunAsync("review", "decide", id, Owner, "--keep", "--account", own.GetProperty("account_id").GetString()!, "--by", Fatima)).ShouldExit(0);
            }
        }

        Assert.Contains("may not sign off", (await cli.RunAsync("review", "complete", id, "--by", Marcus, "--statement", "ok")).ShouldExit(1).Stderr);
        (await cli.RunAsync("review", "complete", id, "--by", Owner, "--statement", "I reviewed every Cloudflare membership and approve these decisions.")).ShouldExit(0);

        // Jordan is removed in Cloudflare; Sofia is not. The next sync verifies the first.
        var removed = sim.RemoveMember(DemoCredentials.ProductionAccountId, JordanMemberId);
        Assert.NotNull(removed);
        (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        using (var show = await ShowAsync(cli, id))
        {
            var root = show.RootElement;
            Assert.Equal("completed", root.GetProperty("status").GetString());
            Assert.Equal(27, root.GetProperty("progress").GetProperty("decided").GetInt32());
            var jordan = Item(root, Jordan);
            Assert.Equal("revoke", jordan.GetProperty("decision").GetProperty("decision").GetString());
            Assert.Equal(Marcus, jordan.GetProperty("decision").GetProperty("by").GetString());
            Assert.Equal("left on 2026-09-30", jordan.GetProperty("decision").GetProperty("comment").GetString());
            Assert.Equal("verified", jordan.GetProperty("verification").GetString());
            Assert.True(DateTimeOffset.TryParse(jordan.GetProperty("verified_at").GetString(), out _));
            // The simulator logs the removal as the dashboard would: who removed it and when come from the audit log.
            Assert.Equal("dana.okafor@acme-analytics.io", jordan.GetProperty("removed_by").GetString());
            Assert.True(DateTimeOffset.TryParse(jordan.GetProperty("removed_at").GetString(), out _));
            Assert.Contains("removed by dana.okafor@acme-analytics.io at ", jordan.GetProperty("verification_detail").GetString());
            Assert.Equal("pending_removal", Item(root, "sofia.alvarez@acme-analytics.io").GetProperty("verification").GetString());
            Assert.Equal("change_role", Item(root, "li.wei@acme-analytics.io").GetProperty("decision").GetProperty("decision").GetString());
        }

        // With a zero SLA the unapplied revocation fails at once; the verified one passes; the review itself is current.
        (await cli.RunAsync("settings", "set", "revocation_sla_days", "0")).ShouldExit(0);
        using (var checks = JsonDocument.Parse((await cli.RunAsync("checks", "--format", "json")).ShouldExit(3).Stdout))
        {
            var applied = Check(checks.RootElement, "cloudflare.review-revocations-applied");
            Assert.Equal("fail", applied.GetProperty("status").GetString());
            Assert.Equal("fail", Finding(applied, "sofia.alvarez@acme-analytics.io").GetProperty("status").GetString());
            Assert.Equal("pass", Finding(applied, Jordan).GetProperty("status").GetString());
            Assert.Equal("pass", Check(checks.RootElement, "cloudflare.access-reviewed").GetProperty("status").GetString());
        }

        // Jordan comes back: the verified revocation has reappeared and fails.
        sim.AddMember(DemoCredentials.ProductionAccountId, removed);
        (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        using (var show = await ShowAsync(cli, id))
        {
            Assert.Equal("reappeared", Item(show.RootElement, Jordan).GetProperty("verification").GetString());
        }
        using (var checks = JsonDocument.Parse((await cli.RunAsync("checks", "--format", "json")).ShouldExit(3).Stdout))
        {
            var jordan = Finding(Check(checks.RootElement, "cloudflare.review-revocations-applied"), Jordan);
            Assert.Equal("fail", jordan.GetProperty("status").GetString());
            Assert.Contains("reappeared", jordan.GetProperty("reason").GetString());
        }

        var list = (await cli.RunAsync("review", "list")).ShouldExit(0);
        Assert.Contains(id, list.Stdout);
        Assert.Contains("Q4 2026", list.Stdout);
        Assert.Contains("completed", (await cli.RunAsync("review", "show", id)).ShouldExit(0).Stdout);
    }

    [Fact]
    public async Task A_failed_access_sync_refuses_a_campaign_unless_allow_stale_which_the_campaign_records()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        Assert.Contains("run 'vigil sync' first", (await cli.RunAsync("review", "start", "cloudflare", "--owner", Owner)).ShouldExit(1).Stderr);
        (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        sim.RevokeToken(DemoCredentials.ReadAllToken);
        (await cli.RunAsync("sync", "--purpose", "access", "--format", "json")).ShouldExit(1);

        var refused = (await cli.RunAsync("review", "start", "cloudflare", "--owner", Owner, "--reviewer", Fatima)).ShouldExit(1);
        Assert.Contains("refusing to start a review on this access data: the last access sync failed", refused.Stderr);
        Assert.Contains("--allow-stale", refused.Stderr);

        using var started = JsonDocument.Parse((await cli.RunAsync("review", "start", "cloudflare", "--owner", Owner, "--reviewer", Fatima, "--allow-stale", "--format", "json")).ShouldExit(0).Stdout);
        using var show = await ShowAsync(cli, started.RootElement.GetProperty("campaign_id").GetString()!);
        Assert.True(show.RootElement.GetProperty("allow_stale").GetBoolean());
        Assert.Contains("the last access sync failed", show.RootElement.GetProperty("stale_reason").GetString());

        // A second campaign on the same data measures itself against the first: nothing new, changed or removed.
        using var again = JsonDocument.Parse((await cli.RunAsync("review", "start", "cloudflare", "--owner", Owner, "--reviewer", Fatima, "--allow-stale", "--format", "json")).ShouldExit(0).Stdout);
        using var second = await ShowAsync(cli, again.RootElement.GetProperty("campaign_id").GetString()!);
        Assert.Equal(started.RootElement.GetProperty("campaign_id").GetString(), second.RootElement.GetProperty("previous_campaign_id").GetString());
        Assert.All(second.RootElement.GetProperty("items").EnumerateArray(), i => Assert.Equal("unchanged", i.GetProperty("change").GetString()));
        Assert.Empty(second.RootElement.GetProperty("removed_since_previous").EnumerateArray());
    }

    private static async Task<JsonDocument> ShowAsync(CliProcess cli, string id) =>
        JsonDocument.Parse((await cli.RunAsync("review", "show", id, "--format", "json")).ShouldExit(0).Stdout);

    private static IEnumerable<JsonElement> Items(JsonElement root, string email) =>
        root.GetProperty("items").EnumerateArray().Where(i => string.Equals(i.GetProperty("member_email").GetString(), email, StringComparison.OrdinalIgnoreCase)).ToList();

    private static JsonElement Item(JsonElement root, string email) => Assert.Single(Items(root, email));

    private static JsonElement Check(JsonElement root, string id) => root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static JsonElement Finding(JsonElement check, string subject) =>
        check.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("subject").GetString() == subject);
}
