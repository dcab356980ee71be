using System.Net;
using System.Text.Json;

namespace Vigil.Simulation.Tests;

public sealed class EndpointTests(DemoSimulatorFixture fixture) : IClassFixture<DemoSimulatorFixture>
{
    private readonly CloudflareSimulator _sim = fixture.Simulator;

    private HttpClient Reader() => _sim.Client(DemoCredentials.ReadAllToken);

    [Fact]
    public async Task Missing_entrypoint_answers_404_with_the_rulesets_error_in_the_envelope()
    {
        using var client = Reader();
        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.Weak}/rulesets/phases/http_request_firewall_managed/entrypoint");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.False(answer.Success);
        Assert.Equal(JsonValueKind.Null, answer.Result.ValueKind);
        Assert.Equal([10003], answer.ErrorCodes);
        Assert.Equal("could not find entrypoint ruleset in the http_request_firewall_managed phase", answer.FirstErrorMessage);
        Assert.Equal(0, answer.Body.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Managed_entrypoint_deploys_managed_rulesets_with_execute_rules()
    {
        using var client = Reader();
        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/rulesets/phases/http_request_firewall_managed/entrypoint");

        Assert.Equal("zone", answer.Result.GetProperty("kind").GetString());
        Assert.Equal("http_request_firewall_managed", answer.Result.GetProperty("phase").GetString());
        var executed = answer.Result.GetProperty("rules").EnumerateArray()
            .Where(r => r.GetProperty("action").GetString() == "execute" && r.GetProperty("enabled").GetBoolean())
            .Select(r => r.GetProperty("action_parameters").GetProperty("id").GetString()!)
            .ToArray();
        Assert.Equal(["efb7b8c949ac4650a09736fc376e9aee", "4814384a9e5d4991b9815dcfc25d2f1f"], executed);
    }

    [Fact]
    public async Task Override_that_disables_a_managed_ruleset_is_visible()
    {
        using var client = Reader();
        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.Sandbox}/rulesets/phases/http_request_firewall_managed/entrypoint");

        var rule = answer.Result.GetProperty("rules")[0];
        Assert.False(rule.GetProperty("action_parameters").GetProperty("overrides").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Rulesets_list_has_no_rules_and_includes_available_managed_rulesets()
    {
        using var client = Reader();
        var answer = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/rulesets");

        var kinds = answer.Result.EnumerateArray().Select(r => r.GetProperty("kind").GetString()).ToArray();
        Assert.Contains("managed", kinds);
        Assert.Contains("zone", kinds);
        Assert.All(answer.Result.EnumerateArray(), r => Assert.False(r.TryGetProperty("rules", out _)));
    }

    [Theory]
    [InlineData(DemoZoneIds.Main, "active", true)]
    [InlineData(DemoZoneIds.Weak, "disabled", false)]
    [InlineData(DemoZoneIds.Sandbox, "pending", true)]
    public async Task Dnssec_reports_status_and_ds_only_when_signed(string zone, string status, bool hasDs)
    {
        using var client = Reader();
        var answer = await client.GetApiAsync($"zones/{zone}/dnssec");

        Assert.Equal(status, answer.Result.GetProperty("status").GetString());
        Assert.Equal(hasDs, answer.Result.GetProperty("ds").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Zone_carries_the_fields_the_schema_requires()
    {
        using var client = Reader();
        var zone = (await client.GetApiAsync($"zones/{DemoZoneIds.Paused}")).Result;

        foreach (var field in new[] { "id", "name", "development_mode", "owner", "account", "meta", "name_servers", "original_name_servers", "original_registrar", "original_dnshost", "created_on", "modified_on", "activated_on" })
        {
            Assert.True(zone.TryGetProperty(field, out _), field);
        }

        Assert.True(zone.GetProperty("paused").GetBoolean());
        Assert.Equal(Api.Prod, zone.GetProperty("account").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Members_show_the_demo_variants()
    {
        using var client = Reader();
        var members = (await client.GetApiAsync($"accounts/{Api.Prod}/members?per_page=50")).Result.EnumerateArray()
            .ToDictionary(m => m.GetProperty("user").GetProperty("email").GetString()!);

        var policyOnly = members["fatima.hassan@acme-analytics.io"];
        Assert.False(policyOnly.TryGetProperty("roles", out _));
        Assert.Equal("allow", policyOnly.GetProperty("policies")[0].GetProperty("access").GetString());
        Assert.False(members["ben.carter@acme-analytics.io"].GetProperty("user").TryGetProperty("two_factor_authentication_enabled", out _));
        Assert.False(members["ben.carter@acme-analytics.io"].TryGetProperty("email", out _));
        var pending = members["noah.kim@acme-analytics.io"];
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("user").GetProperty("first_name").ValueKind);
        Assert.Contains("alex.chen@acmeanalytics.com", members.Keys);
        Assert.Contains("ci-bot@acme-analytics.io", members.Keys);
    }

    [Fact]
    public async Task Member_details_match_the_list_entry()
    {
        using var client = Reader();
        var first = (await client.GetApiAsync($"accounts/{Api.Prod}/members?per_page=5")).Result[0];

        var single = await client.GetApiAsync($"accounts/{Api.Prod}/members/{first.GetProperty("id").GetString()}");

        Assert.Equal(first.GetRawText(), single.Result.GetRawText());
    }

    [Fact]
    public async Task Account_details_carry_two_factor_enforcement()
    {
        using var client = Reader();

        var prod = await client.GetApiAsync($"accounts/{Api.Prod}");
        var staging = await client.GetApiAsync($"accounts/{Api.Staging}");

        Assert.True(prod.Result.GetProperty("settings").GetProperty("enforce_twofactor").GetBoolean());
        Assert.False(staging.Result.GetProperty("settings").GetProperty("enforce_twofactor").GetBoolean());
    }

    [Fact]
    public async Task Unknown_routes_answer_404_no_route()
    {
        using var client = Reader();
        var answer = await client.GetApiAsync("zones/" + DemoZoneIds.Main + "/bot_fight_mode/xyz");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal([7000], answer.ErrorCodes);
    }

    [Fact]
    public async Task Only_reads_exist_so_writes_find_no_route()
    {
        using var client = Reader();
        using var response = await client.PostAsync("zones", new StringContent("{}"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(7000, document.RootElement.GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("zones/acme-analytics.io")]
    [InlineData("accounts/Acme/members")]
    [InlineData("accounts/" + Api.Prod + "/members/42")]
    public async Task Malformed_ids_answer_400_could_not_route(string path)
    {
        using var client = Reader();
        var answer = await client.GetApiAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([7003, 7000], answer.ErrorCodes);
        Assert.Contains("perhaps your object identifier is invalid?", answer.FirstErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_well_formed_ids_answer_404_7003()
    {
        using var client = Reader();
        var zone = await client.GetApiAsync("zones/00000000000000000000000000000000");
        var setting = await client.GetApiAsync($"zones/{DemoZoneIds.Main}/settings/no_such_setting");

        Assert.Equal((HttpStatusCode.NotFound, 7003), (zone.Status, zone.ErrorCodes.Single()));
        Assert.Equal((HttpStatusCode.NotFound, 7003), (setting.Status, setting.ErrorCodes.Single()));
    }

    [Fact]
    public async Task Stats_count_requests_per_route_template()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        await client.GetApiAsync($"accounts/{Api.Prod}/members");
        await client.GetApiAsync($"accounts/{Api.Staging}/members");
        await client.GetApiAsync("nowhere");

        Assert.Equal(3, sim.Stats.TotalRequests);
        Assert.Equal(2, sim.Stats.CountFor("GET /accounts/{account_id}/members"));
        Assert.Equal(1, sim.Stats.CountFor("GET (unrouted)"));

        sim.Stats.Reset();
        Assert.Equal(0, sim.Stats.TotalRequests);
        Assert.Empty(sim.Stats.ByRoute);
    }

    [Fact]
    public async Task Base_url_is_loopback_without_trailing_slash()
    {
        await Task.CompletedTask;
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/client/v4$", _sim.BaseUrl);
    }

    [Fact]
    public async Task User_groups_list_their_policies_and_members_page_by_page()
    {
        using var client = Reader();
        var groups = await client.GetApiAsync($"accounts/{DemoCredentials.ProductionAccountId}/iam/user_groups?page=1&per_page=50");

        var group = Assert.Single(groups.Result.EnumerateArray());
        Assert.Equal("Platform Ops", group.GetProperty("name").GetString());
        var permissionGroup = group.GetProperty("policies")[0].GetProperty("permission_groups")[0];
        Assert.False(permissionGroup.TryGetProperty("name", out _)); // optional in Cloudflare's types
        Assert.Equal(1, groups.Body.GetProperty("result_info").GetProperty("total_count").GetInt32());

        var members = await client.GetApiAsync($"accounts/{DemoCredentials.ProductionAccountId}/iam/user_groups/{group.GetProperty("id").GetString()}/members");
        var member = Assert.Single(members.Result.EnumerateArray());
        Assert.Equal(("nina.vogel@acme-analytics.io", "accepted"), (member.GetProperty("email").GetString(), member.GetProperty("status").GetString()));

        var names = await client.GetApiAsync($"accounts/{DemoCredentials.ProductionAccountId}/iam/permission_groups");
        Assert.Contains(names.Result.EnumerateArray(), g => g.GetProperty("id").GetString() == permissionGroup.GetProperty("id").GetString() && g.GetProperty("name").GetString() == "Administrator");

        var unknown = await client.GetApiAsync($"accounts/{DemoCredentials.ProductionAccountId}/iam/user_groups/ffffffffffffffffffffffffffffffff/members");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task Sso_connectors_need_sso_connector_read()
    {
        using var client = Reader();
        var connectors = await client.GetApiAsync($"accounts/{DemoCredentials.StagingAccountId}/sso_connectors");
        var connector = Assert.Single(connectors.Result.EnumerateArray());
        Assert.Equal(("acme-analytics.io", true, "verified"),
            (connector.GetProperty("email_domain").GetString(), connector.GetProperty("enabled").GetBoolean(), connector.GetProperty("verification").GetProperty("status").GetString()));

        using var staging = _sim.Client(DemoCredentials.StagingOnlyToken);
        var refused = await staging.GetApiAsync($"accounts/{DemoCredentials.StagingAccountId}/sso_connectors");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
    }
}
