using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// `vigil connect cloudflare --purpose remediate` and `vigil review apply` against the simulator: a read credential is
/// refused as a remediate one (naming Account Settings Write); a dry run makes no call; --yes makes exactly the calls
/// shown, records each answer beside its decision and syncs, which verifies them; a 403 and a 429 are recorded,
/// explained and not retried.
/// </summary>
public sealed class ReviewApplyTests
{
    private const string ReadVariable = "ACME_CLOUDFLARE_TOKEN";
    private const string WriteVariable = "ACME_REMEDIATE_TOKEN";
    private const string Owner = "dana.okafor@acme-analytics.io";
    private const string Marcus = "marcus.lindqvist@acme-analytics.io";
    private const string Fatima = "fatima.hassan@acme-analytics.io";
    private const string Jordan = "jordan.blake@acme-analytics.io";
    private const string JordanMemberId = "6e3f3880cebaa07367a1f4781ddfc04a";
    private const string LiWei = "li.wei@acme-analytics.io";
    private const string LiWeiMemberId = "4f63b1fa24299d5a64e9b0d778537a0c";
    private const string Sam = "sam.rivera@rivera-consulting.dev";
    private const string SamStagingMemberId = "266304e2cbcadf49068efdc552053ae2";
    private const string ProductionOnlyWriteToken = "cfut_P7dW3rI1tE5oN9lY2wR4iT6eA8cC0sS3gK5pQ7zX1m";

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.Postgres)]
    public async Task Dry_run_makes_no_call_and_yes_makes_exactly_the_calls_shown_then_a_sync_verifies_them(string engine)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(ReadVariable, DemoCredentials.ReadAllToken).With(WriteVariable, DemoCredentials.RemediateToken);
        await using var database = await cli.UseAsync(engine);
        var id = await StartCampaignAsync(cli, sim);

        // A read token cannot be a remediate credential: preflight names the permission it lacks, and nothing is stored.
        using (var readOnly = new CliProcess().With(WriteVariable, DemoCredentials.ReadAllToken))
        {
            var refused = (await readOnly.RunAsync("connect", "cloudflare", "--name", "fix", "--purpose", "remediate", "--api-url", sim.BaseUrl, "--token-env", WriteVariable)).ShouldExit(1);
            Assert.Contains("Account Settings Write", refused.Output);
            Assert.Contains("Nothing was stored", refused.Stderr);
        }

        (await cli.RunAsync("connect", "cloudflare", "--name", "fix", "--purpose", "remediate", "--api-url", sim.BaseUrl, "--token-env", WriteVariable)).ShouldExit(0);
        Assert.Contains("remediation (member writes)", (await cli.RunAsync("connections", "list")).ShouldExit(0).Stdout);

        (await cli.RunAsync("review", "decide", id, Jordan, "--revoke", "--comment", "left on 2026-09-30", "--by", Marcus)).ShouldExit(0);
        (await cli.RunAsync("review", "decide", id, LiWei, "--change-role", "Administrator Read Only", "--role", "DNS", "--comment", "least privilege", "--by", Owner)).ShouldExit(0);

        // A dry run sends nothing at all: not a write, not even a read.
        var before = sim.Stats.Requests.Count;
        var dryText = (await cli.RunAsync("review", "apply", id)).ShouldExit(0).Stdout;
        var expectedDelete = $"DELETE /accounts/{DemoCredentials.ProductionAccountId}/members/{JordanMemberId}";
        var expectedPut = $"PUT /accounts/{DemoCredentials.ProductionAccountId}/members/{LiWeiMemberId}";
        Assert.Contains(expectedDelete, dryText);
        Assert.Contains(expectedPut + " {\"roles\":[{\"id\":", dryText);
        Assert.Contains("Dry run: no call was made", dryText);
        using var dry = JsonDocument.Parse((await cli.RunAsync("review", "apply", id, "--format", "json")).ShouldExit(0).Stdout);
        Assert.Equal(before, sim.Stats.Requests.Count);
        var shown = dry.RootElement.GetProperty("calls").EnumerateArray().Select(c => $"{c.GetProperty("method").GetString()} {c.GetProperty("path").GetString()}").ToList();
        Assert.Equal([expectedDelete, expectedPut], shown);

        var applied = (await cli.RunAsync("review", "apply", id, "--yes")).ShouldExit(0);
        var writes = sim.Stats.Requests.Skip(before).Where(r => r.StartsWith("DELETE ", StringComparison.Ordinal) || r.StartsWith("PUT ", StringComparison.Ordinal)).ToList();
        Assert.Equal(shown, writes);
        Assert.Contains("HTTP 200 applied", applied.Stdout);
        Assert.Contains("Access sync", applied.Stdout);
        Assert.Null(sim.Scenario.Accounts[0].Members.FirstOrDefault(m => m.Id == JordanMemberId));

        using (var show = await ShowAsync(cli, id))
        {
            var jordan = Item(show.RootElement, Jordan);
            Assert.Equal("verified", jordan.GetProperty("verification").GetString());
            var call = Assert.Single(jordan.GetProperty("remediation").EnumerateArray());
            Assert.Equal("applied", call.GetProperty("outcome").GetString());
            Assert.Equal(200, call.GetProperty("http_status").GetInt32());
            Assert.Equal("fix", call.GetProperty("credential").GetString());
            Assert.Equal("verified", Item(show.RootElement, LiWei).GetProperty("verification").GetString());
        }

        // Applied and verified: nothing is sent again.
        var again = sim.Stats.Requests.Count;
        Assert.Contains("Nothing to apply", (await cli.RunAsync("review", "apply", id, "--yes")).ShouldExit(0).Stdout);
        Assert.Equal(again, sim.Stats.Requests.Count);
    }

    [Fact]
    public async Task A_429_is_recorded_and_not_retried_and_a_403_is_recorded_and_explained()
    {
        var scenario = Scenario.Demo();
        // Write access to the production account only: removing a staging member is refused with 403.
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "5e1f7a9b3c2d4e6f8a0b2c4d6e8f0a1b",
            Value = ProductionOnlyWriteToken,
            Name = "Remediation, production only",
            UserEmail = Owner,
            Permissions = [new TokenPermission { Group = PermissionGroups.AccountSettingsWrite, AccountIds = [DemoCredentials.ProductionAccountId] }],
        });
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var cli = new CliProcess().With(ReadVariable, DemoCredentials.ReadAllToken).With(WriteVariable, ProductionOnlyWriteToken);
        var id = await StartCampaignAsync(cli, sim);
        (await cli.RunAsync("connect", "cloudflare", "--name", "prod-fix", "--purpose", "remediate", "--api-url", sim.BaseUrl, "--token-env", WriteVariable)).ShouldExit(0);
        (await cli.RunAsync("review", "decide", id, Jordan, "--revoke", "--comment", "left on 2026-09-30", "--by", Marcus)).ShouldExit(0);
        (await cli.RunAsync("review", "decide", id, Sam, "--revoke", "--account", DemoCredentials.StagingAccountId, "--comment", "contract ended", "--by", Owner)).ShouldExit(0);

        // The first write is rate-limited: recorded, explained, not retried, and the next call is not made.
        sim.Faults.Add(FaultRule.Next(1, FaultKind.RateLimited, "^/accounts/[0-9a-f]+/members/[0-9a-f]+$", "DELETE"));
        var before = sim.Stats.Requests.Count;
        var limited = (await cli.RunAsync("review", "apply", id, "--yes")).ShouldExit(1);
        Assert.Equal([$"DELETE /accounts/{DemoCredentials.ProductionAccountId}/members/{JordanMemberId}"],
            sim.Stats.Requests.Skip(before).Where(r => r.StartsWith("DELETE ", StringComparison.Ordinal)).ToList());
        Assert.Contains("rate-limited", limited.Stdout);
        Assert.Contains("not retried", limited.Stdout);
        Assert.Contains($"not made: DELETE /accounts/{DemoCredentials.StagingAccountId}/members/{SamStagingMemberId}", limited.Stdout);

        // Run again: Jordan is removed; Sam's account is beyond the credential, so Cloudflare answers 403, which is recorded.
        before = sim.Stats.Requests.Count;
        var refused = (await cli.RunAsync("review", "apply", id, "--yes")).ShouldExit(1);
        Assert.Equal(
            [$"DELETE /accounts/{DemoCredentials.ProductionAccountId}/members/{JordanMemberId}", $"DELETE /accounts/{DemoCredentials.StagingAccountId}/members/{SamStagingMemberId}"],
            sim.Stats.Requests.Skip(before).Where(r => r.StartsWith("DELETE ", StringComparison.Ordinal)).ToList());
        Assert.Contains("HTTP 403 refused", refused.Stdout);
        Assert.Contains("Account Settings Write", refused.Stdout);

        using var show = await ShowAsync(cli, id);
        var jordan = Item(show.RootElement, Jordan);
        Assert.Equal("verified", jordan.GetProperty("verification").GetString());
        Assert.Equal(["rate_limited", "applied"], jordan.GetProperty("remediation").EnumerateArray().Select(c => c.GetProperty("outcome").GetString()));
        var sam = Items(show.RootElement, Sam).Single(i => i.GetProperty("account_id").GetString() == DemoCredentials.StagingAccountId);
        Assert.Equal("pending_removal", sam.GetProperty("verification").GetString());
        var answer = Assert.Single(sam.GetProperty("remediation").EnumerateArray());
        Assert.Equal("refused", answer.GetProperty("outcome").GetString());
        Assert.Equal(403, answer.GetProperty("http_status").GetInt32());
        Assert.Contains("Account Settings Write", answer.GetProperty("message").GetString());
        Assert.NotNull(sim.Scenario.Accounts[1].Members.FirstOrDefault(m => m.Id == SamStagingMemberId));
    }

    private static async Task<string> StartCampaignAsync(CliProcess cli, CloudflareSimulator sim)
    {
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", ReadVariable)).ShouldExit(0);
        (await cli.RunAsync("staff", "import", Path.Combine(AppContext.BaseDirectory, "demo-staff.csv"))).ShouldExit(0);
        (await cli.RunAsync("systems", "add", "cloudflare", "--owner", Owner)).ShouldExit(0);
        (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        using var started = JsonDocument.Parse((await cli.RunAsync("review", "start", "cloudflare", "--reviewer", Fatima, "--format", "json")).ShouldExit(0).Stdout);
        return started.RootElement.GetProperty("campaign_id").GetString()!;
    }

    private static async Task<JsonDocument> ShowAsync(CliProcess cli, string id) =>
        JsonDocument.Parse((await cli.RunAsync("review", "show", id, "--format", "json")).ShouldExit(0).Stdout);

    private static IEnumerable<JsonElement> Items(JsonElement root, string email) =>
        root.GetProperty("items").EnumerateArray().Where(i => string.Equals(i.GetProperty("member_email").GetString(), email, StringComparison.OrdinalIgnoreCase)).ToList();

    private static JsonElement Item(JsonElement root, string email) => Assert.Single(Items(root, email));
}
