using System.Net;
using Vigil.Core.Users;
using Vigil.Simulation;

namespace Vigil.Web.Tests;

/// <summary>The pages over the demo company's synced data, read as a browser without JavaScript would.</summary>
public sealed class PagesTests : IAsyncLifetime
{
    private static readonly string[] Pages = ["", "findings", "findings?status=all", "members", "zones", "reviews", "connections", "reports"];

    private WebServerFixture _web = null!;
    private DemoData _demo = null!;
    private string _adminPassword = "";
    private string _viewerPassword = "";

    public async Task InitializeAsync()
    {
        _web = await WebServerFixture.StartAsync();
        _demo = await DemoData.SeedAsync(_web);
        _adminPassword = await _web.AddUserAsync(DemoData.Admin, UserRole.Admin);
        _viewerPassword = await _web.AddUserAsync("victor@acme-analytics.io", UserRole.Viewer);
    }

    public async Task DisposeAsync()
    {
        await _demo.DisposeAsync();
        await _web.DisposeAsync();
    }

    [Fact]
    public async Task Every_page_answers_a_viewer_and_shows_the_demo_data()
    {
        using var client = await _web.SignedInClientAsync("victor@acme-analytics.io", _viewerPassword);
        foreach (var path in Pages)
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/{path}: {response.StatusCode}");
        }

