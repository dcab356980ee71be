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

    // The whole catalogue: 13 from the first milestone, 3 access depth, 7 DNS, 8 zone configuration, 4 zone protection, 2 review.
    private const int CheckCount = 38;

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.Postgres)]
    public async Task Connect_import_register_map_sync_and_check_as_a_user_would(string engine)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        await using var database = await cli.UseAsync(engine);
        var staff = Path.Combine(AppContext.BaseDirectory, "demo-staff.csv");

        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable))
            .ShouldExit(0);
        (await cli.RunAsync("staff", "import", staff)).ShouldExit(0);
        (await cli.RunAsync("systems", "add", "cloudflare", "--org-role", "cto", "--org-role", "sre", "--org-role", "engineer", "--org-role", "security"))
            .ShouldExit(0);
        (await cli.RunAsync("systems", "allow", "cloudflare", "--org-role", "engineer",
            "--cloudflare-role", "Administrator Read Only", "--cloudflare-role", "DNS")).ShouldExit(0);
        (await cli.RunAsync("map", "ci-bot@acme-analytics.io", "--service-account", "CI deploy bot owned by the platform team")).ShouldExit(0);
        // Declared by name before the first sync: it applies once the account is synced.
        (await cli.RunAsync("accounts", "sso", "Acme Analytics Staging", "--domain", "acme-analytics.io", "--evidence", "Okta MFA policy")).ShouldExit(0);

        var sync = (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        using var syncJson = JsonDocument.Parse(sync.Stdout);
        var summary = syncJson.RootElement;
        Assert.Equal("complete", summary.GetProperty("status").GetString());
        Assert.Equal(2, summary.GetProperty("accounts").GetInt32());
        Assert.Equal(27, summary.GetProperty("members").GetInt32());
        Assert.Equal(13, summary.GetProperty("zones").GetInt32());
        Assert.True(summary.GetProperty("api_calls").GetInt32() > 0);
        Assert.Equal(["access", "infra"], summary.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));
        var snapshotId = summary.GetProperty("snapshot_id").GetString();

        (await cli.RunAsync("settings", "set", "timezone", "Europe/Berlin")).ShouldExit(0);
        var checks = (await cli.RunAsync("checks", "--format", "json")).ShouldExit(3);
        using var checksJson = JsonDocument.Parse(checks.Stdout);
        var root = checksJson.RootElement;
        Assert.Equal(snapshotId, root.GetProperty("snapshot_id").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("evaluated_at").GetString(), out _));
        var byId = root.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal(CheckCount, byId.Count);

        // Zone protection: each new check passes for one demo zone and fails for another.
        AssertFinding(byId["cloudflare.zone-custom-rules-present"], "acme-analytics.io", "pass", "zone");
        AssertFinding(byId["cloudflare.zone-custom-rules-present"], "acme-skip.io", "fail", "zone");
        AssertFinding(byId["cloudflare.zone-rate-limiting"], "acme-analytics.io", "pass", "zone");
        Assert.Contains("no http_ratelimit entrypoint", AssertFinding(byId["cloudflare.zone-rate-limiting"], "acme-staging.dev", "fail", "zone").GetProperty("reason").GetString());
        Assert.Contains("Super Bot Fight Mode on", AssertFinding(byId["cloudflare.zone-bot-protection"], "acme-analytics.io", "pass", "zone").GetProperty("reason").GetString());
        Assert.Contains("Bot Fight Mode on", AssertFinding(byId["cloudflare.zone-bot-protection"], "acme-staging.dev", "pass", "zone").GetProperty("reason").GetString());
        AssertFinding(byId["cloudflare.zone-bot-protection"], "acme-sandbox.dev", "fail", "zone");
        Assert.Contains("http_requests", AssertFinding(byId["cloudflare.zone-logs-exported"], "acme-payments.io", "pass", "zone").GetProperty("reason").GetString());
        Assert.Contains("is disabled", AssertFinding(byId["cloudflare.zone-logs-exported"], "acme-docs.com", "fail", "zone").GetProperty("reason").GetString());
        Assert.Contains("not available on the Pro plan", AssertFinding(byId["cloudflare.zone-logs-exported"], "acme-status.io", "skipped", "zone").GetProperty("reason").GetString());
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
        // ... judged at the end of that day in the organisation's time zone.
        Assert.Contains("due removed by 2026-10-01 00:00 Europe/Berlin (end of 2026-09-30 + 0 days grace)", jordan.GetProperty("reason").GetString());

        // Production has one Super Administrator (a single point of failure); staging has two.
        var superAdmins = byId["cloudflare.super-admins-bounded"];
        var production = AssertFinding(superAdmins, "Acme Analytics", "fail", "account");
        Assert.Contains("has 1 accepted Super Administrator: dana.okafor@acme-analytics.io (role)", production.GetProperty("reason").GetString());
        var stagingAdmins = AssertFinding(superAdmins, "Acme Analytics Staging", "pass", "account");
        Assert.Contains("amara.osei@acme-analytics.io (role)", stagingAdmins.GetProperty("reason").GetString());

        // The pending invitations were first seen by this sync: young, dated by Vigil.
        var invite = AssertFinding(byId["cloudflare.invites-not-stale"], "noah.kim@acme-analytics.io", "pass", "member");
        Assert.Contains("when Vigil first saw the invitation", invite.GetProperty("reason").GetString());

        // Production's legacy token misses every condition, one finding naming all four; the others pass.
        var tokens = byId["cloudflare.account-tokens-hygiene"];
        Assert.Equal("fail", tokens.GetProperty("status").GetString());
        var legacy = AssertFinding(tokens, "legacy-terraform", "fail", "token");
        var legacyReason = legacy.GetProperty("reason").GetString()!;
        Assert.Contains("fails 4 of 4 conditions", legacyReason);
        Assert.Contains("no expiry", legacyReason);
        Assert.Contains("no IP restriction", legacyReason);
        Assert.Contains("last used 2026-03-02, more than 90 days ago", legacyReason);
        Assert.Contains("created by jordan.blake@acme-analytics.io", legacyReason);
        AssertFinding(tokens, "ci-deploy", "pass", "token");
        AssertFinding(tokens, "staging-deploy", "pass", "token");

        // Every finding says when its data was read; the report says how old each stage's data is and that no sync failed.
        var data = root.GetProperty("data");
        foreach (var stage in new[] { "access", "infra" })
        {
            var synced = DateTimeOffset.Parse(data.GetProperty(stage).GetProperty("synced_at").GetString()!);
            var age = data.GetProperty(stage).GetProperty("age_seconds").GetInt64();
            Assert.InRange(age, 0, 600);
            Assert.Equal(JsonValueKind.Null, data.GetProperty(stage).GetProperty("last_failure").ValueKind);
            Assert.True(synced <= DateTimeOffset.Parse(root.GetProperty("evaluated_at").GetString()!));
        }
        var accessSyncedAt = DateTimeOffset.Parse(data.GetProperty("access").GetProperty("synced_at").GetString()!);
        // A member is observed when its page was read, a moment before the stage committed.
        var jordanObserved = DateTimeOffset.Parse(jordan.GetProperty("observed_at").GetString()!);
        Assert.InRange(jordanObserved, accessSyncedAt.AddMinutes(-5), accessSyncedAt);
        Assert.All(byId.Values.SelectMany(c => c.GetProperty("findings").EnumerateArray()),
            f => Assert.Equal(JsonValueKind.String, f.GetProperty("observed_at").ValueKind));

        // The stored grace period applies to checks; --offboarding-grace-days overrides it for one run.
        (await cli.RunAsync("settings", "set", "offboarding_grace_days", "3650")).ShouldExit(0);
        using (var graced = JsonDocument.Parse((await cli.RunAsync("checks", "--format", "json")).ShouldExit(3).Stdout))
        {
            var check = graced.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "cloudflare.offboarded-access-removed");
            Assert.Contains("+ 3650 days grace", AssertFinding(check, "jordan.blake@acme-analytics.io", "pass", "member").GetProperty("reason").GetString());
        }
        using (var overridden = JsonDocument.Parse((await cli.RunAsync("checks", "--format", "json", "--offboarding-grace-days", "0")).ShouldExit(3).Stdout))
        {
            var check = overridden.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "cloudflare.offboarded-access-removed");
            Assert.Contains("+ 0 days grace", AssertFinding(check, "jordan.blake@acme-analytics.io", "fail", "member").GetProperty("reason").GetString());
        }

        // Finance is not an org role allowed on Cloudflare.
        AssertFinding(byId["cloudflare.user-access-valid"], "sofia.alvarez@acme-analytics.io", "fail", "member");

        // Nina is an engineer made Administrator through the Platform Ops user group.
        Assert.Contains("via group Platform Ops", AssertFinding(byId["cloudflare.user-access-valid"], "nina.vogel@acme-analytics.io", "fail", "member")
            .GetProperty("reason").GetString());

        // A missing 2FA flag is unknown, not "enabled" and not a failure; a pending invite is not judged; SSO users pass.
        var twoFactor = byId["cloudflare.member-2fa-enabled"];
        Assert.Contains("Cloudflare did not report 2FA for this member", AssertFinding(twoFactor, "ben.carter@acme-analytics.io", "unknown", "member").GetProperty("reason").GetString());
        AssertFinding(twoFactor, "noah.kim@acme-analytics.io", "skipped", "member");
        Assert.Contains("covered by SSO (acme-analytics.io): Okta MFA policy", AssertFinding(twoFactor, "ravi.patel@acme-analytics.io", "pass", "member").GetProperty("reason").GetString());

        // Staging does not enforce 2FA and SSO does not cover the contractor.
        Assert.Contains("sam.rivera@rivera-consulting.dev", AssertFinding(byId["cloudflare.account-2fa-enforced"], "Acme Analytics Staging", "fail", "account")
            .GetProperty("reason").GetString());

        var accounts = (await cli.RunAsync("accounts", "list", "--format", "json")).ShouldExit(0);
        using var accountsJson = JsonDocument.Parse(accounts.Stdout);
        var staging = accountsJson.RootElement.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Acme Analytics Staging");
        Assert.Equal(["acme-analytics.io"], staging.GetProperty("sso").GetProperty("domains").EnumerateArray().Select(d => d.GetString()!));
        Assert.Equal("acme-analytics.io", Assert.Single(staging.GetProperty("sso_connectors").EnumerateArray()).GetProperty("email_domain").GetString());
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

        // The WAF traps: each deploys a managed ruleset that does not protect the zone; the real deployment passes.
        var waf = byId["cloudflare.zone-waf-managed"];
        Assert.Equal("fail", waf.GetProperty("status").GetString());
        AssertFinding(waf, "acme-analytics.io", "pass", "zone");
        Assert.Contains("custom rule", AssertFinding(waf, "acme-skip.io", "fail", "zone").GetProperty("reason").GetString());
        Assert.Contains("log-only mode", AssertFinding(waf, "acme-logonly.io", "fail", "zone").GetProperty("reason").GetString());
        Assert.Contains("Exposed Credentials Check", AssertFinding(waf, "acme-creds.io", "fail", "zone").GetProperty("reason").GetString());
        Assert.Contains("legacy waf setting is on", AssertFinding(waf, "acmeanalytics.com", "fail", "zone").GetProperty("reason").GetString());
        Assert.Contains("Free Managed Ruleset", AssertFinding(waf, "acme-staging.dev", "skipped", "zone").GetProperty("reason").GetString());

        // DNS hygiene: acme-analytics.io passes every DNS check, acme-staging.dev fails each; the partial zone is skipped.
        foreach (var id in new[] { "cloudflare.dns-spf", "cloudflare.dns-dmarc", "cloudflare.dns-caa", "cloudflare.dns-no-internal-targets",
            "cloudflare.dns-proxied", "cloudflare.dns-no-wildcard", "cloudflare.dns-dangling" })
        {
            Assert.Equal("fail", byId[id].GetProperty("status").GetString());
            AssertFinding(byId[id], "acme-analytics.io", "pass", "zone");
            Assert.Contains("another provider is authoritative", AssertFinding(byId[id], "acme-docs.com", "skipped", "zone").GetProperty("reason").GetString());
        }
        Assert.Contains("?all", AssertFinding(byId["cloudflare.dns-spf"], "acme-staging.dev", "fail", "zone").GetProperty("reason").GetString());
        Assert.Contains("p=none", AssertFinding(byId["cloudflare.dns-dmarc"], "acme-staging.dev", "fail", "zone").GetProperty("reason").GetString());
        var caa = AssertFinding(byId["cloudflare.dns-caa"], "acme-staging.dev", "fail", "zone");
        Assert.Contains("naming entrust.net but not letsencrypt.org (Let's Encrypt, CA of its universal certificate pack)", caa.GetProperty("reason").GetString());
        Assert.Contains("acme-staging.dev CAA 0 issue \"letsencrypt.org\"", caa.GetProperty("remediation").GetString());
        Assert.Contains("pki.goog (Google Trust Services, universal); letsencrypt.org (Let's Encrypt, advanced)",
            AssertFinding(byId["cloudflare.dns-caa"], "acme-analytics.io", "pass", "zone").GetProperty("reason").GetString());
        var internalTarget = AssertFinding(byId["cloudflare.dns-no-internal-targets"], "db.acme-staging.dev", "fail", "dns_record");
        Assert.Equal("db.acme-staging.dev", internalTarget.GetProperty("resource_id").GetString());
        AssertFinding(byId["cloudflare.dns-proxied"], "api.acme-staging.dev", "fail", "dns_record");
        AssertFinding(byId["cloudflare.dns-no-wildcard"], "*.acme-staging.dev", "fail", "dns_record");
        Assert.Contains("Heroku", AssertFinding(byId["cloudflare.dns-dangling"], "promo.acme-staging.dev", "fail", "dns_record").GetProperty("reason").GetString());
        Assert.Contains("no record in zone acme-analytics.io", AssertFinding(byId["cloudflare.dns-dangling"], "old.acme-staging.dev", "fail", "dns_record").GetProperty("reason").GetString());
        // Zone configuration (issue 20): each check passes and fails somewhere in the demo.
        AssertFinding(byId["cloudflare.zone-tls-1-3"], "acme-analytics.io", "pass", "zone");
        Assert.Contains("TLS 1.3 off", AssertFinding(byId["cloudflare.zone-tls-1-3"], "acme-analytics.com", "fail", "zone").GetProperty("reason").GetString());
        AssertFinding(byId["cloudflare.zone-automatic-https-rewrites"], "acme-analytics.io", "pass", "zone");
        AssertFinding(byId["cloudflare.zone-automatic-https-rewrites"], "acme-analytics.com", "fail", "zone");
        AssertFinding(byId["cloudflare.zone-browser-integrity-check"], "acme-analytics.io", "pass", "zone");
        AssertFinding(byId["cloudflare.zone-browser-integrity-check"], "acme-staging.dev", "fail", "zone");
        AssertFinding(byId["cloudflare.zone-development-mode-off"], "acme-analytics.io", "pass", "zone");
        Assert.Contains("Development Mode on", AssertFinding(byId["cloudflare.zone-development-mode-off"], "acme-staging.dev", "fail", "zone").GetProperty("reason").GetString());
        AssertFinding(byId["cloudflare.zone-email-obfuscation"], "acme-analytics.io", "pass", "zone");
        AssertFinding(byId["cloudflare.zone-email-obfuscation"], "acme-status.io", "fail", "zone");
        AssertFinding(byId["cloudflare.zone-universal-ssl"], "acme-analytics.io", "pass", "zone");
        AssertFinding(byId["cloudflare.zone-universal-ssl"], "acme-payments.io", "fail", "zone");
        var originPulls = byId["cloudflare.zone-authenticated-origin-pulls"];
        AssertFinding(originPulls, "acme-analytics.io", "pass", "zone");
        AssertFinding(originPulls, "acme-skip.io", "fail", "zone");
        Assert.Contains("SSL/TLS mode flexible", AssertFinding(originPulls, "acme-staging.dev", "skipped", "zone").GetProperty("reason").GetString());
        // One sync is one snapshot: I'm Under Attack mode seen for the first time passes, saying since when.
        var underAttack = byId["cloudflare.zone-under-attack-not-permanent"];
        Assert.Contains("first seen", AssertFinding(underAttack, "acme-status.io", "pass", "zone").GetProperty("reason").GetString());
        AssertFinding(underAttack, "acme-analytics.io", "pass", "zone");
    }

    [Fact]
    public async Task A_failed_sync_of_a_stage_is_reported_beside_the_data_it_left()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);

        sim.RevokeToken(DemoCredentials.ReadAllToken);
        (await cli.RunAsync("sync", "--purpose", "access", "--format", "json")).ShouldExit(1);

        var checks = (await cli.RunAsync("checks", "--format", "json")).ShouldExit(3);
        using var json = JsonDocument.Parse(checks.Stdout);
        var data = json.RootElement.GetProperty("data");
        var failure = data.GetProperty("access").GetProperty("last_failure").GetString();
        Assert.Contains("access stage of connection 'acme' failed", failure);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("infra").GetProperty("last_failure").ValueKind);

        // The data is still within its age: findings keep their status, and the access checks say the last sync failed.
        var byId = json.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        var twoFactor = byId["cloudflare.member-2fa-enabled"];
        AssertFinding(twoFactor, "li.wei@acme-analytics.io", "fail", "member");
        Assert.Contains(twoFactor.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("; the last sync of this stage failed: ", StringComparison.Ordinal));
        Assert.Empty(byId["cloudflare.zone-dnssec"].GetProperty("notes").EnumerateArray());

        var text = (await cli.RunAsync("checks")).ShouldExit(3);
        Assert.Contains("the last sync of this stage failed", text.Stdout);
        Assert.Contains("data age", text.Stdout);
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
    [InlineData("settings", "set", "timezone", "Mars/Olympus_Mons")]
    [InlineData("settings", "set", "offboarding_grace_days", "-1")]
    [InlineData("settings", "set", "max_data_age_hours", "0")]
    [InlineData("settings", "set", "no_such_key", "1")]
    [InlineData("settings", "get", "no_such_key")]
    [InlineData("checks", "--offboarding-grace-days", "-1")]
    [InlineData("sync", "--offboarding-grace-days", "3651")]
    [InlineData("accounts", "sso", "acme", "--domain", "not a domain", "--evidence", "x")]
    [InlineData("accounts", "sso", "acme", "--domain", "acme.example")]
    [InlineData("accounts", "sso", "acme", "--clear", "--domain", "acme.example")]
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
