using Vigil.Core.Frameworks;
using Vigil.Core.Checks;
using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// Issue 20's machinery through the CLI against the simulator's demo company: the catalogue (--list), framework views
/// (--framework), vigil.yaml thresholds and exceptions (vigil exceptions), and families turned off (--checks).
/// </summary>
public sealed class CatalogueCommandTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";

    private static async Task<CliProcess> ConnectedAsync(CloudflareSimulator sim)
    {
        var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        return cli;
    }

    private static Dictionary<string, JsonElement> Checks(JsonElement root) =>
        root.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);

    private static JsonElement Finding(JsonElement check, string subject) =>
        check.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("subject").GetString() == subject);

    [Fact]
    public async Task Checks_list_prints_the_catalogue_with_frameworks_data_and_calls()
    {
        using var cli = new CliProcess();

        var json = (await cli.RunAsync("checks", "--list", "--format", "json")).ShouldExit(0);
        using var document = JsonDocument.Parse(json.Stdout);
        var root = document.RootElement;
        Assert.Equal(CheckCatalog.All.Count, root.GetProperty("count").GetInt32());
        Assert.Equal(38, CheckCatalog.All.Count);
        var byId = Checks(root);
        Assert.Equal(38, byId.Count);
        foreach (var check in byId.Values)
        {
            var frameworks = check.GetProperty("frameworks").EnumerateArray().Select(f => f.GetString()!).ToList();
            Assert.Contains(frameworks, f => f.StartsWith("SOC 2 ", StringComparison.Ordinal));
            Assert.Contains(frameworks, f => f.StartsWith("ISO/IEC 27001:2022 ", StringComparison.Ordinal));
            Assert.Contains(frameworks, f => f.StartsWith("PCI DSS v4.0.1 ", StringComparison.Ordinal));
            Assert.NotEmpty(check.GetProperty("data_needed").EnumerateArray());
        }
        var dnssec = byId["cloudflare.zone-dnssec"];
        Assert.Equal(["zones", "dnssec"], dnssec.GetProperty("data_needed").EnumerateArray().Select(d => d.GetString()!));
        Assert.Equal(1, dnssec.GetProperty("calls_per_zone").GetInt32());
        Assert.Equal("zones", dnssec.GetProperty("family").GetString());
        Assert.Equal(0, byId["cloudflare.user-identified"].GetProperty("calls_per_zone").GetInt32());
        Assert.Equal(4, byId["cloudflare.user-identified"].GetProperty("calls_per_account").GetInt32());
        // The CA check reads each zone's certificate packs besides its DNS records: one page of each.
        var caa = byId["cloudflare.dns-caa"];
        Assert.Equal(["zones", "dns_records", "certificate_packs"], caa.GetProperty("data_needed").EnumerateArray().Select(d => d.GetString()!));
        Assert.Equal(2, caa.GetProperty("calls_per_zone").GetInt32());

        var table = (await cli.RunAsync("checks", "--list")).ShouldExit(0);
        Assert.Contains("cloudflare.zone-waf-managed", table.Stdout);
        Assert.Contains("38 checks.", table.Stdout);
        (await cli.RunAsync("checks", "--list", "--framework", "pci")).ShouldExit(2);
    }

    [Fact]
    public async Task Exceptions_excuse_findings_until_they_expire_in_every_output()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        (await cli.RunAsync("sync")).ShouldExit(0);

        // The paused zone fails zone-not-paused, the only failure of that check in the demo.
        (await cli.RunAsync("checks", "--checks", "cloudflare.zone-not-paused")).ShouldExit(3);
        (await cli.RunAsync("exceptions", "add", "--check", "cloudflare.zone-not-paused", "--resource", "acme-cdn.net",
            "--reason", "Paused during the CDN migration", "--expires", "2099-12-31", "--approved-by", "ciso@acme-analytics.io")).ShouldExit(0);
        (await cli.RunAsync("exceptions", "add", "--check", "cloudflare.user-identified", "--resource", "sam.rivera@rivera-consulting.dev",
            "--reason", "Contractor, staff entry pending", "--expires", "2099-01-31", "--approved-by", "ciso@acme-analytics.io")).ShouldExit(0);
        Assert.Contains("acme-cdn.net", await File.ReadAllTextAsync(Path.Combine(cli.Home, "vigil.yaml")));

        var excused = (await cli.RunAsync("checks", "--checks", "cloudflare.zone-not-paused", "--format", "json")).ShouldExit(0);
        using (var document = JsonDocument.Parse(excused.Stdout))
        {
            var check = Assert.Single(Checks(document.RootElement).Values);
            Assert.Equal("excepted", check.GetProperty("status").GetString());
            Assert.Equal(1, document.RootElement.GetProperty("summary").GetProperty("excepted").GetInt32());
            var finding = Finding(check, "acme-cdn.net");
            Assert.Equal("excepted", finding.GetProperty("status").GetString());
            Assert.Contains("paused", finding.GetProperty("reason").GetString());
            var exception = finding.GetProperty("exception");
            Assert.Equal("Paused during the CDN migration", exception.GetProperty("reason").GetString());
            Assert.Equal("ciso@acme-analytics.io", exception.GetProperty("approved_by").GetString());
            Assert.Equal("2099-12-31", exception.GetProperty("expires").GetString());
            Assert.False(exception.GetProperty("expired").GetBoolean());
            Assert.Equal(JsonValueKind.Null, Finding(check, "acme-analytics.io").GetProperty("exception").ValueKind);
        }

        var table = (await cli.RunAsync("checks")).ShouldExit(3);
        Assert.Contains("EXCEPTED", table.Stdout);
        Assert.Contains("excepted: Paused during the CDN migration (approved by ciso@acme-analytics.io, until 2099-12-31)", table.Stdout);
        Assert.Contains("excepted: Contractor, staff entry pending", table.Stdout);

        var list = (await cli.RunAsync("exceptions", "list", "--format", "json")).ShouldExit(0);
        using (var document = JsonDocument.Parse(list.Stdout))
        {
            Assert.Equal(["acme-cdn.net", "sam.rivera@rivera-consulting.dev"],
                document.RootElement.GetProperty("exceptions").EnumerateArray().Select(e => e.GetProperty("resource").GetString()!));
        }

        // Past its expiry the exception stops excusing, and the finding says so.
        var path = Path.Combine(cli.Home, "vigil.yaml");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("2099-12-31", "2020-01-31", StringComparison.Ordinal));
        var expired = (await cli.RunAsync("checks", "--checks", "cloudflare.zone-not-paused", "--format", "json")).ShouldExit(3);
        using (var document = JsonDocument.Parse(expired.Stdout))
        {
            var finding = Finding(Assert.Single(Checks(document.RootElement).Values), "acme-cdn.net");
            Assert.Equal("fail", finding.GetProperty("status").GetString());
            Assert.Contains("expired on 2020-01-31", finding.GetProperty("reason").GetString());
            Assert.True(finding.GetProperty("exception").GetProperty("expired").GetBoolean());
        }
        Assert.Contains("expired", (await cli.RunAsync("exceptions", "list")).ShouldExit(0).Stdout);

        (await cli.RunAsync("exceptions", "remove", "--check", "cloudflare.zone-not-paused", "--resource", "ACME-CDN.net")).ShouldExit(0);
        Assert.DoesNotContain("acme-cdn.net", await File.ReadAllTextAsync(path));
        Assert.Contains("sam.rivera@rivera-consulting.dev", await File.ReadAllTextAsync(path));
        (await cli.RunAsync("exceptions", "remove", "--check", "cloudflare.zone-not-paused", "--resource", "acme-cdn.net")).ShouldExit(1);
    }

    [Fact]
    public async Task Exceptions_naming_no_check_or_a_bad_date_are_refused_and_change_nothing()
    {
        using var cli = new CliProcess();
        var unknown = (await cli.RunAsync("exceptions", "add", "--check", "cloudflare.no-such-check", "--resource", "a.example",
            "--reason", "r", "--expires", "2099-01-01", "--approved-by", "ciso@example.com")).ShouldExit(2);
        Assert.Contains("unknown check 'cloudflare.no-such-check'", unknown.Stderr);
        (await cli.RunAsync("exceptions", "add", "--check", "cloudflare.zone-hsts", "--resource", "a.example",
            "--reason", "r", "--expires", "31/12/2099", "--approved-by", "ciso@example.com")).ShouldExit(2);
        (await cli.RunAsync("exceptions", "add", "--check", "cloudflare.zone-hsts", "--resource", "a.example",
            "--reason", "r", "--expires", "2020-01-01", "--approved-by", "ciso@example.com")).ShouldExit(2);
        (await cli.RunAsync("exceptions", "add", "--check", "cloudflare.zone-hsts", "--resource", "a.example",
            "--reason", "r", "--expires", "2099-01-01", "--approved-by", "not-an-email")).ShouldExit(2);
        Assert.False(File.Exists(Path.Combine(cli.Home, "vigil.yaml")));
    }

    [Fact]
    public async Task An_invalid_vigil_yaml_stops_the_evaluation_naming_the_line()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        await File.WriteAllTextAsync(Path.Combine(cli.Home, "vigil.yaml"),
            "checks:\n  cloudflare.zone-hsts: {min_max_age_days: 365}\n  cloudflare.zone-hstz: {min_max_age_days: 1}\n");

        var result = (await cli.RunAsync("checks")).ShouldExit(1);
        Assert.Contains("vigil.yaml line 3, column 3: unknown check 'cloudflare.zone-hstz'", result.Stderr);
        (await cli.RunAsync("sync")).ShouldExit(1);
    }

    [Fact]
    public async Task Thresholds_in_vigil_yaml_set_the_settings_and_a_conflict_names_both()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        await File.WriteAllTextAsync(Path.Combine(cli.Home, "vigil.yaml"), "checks:\n  cloudflare.zone-hsts: {min_max_age_days: 730}\n");

        Assert.Equal("63072000", (await cli.RunAsync("settings", "get", "hsts_min_max_age_seconds")).ShouldExit(0).Stdout.Trim());
        Assert.Contains("vigil.yaml line 2", (await cli.RunAsync("settings", "list")).ShouldExit(0).Stdout);
        (await cli.RunAsync("sync")).ShouldExit(0);
        var checks = (await cli.RunAsync("checks", "--checks", "cloudflare.zone-hsts", "--format", "json")).ShouldExit(3);
        using (var document = JsonDocument.Parse(checks.Stdout))
        {
            // acme-payments.io passes at the 6-month default; two years is more than any demo zone sends.
            Assert.Equal("fail", Finding(Assert.Single(Checks(document.RootElement).Values), "acme-payments.io").GetProperty("status").GetString());
        }

        var refused = (await cli.RunAsync("settings", "set", "hsts_min_max_age_seconds", "31536000")).ShouldExit(2);
        Assert.Contains("line 2 sets hsts_min_max_age_seconds = 63072000", refused.Stderr);
        (await cli.RunAsync("settings", "set", "hsts_min_max_age_seconds", "63072000")).ShouldExit(0);
        await File.WriteAllTextAsync(Path.Combine(cli.Home, "vigil.yaml"), "checks:\n  cloudflare.zone-hsts: {min_max_age_days: 365}\n");
        var conflict = (await cli.RunAsync("checks")).ShouldExit(1);
        Assert.Contains("line 2, column 44: cloudflare.zone-hsts min_max_age_days: 365 sets hsts_min_max_age_seconds = 31536000, but 'vigil settings' has hsts_min_max_age_seconds = 63072000", conflict.Stderr);
    }

    [Fact]
    public async Task Turning_a_family_off_removes_its_calls_and_its_checks()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);

        var full = (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        using var fullJson = JsonDocument.Parse(full.Stdout);
        var fullCalls = fullJson.RootElement.GetProperty("api_calls").GetInt32();

        (await cli.RunAsync("settings", "set", "checks.enabled", "zones,dns")).ShouldExit(0);
        var zonesOnly = (await cli.RunAsync("sync", "--format", "json")).ShouldExit(0);
        using var zonesJson = JsonDocument.Parse(zonesOnly.Stdout);
        Assert.Equal(["infra"], zonesJson.RootElement.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));
        var infraCalls = fullJson.RootElement.GetProperty("stages").EnumerateArray().Where(s => s.GetProperty("name").GetString() == "infra").Sum(s => s.GetProperty("api_calls").GetInt32());
        Assert.Equal(infraCalls, zonesJson.RootElement.GetProperty("api_calls").GetInt32());

        var checks = (await cli.RunAsync("checks", "--format", "json")).ShouldExit(3);
        using (var document = JsonDocument.Parse(checks.Stdout))
        {
            Assert.All(Checks(document.RootElement).Keys, id => Assert.True(id.StartsWith("cloudflare.zone-", StringComparison.Ordinal) || id.StartsWith("cloudflare.dns-", StringComparison.Ordinal), id));
        }

        // --checks overrides the setting for one run: DNSSEC alone costs the zone list and one call per zone whose DNS Cloudflare serves.
        var dnssec = (await cli.RunAsync("sync", "--checks", "cloudflare.zone-dnssec", "--format", "json")).ShouldExit(0);
        using var dnssecJson = JsonDocument.Parse(dnssec.Stdout);
        var dnssecCalls = dnssecJson.RootElement.GetProperty("api_calls").GetInt32();
        Assert.True(dnssecCalls < infraCalls / 3, $"{dnssecCalls} calls for DNSSEC alone, {infraCalls} for every zone check");
        Assert.True(fullCalls > infraCalls);

        var usage = (await cli.RunAsync("sync", "--checks", "dnz")).ShouldExit(2);
        Assert.Contains("'dnz' is neither a check id nor a family", usage.Stderr);
        (await cli.RunAsync("settings", "set", "checks.enabled", "dnz")).ShouldExit(2);
    }

    [Fact]
    public async Task Framework_view_groups_checks_by_control_and_lists_what_needs_other_evidence()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = await ConnectedAsync(sim);
        (await cli.RunAsync("sync")).ShouldExit(0);

        var pci = (await cli.RunAsync("checks", "--framework", "pci", "--format", "json")).ShouldExit(3);
        using var document = JsonDocument.Parse(pci.Stdout);
        var root = document.RootElement;
        Assert.Equal("pci", root.GetProperty("framework").GetString());
        Assert.Equal("PCI DSS v4.0.1", root.GetProperty("name").GetString());
        var controls = root.GetProperty("controls").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        var tls = controls["4.2.1"];
        // Every check that references PCI DSS 4.2.1, in catalogue order.
        Assert.Equal(CheckCatalog.All.Where(c => c.Definition.Frameworks.Contains(PciDss.R4_2_1)).Select(c => c.Definition.Id),
            tls.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        Assert.Contains("cloudflare.zone-min-tls-1-2", tls.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        Assert.Contains(tls.GetProperty("status").GetString(), new[] { "pass", "fail", "unknown", "excepted" });
        Assert.Equal("fail", controls["6.4.2"].GetProperty("status").GetString()); // the WAF traps
        var uncovered = root.GetProperty("uncovered").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal("needs other evidence", uncovered["9"].GetProperty("status").GetString());
        Assert.False(controls.ContainsKey("9"));
        var summary = root.GetProperty("summary");
        Assert.Equal(summary.GetProperty("controls").GetInt32(), controls.Count + uncovered.Count);

        var soc2 = (await cli.RunAsync("checks", "--framework", "soc2")).ShouldExit(3);
        Assert.Contains("CC6.1", soc2.Stdout);
        Assert.Contains("needs other evidence", soc2.Stdout);
        Assert.Contains("CC1.1 Commitment to integrity and ethical values", soc2.Stdout);

        var iso = (await cli.RunAsync("checks", "--framework", "iso27001", "--format", "json")).ShouldExit(3);
        using var isoDocument = JsonDocument.Parse(iso.Stdout);
        Assert.Equal("iso27001", isoDocument.RootElement.GetProperty("framework").GetString());
        var isoControls = isoDocument.RootElement.GetProperty("controls").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        // A.8.5 (secure authentication) is evidenced by the 2FA checks, A.8.15 (logging) by the Logpush check.
        Assert.Contains("cloudflare.member-2fa-enabled", isoControls["A.8.5"].GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Contains("cloudflare.zone-logs-exported", isoControls["A.8.15"].GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("fail", isoControls["A.8.5"].GetProperty("status").GetString()); // demo members without 2FA
        var isoUncovered = isoDocument.RootElement.GetProperty("uncovered").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(isoUncovered);
        Assert.Empty(isoUncovered.Intersect(isoControls.Keys));
        Assert.Equal(Iso27001.All.Count, isoControls.Count + isoUncovered.Count);

        (await cli.RunAsync("checks", "--framework", "hipaa")).ShouldExit(2);
    }
}
