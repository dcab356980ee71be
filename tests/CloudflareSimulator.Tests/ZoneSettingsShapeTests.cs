using System.Net;
using System.Text.Json;

namespace Vigil.Simulation.Tests;

/// <summary>The shapes behind the zone-settings findings: origin_pull, non-integer max_age, zone types, page rules,
/// per-hostname TLS settings, Configuration Rules and the batch settings call's possible end-of-life answers.</summary>
public sealed class ZoneSettingsShapeTests
{
    [Fact]
    public async Task Origin_pull_zone_serves_its_mode_a_non_integer_max_age_and_its_overrides()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var ssl = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/settings/ssl");
        var header = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/settings/security_header");
        var raw = await client.GetStringAsync(new Uri($"zones/{DemoZoneIds.OriginPull}/settings/security_header", UriKind.Relative));

        Assert.Equal("origin_pull", ssl.Result.GetProperty("value").GetString());
        var maxAge = header.Result.GetProperty("value").GetProperty("strict_transport_security").GetProperty("max_age");
        Assert.Equal(JsonValueKind.Number, maxAge.ValueKind);
        Assert.False(maxAge.TryGetInt64(out _));
        Assert.Contains("\"max_age\":31536000.0", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_serves_the_zone_configuration_its_scenario_sets()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        // tls_1_3 as the scenario writes it (the key was once ignored and every zone served "on").
        Assert.Equal("off", (await client.GetApiAsync($"zones/{DemoZoneIds.Weak}/settings/tls_1_3")).Result.GetProperty("value").GetString());
        Assert.Equal("on", (await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings/tls_1_3")).Result.GetProperty("value").GetString());
        Assert.Equal("on", (await client.GetApiAsync($"zones/{DemoZoneIds.Staging}/settings/development_mode")).Result.GetProperty("value").GetString());
        Assert.Equal("off", (await client.GetApiAsync($"zones/{DemoZoneIds.Staging}/settings/browser_check")).Result.GetProperty("value").GetString());
        Assert.Equal("off", (await client.GetApiAsync($"zones/{DemoZoneIds.DisabledManagedRule}/settings/email_obfuscation")).Result.GetProperty("value").GetString());
        Assert.Equal("under_attack", (await client.GetApiAsync($"zones/{DemoZoneIds.DisabledManagedRule}/settings/security_level")).Result.GetProperty("value").GetString());
        Assert.False((await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/ssl/universal/settings")).Result.GetProperty("enabled").GetBoolean());
        Assert.True((await client.GetApiAsync($"zones/{DemoZoneIds.Main}/ssl/universal/settings")).Result.GetProperty("enabled").GetBoolean());
        Assert.True((await client.GetApiAsync($"zones/{DemoZoneIds.Main}/origin_tls_client_auth/settings")).Result.GetProperty("enabled").GetBoolean());
        Assert.False((await client.GetApiAsync($"zones/{DemoZoneIds.Weak}/origin_tls_client_auth/settings")).Result.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task The_demo_serves_certificate_packs_whose_cas_vary_and_none_without_universal_ssl()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        static IEnumerable<(string?, string?)> Packs(ApiAnswer answer) =>
            answer.Result.EnumerateArray().Select(p => (p.GetProperty("type").GetString(), p.GetProperty("certificate_authority").GetString()));
        var main = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/ssl/certificate_packs");
        Assert.Equal(HttpStatusCode.OK, main.Status);
        Assert.Equal([("universal", "google"), ("advanced", "lets_encrypt")], Packs(main));
        Assert.Equal(2, main.Body.GetProperty("result_info").GetProperty("total_count").GetInt32());
        Assert.Equal([("universal", "lets_encrypt")], Packs(await client.GetApiAsync($"zones/{DemoZoneIds.Staging}/ssl/certificate_packs")));
        Assert.Equal([("universal", "ssl_com")], Packs(await client.GetApiAsync($"zones/{DemoZoneIds.Paused}/ssl/certificate_packs")));
        // Universal SSL off and no other pack: nothing listed.
        Assert.Empty(Packs(await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/ssl/certificate_packs")));
    }

    [Fact]
    public async Task Zones_carry_their_type_and_the_partial_demo_zone_is_partial()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var partial = await client.GetApiAsync($"zones/{DemoZoneIds.Partial}");
        var full = await client.GetApiAsync($"zones/{DemoZoneIds.Main}");

        Assert.Equal("partial", partial.Result.GetProperty("type").GetString());
        Assert.Equal("full", full.Result.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Page_rules_list_targets_actions_and_status()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var rules = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/pagerules");
        var none = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/pagerules");

        var rule = Assert.Single(rules.Result.EnumerateArray());
        Assert.Equal("disabled", rule.GetProperty("status").GetString());
        var target = rule.GetProperty("targets")[0];
        Assert.Equal(("url", "matches", "*acme-payments.io/old-receipts/*"),
            (target.GetProperty("target").GetString(), target.GetProperty("constraint").GetProperty("operator").GetString(), target.GetProperty("constraint").GetProperty("value").GetString()));
        var action = rule.GetProperty("actions")[0];
        Assert.Equal(("ssl", "flexible"), (action.GetProperty("id").GetString(), action.GetProperty("value").GetString()));
        Assert.Equal(0, none.Result.GetArrayLength());
    }

    [Fact]
    public async Task Page_rules_need_zone_read_or_page_rules_read()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.NoZoneReadToken);

        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/pagerules");

        Assert.Equal((HttpStatusCode.Forbidden, 10000), (answer.Status, answer.ErrorCodes.Single()));
    }

    [Fact]
    public async Task Hostname_min_tls_settings_list_each_override()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/hostnames/settings/min_tls_version");
        var ciphers = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/hostnames/settings/ciphers");
        var unknown = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/hostnames/settings/brotli");

        var setting = Assert.Single(answer.Result.EnumerateArray());
        Assert.Equal(("api.acme-payments.io", "1.3", "active"),
            (setting.GetProperty("hostname").GetString(), setting.GetProperty("value").GetString(), setting.GetProperty("status").GetString()));
        Assert.Equal(0, ciphers.Result.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Hostname_settings_need_ssl_and_certificates_read()
    {
        var scenario = Scenario.Demo();
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "7e1a2b3c4d5e6f708192a3b4c5d6e7f8",
            Value = "cfut_NoSslRead0000000000000000000000000000",
            Permissions = [.. PermissionGroups.AllRead.Where(g => g != PermissionGroups.SslAndCertificatesRead).Select(g => new TokenPermission { Group = g })],
        });
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var client = sim.Client("cfut_NoSslRead0000000000000000000000000000");

        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/hostnames/settings/min_tls_version");

        Assert.Equal((HttpStatusCode.Forbidden, 10000), (answer.Status, answer.ErrorCodes.Single()));
    }

    [Fact]
    public async Task Configuration_rules_set_ssl_in_the_config_settings_entrypoint()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.OriginPull}/rulesets/phases/http_config_settings/entrypoint");

        Assert.Equal("http_config_settings", answer.Result.GetProperty("phase").GetString());
        var rules = answer.Result.GetProperty("rules").EnumerateArray().ToList();
        Assert.All(rules, r => Assert.Equal("set_config", r.GetProperty("action").GetString()));
        Assert.Equal(["origin_pull", "flexible"], rules.Select(r => r.GetProperty("action_parameters").GetProperty("ssl").GetString()));
        Assert.False(rules[1].GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("404", HttpStatusCode.NotFound, 7003)]
    [InlineData("400", HttpStatusCode.BadRequest, 7003)]
    [InlineData("403", HttpStatusCode.Forbidden, 10000)]
    [InlineData("405", HttpStatusCode.MethodNotAllowed, 7001)]
    [InlineData("410", HttpStatusCode.Gone, 7000)]
    [InlineData("200", HttpStatusCode.OK, 7000)]
    public async Task Batch_settings_answer_switch_gives_each_answer_while_single_settings_still_work(string answer, HttpStatusCode status, int code)
    {
        var scenario = Scenario.Demo();
        scenario.Quirks.BatchSettingsAnswer = answer;
        await using var sim = await CloudflareSimulator.StartAsync(scenario);
        using var client = sim.Client(DemoCredentials.ReadAllToken);

        var batch = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings");
        var single = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings/ssl");

        Assert.Equal(status, batch.Status);
        Assert.False(batch.Success);
        Assert.Equal(JsonValueKind.Null, batch.Result.ValueKind);
        Assert.Equal(code, batch.ErrorCodes[0]);
        Assert.Equal("strict", single.Result.GetProperty("value").GetString());
    }

    [Fact]
    public void An_unknown_batch_settings_answer_is_refused()
    {
        var json = Scenario.Demo().ToJson().Replace("\"null_zone_owner\": true", "\"null_zone_owner\": true, \"batch_settings_answer\": \"418\"", StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => Scenario.FromJson(json));
        Assert.Contains("batch_settings_answer", error.Message, StringComparison.Ordinal);
    }
}
