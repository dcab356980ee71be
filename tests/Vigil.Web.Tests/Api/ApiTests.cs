using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vigil.Core.Users;
using Vigil.Simulation;

namespace Vigil.Web.Tests.Api;

/// <summary>
/// Every /api/v1 endpoint over a real Kestrel on loopback, against the Cloudflare simulator's demo company: an admin
/// connects, syncs, maps, imports, reviews; a reviewer decides only their own items; a viewer only reads (403); nobody
/// unauthenticated gets anything (401); and no response ever carries the credential.
/// </summary>
public sealed class ApiTests : IAsyncLifetime
{
    private const string Admin = "admin@acme-analytics.io";
    private const string Owner = "dana.okafor@acme-analytics.io";
    private const string ReviewerEmail = "marcus.lindqvist@acme-analytics.io";
    private const string ViewerEmail = "auditor@acme-analytics.io";
    private const string Fallback = "fatima.hassan@acme-analytics.io";

    private readonly List<string> _seen = [];
    private WebServerFixture _web = null!;
    private CloudflareSimulator _sim = null!;
    private ApiClient _admin = null!;
    private ApiClient _owner = null!;
    private ApiClient _reviewer = null!;
    private ApiClient _viewer = null!;
    private ApiClient _anonymous = null!;
    private ApiClient _fallback = null!;
    private string _adminPassword = null!;