        var overview = await client.GetStringAsync("");
        Assert.Contains("cloudflare.user-identified", overview);
        Assert.Contains("<svg class=\"trend\"", overview);
        Assert.Contains("Next scheduled sync", overview);
        // This server runs no scheduler: the next sync is worked out from the setting and the last run.
        Assert.DoesNotContain("by the scheduler", overview);
        Assert.DoesNotContain("Sync now", overview);
        var findings = await client.GetStringAsync("findings?check=cloudflare.user-identified&status=fail");
        Assert.Contains(DemoData.Contractor, findings);
        Assert.DoesNotContain("alex.chen@acmeanalytics.com", findings);
        var zones = await client.GetStringAsync("zones");
        Assert.Contains("minimum TLS", zones);
        // The CA of each certificate pack in use, which cloudflare.dns-caa judges the CAA records against.
        Assert.Contains("<th>certificate authorities</th>", zones);
        Assert.Contains("universal: lets_encrypt", zones);
        var reports = await client.GetStringAsync("reports");
        Assert.Contains("Only an admin generates reports", reports);
        Assert.DoesNotContain("id=\"generate-report\"", reports);
    }

    [Fact]
    public async Task Names_from_cloudflare_are_html_encoded_on_every_page()
    {
        using var client = await _web.SignedInClientAsync(DemoData.Admin, _adminPassword);
        var members = await client.GetStringAsync("members?search=mallory");

        Assert.Contains(DemoData.HostileEmail, members);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;Mallory&lt;/b&gt;", members);
        foreach (var path in Pages.Append("members?search=mallory").Append("findings?status=all&check=cloudflare.user-identified"))
        {
            var html = await client.GetStringAsync(path);
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<b>Mallory", html);
            Assert.DoesNotContain("<img src=x>", html);
        }
    }

    [Fact]
    public async Task A_viewer_cannot_map_a_member_or_sync_and_an_admin_can_map()
    {
        using var viewer = await _web.SignedInClientAsync("victor@acme-analytics.io", _viewerPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("members/map?member=" + DemoData.Contractor)).StatusCode);
        var token = await WebServerFixture.FormTokenAsync(viewer, "");
        var map = await viewer.PostAsync("members/map?handler=Map", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["member"] = DemoData.Contractor, ["person"] = "priya.raman@acme-analytics.io", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Forbidden, map.StatusCode);
        var sync = await viewer.PostAsync("?handler=Sync", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Forbidden, sync.StatusCode);
        Assert.Empty(await _web.Store.ListMappingsAsync(CancellationToken.None));

        using var admin = await _web.SignedInClientAsync(DemoData.Admin, _adminPassword);
        var page = await admin.GetStringAsync("members/map?member=" + Uri.EscapeDataString(DemoData.Contractor) + "&q=priya");
        Assert.Contains("Map to Priya Raman", page);
        var adminToken = await WebServerFixture.FormTokenAsync(admin, "members/map?member=" + Uri.EscapeDataString(DemoData.Contractor));
        var mapped = await admin.PostAsync("members/map?handler=Map", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["member"] = DemoData.Contractor, ["person"] = "priya.raman@acme-analytics.io", ["__RequestVerificationToken"] = adminToken,
        }));
        Assert.Equal(HttpStatusCode.Redirect, mapped.StatusCode);
        var mapping = Assert.Single(await _web.Store.ListMappingsAsync(CancellationToken.None));
        Assert.Equal("priya.raman@acme-analytics.io", mapping.PersonEmail);
    }

    [Fact]
    public async Task An_admin_generates_a_report_on_the_reports_page_and_downloads_it_with_its_manifest()
    {
        // A viewer sees no form, and a forged post is refused.
        using var viewer = await _web.SignedInClientAsync("victor@acme-analytics.io", _viewerPassword);
        var viewerToken = await WebServerFixture.FormTokenAsync(viewer, "reports");
        var byViewer = await viewer.PostAsync("reports?handler=Generate", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Format"] = "html", ["__RequestVerificationToken"] = viewerToken,
        }));
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);

        using var admin = await _web.SignedInClientAsync(DemoData.Admin, _adminPassword);
        var page = await admin.GetStringAsync("reports");
        Assert.Contains("id=\"generate-report\"", page);
        Assert.Contains("No report has been generated here yet", page);

        // Without the anti-forgery token the form post is refused and nothing is generated.
        var forged = await admin.PostAsync("reports?handler=Generate", new FormUrlEncodedContent(new Dictionary<string, string> { ["Format"] = "html" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var token = await WebServerFixture.FormTokenAsync(admin, "reports");
        var bad = await admin.PostAsync("reports?handler=Generate", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Format"] = "html", ["At"] = "someday", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("is not a date", await bad.Content.ReadAsStringAsync());
        Assert.Contains("No report has been generated here yet", await admin.GetStringAsync("reports"));

        foreach (var (format, mediaType) in new[] { ("html", "text/html"), ("ocsf", "application/x-ndjson") })
        {
            var generated = await admin.PostAsync("reports?handler=Generate", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Format"] = format, ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal(HttpStatusCode.Redirect, generated.StatusCode);
            var location = generated.Headers.Location!.OriginalString;
            Assert.StartsWith("/reports?generated=", location, StringComparison.Ordinal);
            var id = location["/reports?generated=".Length..];

            // The viewer's page lists it with both links, and both download.
            var listed = await viewer.GetStringAsync("reports");
            Assert.Contains($"href=\"/api/v1/reports/{id}/file\"", listed);
            Assert.Contains($"href=\"/api/v1/reports/{id}/manifest\"", listed);
            var file = await viewer.GetAsync($"api/v1/reports/{id}/file");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(mediaType, file.Content.Headers.ContentType!.MediaType);
            var manifest = await viewer.GetAsync($"api/v1/reports/{id}/manifest");
            Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
            Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await file.Content.ReadAsByteArrayAsync())),
                await manifest.Content.ReadAsStringAsync());
        }
        Assert.Contains("Generated the ocsf report", await admin.GetStringAsync("reports"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_credential_the_password_and_the_api_key_never_appear_in_any_response()
    {
        var key = await _web.ApiKeyAsync(DemoData.Admin);
        using var client = await _web.SignedInClientAsync(DemoData.Admin, _adminPassword);
        var token = await WebServerFixture.FormTokenAsync(client, "connections");
        var responses = new List<HttpResponseMessage>();
        foreach (var path in Pages)
        {
            responses.Add(await client.GetAsync(path));
        }

        responses.Add(await client.PostAsync("connections?handler=Test", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "acme", ["__RequestVerificationToken"] = token,
        })));
        var bearer = new HttpRequestMessage(HttpMethod.Get, "api/v1/no-such-resource");
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        responses.Add(await client.SendAsync(bearer));

        Assert.Contains("Preflight of acme", await responses[^2].Content.ReadAsStringAsync());
        foreach (var response in responses)
        {
            var everything = response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(DemoCredentials.ReadAllToken, everything);
            Assert.DoesNotContain(_adminPassword, everything);
            Assert.DoesNotContain(key, everything);
        }
    }

    [Fact]
    public async Task Findings_show_an_exception_s_reason_approver_and_expiry_encoded_and_say_when_it_expired()
    {
        const string Reason = "<script>alert('r')</script> contract & \"signed\"";
        const string Approver = "<b>ciso</b>@acme-analytics.io";
        var ct = CancellationToken.None;
        var snapshot = await _web.Store.LoadCurrentSnapshotAsync(ct);
        var evaluation = await _web.Store.LoadLatestEvaluationAsync(snapshot!.Id, ct);
        // The contractor's failure is excused; the hostile member's exception has expired, so it still fails.
        var results = evaluation!.Results.Select(r => r.CheckId != "cloudflare.user-identified" ? r : r with
        {
            Status = Core.Checks.CheckStatus.Fail,
            Findings = [.. r.Findings.Select(f => f.Subject == DemoData.Contractor
                ? f with { Status = Core.Checks.FindingStatus.Excepted, Exception = new Core.Checks.FindingException(DemoData.Contractor, Reason, Approver, new DateOnly(2027, 3, 31), Expired: false) }
                : f.Subject == DemoData.HostileEmail
                    ? f with { Status = Core.Checks.FindingStatus.Fail, Exception = new Core.Checks.FindingException(DemoData.HostileEmail, "pilot", "dana@acme-analytics.io", new DateOnly(2026, 1, 31), Expired: true) }
                    : f)],
        }).ToList();
        await _web.Store.SaveEvaluationAsync(evaluation with { EvaluatedAt = evaluation.EvaluatedAt.AddSeconds(1), Results = results }, ct);

        using var client = await _web.SignedInClientAsync("victor@acme-analytics.io", _viewerPassword);
        var excepted = await client.GetStringAsync("findings?check=cloudflare.user-identified&status=excepted");
        Assert.Contains(DemoData.Contractor, excepted);
        Assert.Contains("excepted until 2027-03-31:", excepted);
        Assert.Contains("&lt;script&gt;alert(&#x27;r&#x27;)&lt;/script&gt; contract &amp; &quot;signed&quot;", excepted);
        Assert.Contains("approved by &lt;b&gt;ciso&lt;/b&gt;@acme-analytics.io", excepted);
        Assert.DoesNotContain("<script>alert('r')", excepted);
        Assert.DoesNotContain("<b>ciso", excepted);

        var failing = await client.GetStringAsync("findings?check=cloudflare.user-identified&status=fail");
        Assert.Contains("exception expired on 2026-01-31 and no longer excuses this finding:", failing);
        Assert.Contains("approved by dana@acme-analytics.io", failing);
        Assert.DoesNotContain(DemoData.Contractor, failing);

        // The REST API's findings list carries the same exception fields.
        using var api = Api.ApiClient.For(_web, await _web.ApiKeyAsync("victor@acme-analytics.io"), []);
        var (status, body, _) = await api.GetAsync("api/v1/findings?check=cloudflare.user-identified&status=excepted,fail");
        Assert.Equal(HttpStatusCode.OK, status);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        var exception = items.Single(f => f.GetProperty("subject").GetString() == DemoData.Contractor).GetProperty("exception");
        Assert.Equal(Reason, exception.GetProperty("reason").GetString());
        Assert.Equal(Approver, exception.GetProperty("approved_by").GetString());
        Assert.Equal("2027-03-31", exception.GetProperty("expires").GetString());
        Assert.False(exception.GetProperty("expired").GetBoolean());
        var expired = items.Single(f => f.GetProperty("subject").GetString() == DemoData.HostileEmail);
        Assert.Equal("fail", expired.GetProperty("status").GetString());
        Assert.True(expired.GetProperty("exception").GetProperty("expired").GetBoolean());
    }

    [Fact]
    public async Task Evaluate_now_after_a_mapping_changes_the_finding()
    {
        using var admin = await _web.SignedInClientAsync(DemoData.Admin, _adminPassword);
        Assert.Contains(DemoData.Contractor, await admin.GetStringAsync("findings?check=cloudflare.user-identified&status=fail"));
        await App.Administration.DirectoryOperations.MarkServiceAccountAsync(_web.Store, DemoData.Contractor, "contractor's shared deploy login", TimeProvider.System, CancellationToken.None);
        await App.Administration.DirectoryOperations.MarkServiceAccountAsync(_web.Store, DemoData.HostileEmail, "test", TimeProvider.System, CancellationToken.None);

        var token = await WebServerFixture.FormTokenAsync(admin, "");
        var evaluated = await admin.PostAsync("?handler=Evaluate", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, evaluated.StatusCode);
        Assert.Contains("Evaluated at", await admin.GetStringAsync(""));

        Assert.DoesNotContain(DemoData.Contractor, await admin.GetStringAsync("findings?check=cloudflare.user-identified&status=fail"));
        Assert.Contains(DemoData.Contractor, await admin.GetStringAsync("findings?check=cloudflare.user-identified&status=pass"));
    }

    [Fact]
    public async Task A_reviewer_decides_only_their_own_items_and_a_viewer_none()
    {
        var started = await new App.Reviews.ReviewService(_web.Store, TimeProvider.System).StartAsync(new App.Reviews.StartCampaignRequest(), CancellationToken.None);
        var campaign = await new App.Reviews.ReviewService(_web.Store, TimeProvider.System).ShowAsync(started.Campaign.Id, CancellationToken.None);
        var theirs = campaign.Items.First(i => !string.Equals(i.Reviewer, DemoData.Admin, StringComparison.OrdinalIgnoreCase));
        var notTheirs = campaign.Items.First(i => !string.Equals(i.Reviewer, theirs.Reviewer, StringComparison.OrdinalIgnoreCase));
        var reviewerPassword = await _web.AddUserAsync(theirs.Reviewer, UserRole.Reviewer);
        using var reviewer = await _web.SignedInClientAsync(theirs.Reviewer, reviewerPassword);
        var path = "reviews/" + Uri.EscapeDataString(campaign.CampaignId);
        var page = await reviewer.GetStringAsync(path);
        Assert.Contains("Your queue", page);
        Assert.Contains(theirs.MemberEmail, page);

        async Task<HttpResponseMessage> DecideAsync(HttpClient client, App.Reviews.ReviewItemView item) =>
            await client.PostAsync(path + "?handler=Decide", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["member"] = item.MemberId, ["account"] = item.AccountId, ["decision"] = "keep",
                ["__RequestVerificationToken"] = await WebServerFixture.FormTokenAsync(client, path),
            }));

        var refused = await DecideAsync(reviewer, notTheirs);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role=\"alert\"", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await DecideAsync(reviewer, theirs)).StatusCode);

        using var viewer = await _web.SignedInClientAsync("victor@acme-analytics.io", _viewerPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync(viewer, notTheirs)).StatusCode);
        Assert.DoesNotContain("Keep</button>", await viewer.GetStringAsync(path));

        var decided = await new App.Reviews.ReviewService(_web.Store, TimeProvider.System).ShowAsync(campaign.CampaignId, CancellationToken.None);
        Assert.Equal(1, decided.Progress.Decided);
        Assert.Equal("keep", decided.Items.Single(i => i.MemberId == theirs.MemberId && i.AccountId == theirs.AccountId).Decision!.Decision);
    }
    [Fact]
    public async Task The_overview_shows_the_schedulers_next_fire_time_and_last_run_when_the_server_runs_the_scheduler()
    {
        // As 'vigil serve' does: the scheduler is a service of the web server. Here one "hour" of sync_interval_hours lasts
        // a minute, so the scheduler's next fire time (24 min after the last run) differs from what the setting alone gives (24 h).
        App.Scheduling.VigilScheduler? scheduler = null;
        var web = await WebServerFixture.StartAsync(services: s => s.AddSingleton<App.Scheduling.VigilScheduler>(_ => scheduler ?? throw new InvalidOperationException("scheduler not started")));
        await using var demo = await DemoData.SeedAsync(web);
        try
        {
            scheduler = await App.Scheduling.VigilScheduler.StartAsync(web.Store, null,
                new App.Scheduling.SchedulerSettings { RunJobs = false, Hour = TimeSpan.FromMinutes(1) }, null,
                Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System, keepSchedules: true, CancellationToken.None);
            var state = await scheduler.ScheduleOfAsync(web.Store.Organisation, CancellationToken.None);
            Assert.NotNull(state.NextRun);
            var lastRun = (await web.Store.ListRunsAsync(1, CancellationToken.None)).Single().StartedAt;
            Assert.Equal(lastRun.AddMinutes(state.IntervalHours), state.NextRun!.Value, TimeSpan.FromSeconds(1));

            var password = await web.AddUserAsync("victor@acme-analytics.io", UserRole.Viewer);
            using var client = await web.SignedInClientAsync("victor@acme-analytics.io", password);
            var overview = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(""));
            Assert.Contains($"Next scheduled sync: <strong>{Vigil.Web.Pages.Overview.Utc(state.NextRun)} by the scheduler (every {state.IntervalHours} h; " +
                $"no scheduled run yet; last sync started {Vigil.Web.Pages.Overview.Utc(lastRun)})</strong>", overview);
        }
        finally
        {
            await web.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_overviews_attention_counts_follow_review_writes_made_by_another_process()
    {
        using var client = await _web.SignedInClientAsync("victor@acme-analytics.io", _viewerPassword);
        async Task<(int Overdue, int Unverified, int Unidentified)> CountsAsync()
        {
            var html = await client.GetStringAsync("");
            int Count(string id) => int.Parse(System.Text.RegularExpressions.Regex.Match(html, $"id=\"{id}\">(\\d+)<").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return (Count("overdue-count"), Count("unverified-count"), Count("unidentified-count"));
        }

        var before = await CountsAsync();
        Assert.Equal(0, before.Overdue);
        Assert.Equal(0, before.Unverified);

        // The CLI's own store over the same home, as `vigil review start` and `vigil review decide` would write.
        await using (var cli = await Vigil.Storage.Sqlite.SqliteStore.OpenInHomeAsync(_web.Home, TimeProvider.System, CancellationToken.None))
        {
            var reviews = new App.Reviews.ReviewService(cli, TimeProvider.System);
            var started = await reviews.StartAsync(new App.Reviews.StartCampaignRequest(Due: new DateOnly(2020, 1, 1)), CancellationToken.None);
            var items = started.Items.Count;
            var open = await CountsAsync();
            Assert.Equal((items, 0), (open.Overdue, open.Unverified));

            var hostile = started.Items.First(i => i.MemberEmail == DemoData.HostileEmail);
            await reviews.DecideAsync(new App.Reviews.DecideRequest(started.Campaign.Id, hostile.MemberEmail, Core.Reviews.DecisionKind.Revoke, [],
                started.Campaign.Owner!, "not one of ours", hostile.AccountId), CancellationToken.None);
            var decided = await CountsAsync();
            Assert.Equal((items - 1, 1), (decided.Overdue, decided.Unverified));

            // A mapping made elsewhere shows at once, without a new evaluation.
            await cli.SaveMappingAsync(new Core.People.IdentityMapping(DemoData.Contractor, null, "contractor's shared login", TimeProvider.System.GetUtcNow()), CancellationToken.None);
            Assert.Equal(before.Unidentified - 1, (await CountsAsync()).Unidentified);
        }
    }
}
