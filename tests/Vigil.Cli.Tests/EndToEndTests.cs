using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// The commands of the README, typed as a user would, against the simulator's demo company. Asserts the JSON contract
/// of `vigil sync` and `vigil checks`, and the findings the demo company is known to have.
/// </summary>
public sealed class EndToEndTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";

    [Fact]
    public async Task Connect_import_register_map_sync_and_check_as_a_user_would()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        var staff = Path.Combine(AppContext.BaseDirectory, "demo-staff.csv");

        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable))
            .ShouldExit(0);
        (await cli.RunAsync("staff", "import", staff)).ShouldExit(0);
        (await cli.RunAsync("systems", "add", "cloudflare", "--org-role", "cto", "--org-role", "sre", "--org-role", "engineer", "--org-role", "security"))
            .ShouldExit(0);
        (await cli.RunAsync("systems", "allow", "cloudflare", "--org-role", "engineer",
            "--cloudflare-role", "Administrator Read Only", "--cloudflare-role", "DNS")).ShouldExit(0);
        (await cli.RunAsync("map", "ci-bot@acme-analytics.io", "--service-account", "CI deploy bot owned by the platform team")).ShouldExit(0);

        var sync = (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        using var syncJson = JsonDocument.Parse(sync.Stdout);
        var summary = syncJson.RootElement;
        Assert.Equal("complete", summary.GetProperty("status").GetString());
        Assert.Equal(2, summary.GetProperty("accounts").GetInt32());
        Assert.Equal(25, summary.GetProperty("members").GetInt32());
        Assert.Equal(10, summary.GetProperty("zones").GetInt32());
        Assert.True(summary.GetProperty("api_calls").GetInt32() > 0);
        Assert.Equal(["access", "infra"], summary.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));
        var snapshotId = summary.GetProperty("snapshot_id").GetString();

        var checks = (await cli.RunAsync("checks", "--format", "json")).ShouldExit(3);
        using var checksJson = JsonDocument.Parse(checks.Stdout);
        var root = checksJson.RootElement;
        Assert.Equal(snapshotId, root.GetProperty("snapshot_id").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("evaluated_at").GetString(), out _));
        var byId = root.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal(13, byId.Count);
        foreach (var check in byId.Values)
        {
            Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("title").GetString()));
            Assert.Contains(check.GetProperty("severity").GetString(), new[] { "low", "medium", "high", "critical" });
        }

        // The contractor has no staff entry; the alias and the service account are identified.
        var identified = byId["cloudflare.user-identified"];
        Assert.Equal("fail", identified.GetProperty("status").GetString());
        AssertFinding(identified, "sam.rivera@rivera-consulting.dev", "fail", "member");
        AssertFinding(identified, "alex.chen@acmeanalytics.com", "pass", "member");
        AssertFinding(identified, "ci-bot@acme-analytics.io", "pass", "member");
        // One finding per membership: the bot is a member of both accounts.
        Assert.Equal(2, identified.GetProperty("findings").EnumerateArray().Count(f => f.GetProperty("subject").GetString() == "ci-bot@acme-analytics.io"));

        // Jordan left on 2026-09-30 and still holds access.
        var offboarded = byId["cloudflare.offboarded-access-removed"];
        var jordan = AssertFinding(offboarded, "jordan.blake@acme-analytics.io", "fail", "member");
        Assert.Equal(DemoCredentials.ProductionAccountId, jordan.GetProperty("account_id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(jordan.GetProperty("remediation").GetString()));

        // Finance is not an org role allowed on Cloudflare.
        AssertFinding(byId["cloudflare.user-access-valid"], "sofia.alvarez@acme-analytics.io", "fail", "member");

        // A missing 2FA flag is not "enabled"; a pending invite is not judged.
        var twoFactor = byId["cloudflare.member-2fa-enabled"];
        Assert.Contains("report", AssertFinding(twoFactor, "ben.carter@acme-analytics.io", "fail", "member").GetProperty("reason").GetString());
        AssertFinding(twoFactor, "noah.kim@acme-analytics.io", "skipped", "member");

        AssertFinding(byId["cloudflare.account-2fa-enforced"], "Acme Analytics Staging", "fail", "account");
        AssertFinding(byId["cloudflare.access-control-configured"], "cloudflare", "pass", "system");

        // Paused and pending zones are skipped, not judged.
        var ssl = byId["cloudflare.zone-ssl-strict"];
        AssertFinding(ssl, "acme-cdn.net", "skipped", "zone");
        AssertFinding(ssl, "acme-insights.ai", "skipped", "zone");

        // Strict (SSL-Only Origin Pull) passes; its HSTS max_age arrives as 31536000.0 and still counts.
        AssertFinding(ssl, "acme-payments.io", "pass", "zone");
        AssertFinding(byId["cloudflare.zone-hsts"], "acme-payments.io", "pass", "zone");
        // A partial zone's DNS is signed elsewhere; a paused zone fails the one check that judges the pause.
        Assert.Contains("authoritative provider", AssertFinding(byId["cloudflare.zone-dnssec"], "acme-docs.com", "skipped", "zone").GetProperty("reason").GetString());
        AssertFinding(byId["cloudflare.zone-not-paused"], "acme-cdn.net", "fail", "zone");
        Assert.False(byId.ContainsKey("cloudflare.zone-security-level"));
    }

    [Fact]
    public async Task Checks_before_any_sync_is_an_error_with_the_next_step()
    {
        using var cli = new CliProcess();
        var result = (await cli.RunAsync("checks")).ShouldExit(1);
        Assert.Contains("vigil sync", result.Stderr);
    }

    [Theory]
    [InlineData("map", "someone@example.com")]
    [InlineData("map", "someone@example.com", "--person", "a@example.com", "--clear")]
    [InlineData("connect", "cloudflare", "--token-env", "X", "--email", "a@example.com", "--key-env", "Y")]
    [InlineData("connect", "cloudflare", "--key-env", "Y")]
    [InlineData("systems", "add", "github", "--org-role", "engineer")]
    [InlineData("sync", "--purpose", "everything")]
    [InlineData("no-such-command")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        using var cli = new CliProcess();
        var result = (await cli.RunAsync(args)).ShouldExit(2);
        Assert.Contains("vigil:", result.Stderr);
    }

    private static JsonElement AssertFinding(JsonElement check, string subject, string status, string resourceType)
    {
        var findings = check.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("subject").GetString() == subject).ToList();
        Assert.True(findings.Count > 0, $"{check.GetProperty("id")} has no finding for {subject}");
        var finding = Assert.Single(findings.Where(f => f.GetProperty("status").GetString() == status).Take(1));
        Assert.Equal(resourceType, finding.GetProperty("resource_type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("reason").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("resource_id").GetString()));
        return finding;
    }
}