    public async Task InitializeAsync()
    {
        _sim = await CloudflareSimulator.StartAsync(Scenario.Demo(), new SimulatorOptions { Latency = TimeSpan.FromMilliseconds(40) });
        _web = await WebServerFixture.StartAsync();
        _adminPassword = await _web.AddUserAsync(Admin, UserRole.Admin);
        await _web.AddUserAsync(Owner, UserRole.Reviewer);
        await _web.AddUserAsync(ReviewerEmail, UserRole.Reviewer);
        await _web.AddUserAsync(ViewerEmail, UserRole.Viewer);
        _admin = ApiClient.For(_web, await _web.ApiKeyAsync(Admin), _seen);
        _owner = ApiClient.For(_web, await _web.ApiKeyAsync(Owner), _seen);
        _reviewer = ApiClient.For(_web, await _web.ApiKeyAsync(ReviewerEmail), _seen);
        _viewer = ApiClient.For(_web, await _web.ApiKeyAsync(ViewerEmail), _seen);
        _anonymous = ApiClient.For(_web, null, _seen);
        await _web.AddUserAsync(Fallback, UserRole.Reviewer);
        _fallback = ApiClient.For(_web, await _web.ApiKeyAsync(Fallback), _seen);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { _admin, _owner, _reviewer, _viewer, _anonymous, _fallback })
        {
            client.Dispose();
        }
        await _web.DisposeAsync();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task A_viewer_cannot_add_a_connection_and_nothing_is_stored()
    {
        var (status, _, _) = await _viewer.PostAsync("api/v1/connections", new { name = "cloudflare", credential = DemoCredentials.ReadAllToken, api_url = _sim.BaseUrl });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Empty(await _web.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_whole_journey_and_the_credential_never_comes_back()
    {
        // Connections: the credential is write-only.
        var created = await _admin.PostAsync("api/v1/connections", new { name = "cloudflare", credential = DemoCredentials.ReadAllToken, api_url = _sim.BaseUrl });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("/api/v1/connections/cloudflare", created.Response.Headers.Location!.OriginalString);
        Assert.Equal("cloudflare", created.Body.GetProperty("connection").GetProperty("name").GetString());
        Assert.True(created.Body.GetProperty("preflight").GetProperty("credential_valid").GetBoolean());
        Assert.NotEmpty(created.Body.GetProperty("preflight").GetProperty("probes").EnumerateArray());

        var refused = await _admin.PostAsync("api/v1/connections", new { name = "bad", credential = "cfut_not-a-real-token-at-all-000000000000000", api_url = _sim.BaseUrl });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.False(refused.Body.GetProperty("preflight").GetProperty("credential_valid").GetBoolean());
        var noCredential = await _admin.PostAsync("api/v1/connections", new { name = "x" });
        AssertFieldProblem(noCredential, "credential");
        var badPurpose = await _admin.PostAsync("api/v1/connections", new { name = "x", credential = "abc", purpose = "everything" });
        AssertFieldProblem(badPurpose, "purpose");

        var connections = await _admin.GetAsync("api/v1/connections");
        Assert.Equal("cloudflare", Assert.Single(connections.Body.GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
        var tested = await _admin.PostAsync("api/v1/connections/cloudflare/test");
        Assert.Equal(HttpStatusCode.OK, tested.Status);
        Assert.False(string.IsNullOrEmpty(tested.Body.GetProperty("connection").GetProperty("last_test_summary").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsync("api/v1/connections/nope/test")).Status);

        // Staff directory, by upload.
        var csv = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scenarios", "demo-staff.csv"));
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent(csv, Encoding.UTF8, "text/csv"), "file", "staff.csv");
            var imported = await _admin.SendAsync(HttpMethod.Post, "api/v1/people/import", content: form);
            Assert.Equal(HttpStatusCode.OK, imported.Status);
            Assert.True(imported.Body.GetProperty("added").GetInt32() > 10);
        }
        using (var broken = new MultipartFormDataContent())
        {
            broken.Add(new StringContent("email,name\nnot-an-email,Nobody\n", Encoding.UTF8, "text/csv"), "file", "broken.csv");
            var rejected = await _admin.SendAsync(HttpMethod.Post, "api/v1/people/import", content: broken);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.Status);
            Assert.NotEmpty(rejected.Body.GetProperty("errors").EnumerateArray());
        }
        var people = await _viewer.GetAsync("api/v1/people?search=lindqvist");
        Assert.Equal(ReviewerEmail, Assert.Single(people.Body.GetProperty("items").EnumerateArray()).GetProperty("email").GetString());

        // Systems and settings.
        var system = await _admin.PutAsync("api/v1/systems/cloudflare", new { org_roles = new[] { "sre", "engineer", "cto", "security" }, owner = Owner });
        Assert.Equal(HttpStatusCode.OK, system.Status);
        Assert.Equal(Owner, system.Body.GetProperty("owner").GetString());
        var allowed = await _admin.PutAsync("api/v1/systems/cloudflare/roles/engineer", new { cloudflare_roles = new[] { "Administrator Read Only" } });
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        AssertFieldProblem(await _admin.PutAsync("api/v1/systems/jira", new { owner = Owner }), "system");
        Assert.Single((await _viewer.GetAsync("api/v1/systems")).Body.GetProperty("items").EnumerateArray());
        AssertFieldProblem(await _admin.PutAsync("api/v1/settings/offboarding_grace_days", new { value = "-3" }), "value");
        AssertFieldProblem(await _admin.PutAsync("api/v1/settings/no_such_setting", new { value = "1" }), "key");
        var grace = await _admin.PutAsync("api/v1/settings/offboarding_grace_days", new { value = "2" });
        Assert.Equal("2", grace.Body.GetProperty("value").GetString());
        Assert.Contains((await _viewer.GetAsync("api/v1/settings")).Body.GetProperty("items").EnumerateArray(),
            s => s.GetProperty("key").GetString() == "offboarding_grace_days" && s.GetProperty("source").GetString() == "stored");

        // Sync in the background: 202 with the run's location; a second one while it runs is refused.
        var started = await _admin.PostAsync("api/v1/syncs");
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        var location = started.Response.Headers.Location!.OriginalString;
        Assert.StartsWith("/api/v1/syncs/", location, StringComparison.Ordinal);
        Assert.Equal("api", started.Body.GetProperty("trigger").GetString());
        var second = await _admin.PostAsync("api/v1/syncs");
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal("application/problem+json", second.Response.Content.Headers.ContentType!.MediaType);
        var run = await WaitForRunAsync(location);
        Assert.Equal("complete", run.GetProperty("status").GetString());
        Assert.NotEmpty(run.GetProperty("stages").EnumerateArray());
        Assert.Contains((await _viewer.GetAsync("api/v1/syncs")).Body.GetProperty("items").EnumerateArray(), r => location.EndsWith(r.GetProperty("id").GetString()!, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await _viewer.GetAsync("api/v1/syncs/no-such-run")).Status);

        // Checks, findings, zones.
        var checks = await _viewer.GetAsync("api/v1/checks");
        Assert.True(checks.Body.GetProperty("checks").GetArrayLength() > 10);
        var failing = await _viewer.GetAsync("api/v1/findings?status=fail&limit=5");
        Assert.Equal(5, failing.Body.GetProperty("items").GetArrayLength());
        Assert.All(failing.Body.GetProperty("items").EnumerateArray(), f =>
        {
            Assert.Equal("fail", f.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(f.GetProperty("why").GetString()));
            Assert.False(string.IsNullOrEmpty(f.GetProperty("how_to_fix").GetString()));
        });
        var next = failing.Body.GetProperty("next_cursor").GetString()!;
        var page2 = await _viewer.GetAsync($"api/v1/findings?status=fail&limit=5&cursor={Uri.EscapeDataString(next)}");
        Assert.Empty(failing.Body.GetProperty("items").EnumerateArray().Select(Key).Intersect(page2.Body.GetProperty("items").EnumerateArray().Select(Key)));
        AssertFieldProblem(await _viewer.GetAsync("api/v1/findings?status=broken"), "status");
        AssertFieldProblem(await _viewer.GetAsync("api/v1/findings?limit=100000"), "limit");
        AssertFieldProblem(await _viewer.GetAsync("api/v1/findings?cursor=garbage"), "cursor");
        var zones = await _viewer.GetAsync("api/v1/zones");
        var zone = zones.Body.GetProperty("items")[0];
        Assert.NotEmpty(zone.GetProperty("checks").EnumerateArray());
        var byZone = await _viewer.GetAsync($"api/v1/findings?zone={zone.GetProperty("name").GetString()}");
        Assert.All(byZone.Body.GetProperty("items").EnumerateArray(), f => Assert.Equal(zone.GetProperty("id").GetString(), f.GetProperty("zone_id").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await _viewer.GetAsync($"api/v1/zones/{zone.GetProperty("id").GetString()}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _viewer.GetAsync("api/v1/zones/no-such-zone.example")).Status);

        // Members and mappings.
        var unidentified = await _viewer.GetAsync("api/v1/members?flag=unidentified");
        var stranger = unidentified.Body.GetProperty("items").EnumerateArray().First();
        var strangerEmail = stranger.GetProperty("email").GetString()!;
        Assert.Equal("unidentified", stranger.GetProperty("identity").GetString());
        var member = await _viewer.GetAsync($"api/v1/members/{stranger.GetProperty("account_id").GetString()}/{stranger.GetProperty("id").GetString()}");
        Assert.Equal(strangerEmail, member.Body.GetProperty("email").GetString());
        AssertFieldProblem(await _admin.PutAsync($"api/v1/mappings/{strangerEmail}", new { person_email = "nobody@nowhere.example" }), "person_email");
        AssertFieldProblem(await _admin.PutAsync($"api/v1/mappings/{strangerEmail}", new { service_account = "  " }), "justification");
        var mapped = await _admin.PutAsync($"api/v1/mappings/{strangerEmail}", new { service_account = "CI deploy bot owned by the platform team" });
        Assert.Equal(HttpStatusCode.OK, mapped.Status);
        var after = await _viewer.GetAsync($"api/v1/members?search={Uri.EscapeDataString(strangerEmail)}");
        Assert.All(after.Body.GetProperty("items").EnumerateArray(), m => Assert.Equal("service_account", m.GetProperty("identity").GetString()));
        Assert.Single((await _viewer.GetAsync("api/v1/mappings")).Body.GetProperty("items").EnumerateArray());
        var firstMappings = (await _viewer.GetAsync("api/v1/mappings?limit=1")).Body;
        Assert.Equal((1, 1, JsonValueKind.Null), (firstMappings.GetProperty("items").GetArrayLength(), firstMappings.GetProperty("total").GetInt32(), firstMappings.GetProperty("next_cursor").ValueKind));
        AssertFieldProblem(await _viewer.GetAsync("api/v1/mappings?limit=0"), "limit");
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"api/v1/mappings/{strangerEmail}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync($"api/v1/mappings/{strangerEmail}")).Status);

        // Accounts' SSO declarations.
        var accounts = await _viewer.GetAsync("api/v1/accounts");
        var accountId = accounts.Body.GetProperty("items")[0].GetProperty("id").GetString()!;
        AssertFieldProblem(await _admin.PutAsync($"api/v1/accounts/{accountId}/sso", new { domains = new[] { "acme-analytics.io" } }), "evidence");
        var declared = await _admin.PutAsync($"api/v1/accounts/{accountId}/sso", new { domains = new[] { "acme-analytics.io" }, evidence = "Okta policy MFA-required" });
        Assert.Equal(HttpStatusCode.OK, declared.Status);
        Assert.Contains((await _viewer.GetAsync("api/v1/accounts")).Body.GetProperty("items").EnumerateArray(),
            a => a.GetProperty("id").GetString() == accountId && a.GetProperty("sso").ValueKind == JsonValueKind.Object);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"api/v1/accounts/{accountId}/sso")).Status);

        // Reviews: start, list, get; the reviewer decides their items only; the owner reassigns and signs off.
        var review = await _admin.PostAsync("api/v1/reviews", new { name = "Q4 review", reviewers = new[] { Fallback } });
        Assert.True(review.Status == HttpStatusCode.Created, review.Body.ToString());
        var campaignId = review.Body.GetProperty("campaign_id").GetString()!;
        Assert.Contains((await _viewer.GetAsync("api/v1/reviews")).Body.GetProperty("campaigns").EnumerateArray(), c => c.GetProperty("campaign_id").GetString() == campaignId);
        // The campaign list is paginated like every list, oldest first: a second campaign is on the second page of one.
        var secondCampaign = (await _admin.PostAsync("api/v1/reviews", new { name = "Second look", reviewers = new[] { Fallback } })).Body.GetProperty("campaign_id").GetString()!;
        var firstPage = (await _viewer.GetAsync("api/v1/reviews?limit=1")).Body;
        Assert.Equal(2, firstPage.GetProperty("total").GetInt32());
        Assert.Equal([campaignId], firstPage.GetProperty("campaigns").EnumerateArray().Select(c => c.GetProperty("campaign_id").GetString()));
        var nextPage = (await _viewer.GetAsync($"api/v1/reviews?limit=1&cursor={firstPage.GetProperty("next_cursor").GetString()}")).Body;
        Assert.Equal([secondCampaign], nextPage.GetProperty("campaigns").EnumerateArray().Select(c => c.GetProperty("campaign_id").GetString()));
        Assert.Equal(JsonValueKind.Null, nextPage.GetProperty("next_cursor").ValueKind);
        var badLimit = await _viewer.GetAsync("api/v1/reviews?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.Status);
        Assert.Contains("limit", badLimit.Body.ToString());
        var campaign = (await _reviewer.GetAsync($"api/v1/reviews/{campaignId}")).Body;
        var items = campaign.GetProperty("items").EnumerateArray().ToList();
        var mine = items.First(i => i.GetProperty("reviewer").GetString() == ReviewerEmail);
        var theirs = items.First(i => i.GetProperty("reviewer").GetString() != ReviewerEmail && i.GetProperty("reviewer").GetString() != Owner
            && i.GetProperty("member_email").GetString() != Admin);

        var kept = await _reviewer.PostAsync($"api/v1/reviews/{campaignId}/decisions",
            new { member_email = mine.GetProperty("member_email").GetString(), account = mine.GetProperty("account_id").GetString(), decision = "keep" });
        Assert.Equal(HttpStatusCode.OK, kept.Status);
        Assert.Equal(ReviewerEmail, kept.Body.GetProperty("by").GetString());
        var notMine = await _reviewer.PostAsync($"api/v1/reviews/{campaignId}/decisions",
            new { member_email = theirs.GetProperty("member_email").GetString(), account = theirs.GetProperty("account_id").GetString(), decision = "keep" });
        Assert.Equal(HttpStatusCode.Forbidden, notMine.Status);
        Assert.Equal("application/problem+json", notMine.Response.Content.Headers.ContentType!.MediaType);
        // An admin does everything: decides an item assigned to someone else, recorded as the admin's decision.
        var adminDecides = await _admin.PostAsync($"api/v1/reviews/{campaignId}/decisions",
            new { member_email = theirs.GetProperty("member_email").GetString(), account = theirs.GetProperty("account_id").GetString(), decision = "keep" });
        Assert.True(adminDecides.Status == HttpStatusCode.OK, adminDecides.Body.ToString());
        Assert.Equal(Admin, adminDecides.Body.GetProperty("by").GetString());
        var viewerDecides = await _viewer.PostAsync($"api/v1/reviews/{campaignId}/decisions",
            new { member_email = mine.GetProperty("member_email").GetString(), decision = "keep" });
        Assert.Equal(HttpStatusCode.Forbidden, viewerDecides.Status);
        AssertFieldProblem(await _reviewer.PostAsync($"api/v1/reviews/{campaignId}/decisions",
            new { member_email = mine.GetProperty("member_email").GetString(), account = mine.GetProperty("account_id").GetString(), decision = "maybe" }), "decision");
        var noComment = await _reviewer.PostAsync($"api/v1/reviews/{campaignId}/decisions",
            new { member_email = mine.GetProperty("member_email").GetString(), account = mine.GetProperty("account_id").GetString(), decision = "revoke" });
        Assert.Equal(HttpStatusCode.Conflict, noComment.Status);
        Assert.Contains("comment", noComment.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _viewer.GetAsync("api/v1/reviews/no-such-campaign")).Status);

        var reassigned = await _owner.PostAsync($"api/v1/reviews/{campaignId}/reassign",
            new { member_email = theirs.GetProperty("member_email").GetString(), account = theirs.GetProperty("account_id").GetString(), to = ReviewerEmail });
        Assert.Equal(HttpStatusCode.OK, reassigned.Status);
        Assert.Equal(ReviewerEmail, reassigned.Body.GetProperty("reviewer").GetString());
        var nowMine = await _reviewer.PostAsync($"api/v1/reviews/{campaignId}/decisions",
            new { member_email = theirs.GetProperty("member_email").GetString(), account = theirs.GetProperty("account_id").GetString(), decision = "revoke", comment = "left the team" });
        Assert.Equal(HttpStatusCode.OK, nowMine.Status);

        var bulkRefused = await _owner.SendAsync(HttpMethod.Post, $"api/v1/reviews/{campaignId}/decisions/bulk",
            content: new StringContent("member_email,account_id,decision,role,comment\nnobody@nowhere.example,,keep,,\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bulkRefused.Status);
        Assert.NotEmpty(bulkRefused.Body.GetProperty("errors").EnumerateArray());
        var undecided = (await _owner.GetAsync($"api/v1/reviews/{campaignId}")).Body.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("decision").ValueKind == JsonValueKind.Null).ToList();
        // The owner decides every item but their own, which their reviewer decides.
        string Lines(IEnumerable<JsonElement> of) => "member_email,account_id,decision,role,comment\n" +
            string.Concat(of.Select(i => $"{i.GetProperty("member_email").GetString()},{i.GetProperty("account_id").GetString()},keep,,\n"));
        var others = undecided.Where(i => i.GetProperty("member_email").GetString() != Owner).ToList();
        var bulk = await _owner.SendAsync(HttpMethod.Post, $"api/v1/reviews/{campaignId}/decisions/bulk", content: new StringContent(Lines(others), Encoding.UTF8, "text/csv"));
        Assert.True(bulk.Status == HttpStatusCode.OK, bulk.Body.ToString());
        Assert.Equal(others.Count, bulk.Body.GetProperty("recorded").GetInt32());
        var own = undecided.Where(i => i.GetProperty("member_email").GetString() == Owner).ToList();
        var ownDecided = await _fallback.SendAsync(HttpMethod.Post, $"api/v1/reviews/{campaignId}/decisions/bulk", content: new StringContent(Lines(own), Encoding.UTF8, "text/csv"));
        Assert.True(ownDecided.Status == HttpStatusCode.OK, ownDecided.Body.ToString());

        Assert.Equal(HttpStatusCode.Conflict, (await _reviewer.PostAsync($"api/v1/reviews/{campaignId}/complete", new { statement = "all reviewed" })).Status);
        AssertFieldProblem(await _owner.PostAsync($"api/v1/reviews/{campaignId}/complete", new { statement = "" }), "statement");
        var completed = await _owner.PostAsync($"api/v1/reviews/{campaignId}/complete", new { statement = "All Cloudflare access reviewed." });
        Assert.True(completed.Status == HttpStatusCode.OK, completed.Body.ToString());
        Assert.Equal(Owner, completed.Body.GetProperty("sign_off").GetProperty("by").GetString());

        // Removing the connection: 204, then 404.
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("api/v1/connections/cloudflare")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("api/v1/connections/cloudflare")).Status);

        // Every response of every request above: never the credential.
        Assert.True(_seen.Count > 60, $"only {_seen.Count} responses recorded");
        Assert.DoesNotContain(_seen, body => body.Contains(DemoCredentials.ReadAllToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_that_is_not_json_for_the_request_names_the_field()
    {
        var (status, body, response) = await _admin.SendAsync(HttpMethod.Put, "api/v1/settings/offboarding_grace_days",
            content: new StringContent("{\"value\": [1, 2]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty("value", out _));
    }

    [Fact]
    public async Task A_sync_without_a_connection_is_refused_with_a_problem()
    {
        var (status, body, response) = await _admin.PostAsync("api/v1/syncs");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("connection", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_changing_request_with_the_session_cookie_but_no_antiforgery_token_is_refused()
    {
        using var browser = await _web.SignedInClientAsync(Admin, _adminPassword);
        var response = await browser.PutAsync("api/v1/settings/offboarding_grace_days", new StringContent("{\"value\":\"1\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("0", (await _admin.GetAsync("api/v1/settings")).Body.GetProperty("items").EnumerateArray()
            .First(s => s.GetProperty("key").GetString() == "offboarding_grace_days").GetProperty("value").GetString());
    }

    private async Task<JsonElement> WaitForRunAsync(string location)
    {
        for (var i = 0; i < 600; i++)
        {
            var (status, body, _) = await _viewer.GetAsync(location);
            Assert.Equal(HttpStatusCode.OK, status);
            if (body.GetProperty("status").GetString() != "running")
            {
                return body;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the sync did not end within a minute");
    }

    private static string Key(JsonElement finding) =>
        $"{finding.GetProperty("check_id").GetString()}|{finding.GetProperty("resource_type").GetString()}|{finding.GetProperty("resource_id").GetString()}|{finding.GetProperty("account_id")}";

    private static void AssertFieldProblem((HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response) result, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("application/problem+json", result.Response.Content.Headers.ContentType!.MediaType);
        Assert.True(result.Body.GetProperty("errors").TryGetProperty(field, out _), $"no error for '{field}' in {result.Body}");
    }
}
