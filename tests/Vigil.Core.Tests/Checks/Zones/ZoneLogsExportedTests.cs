using Vigil.Core.Checks.Zones;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Zones;

public sealed class ZoneLogsExportedTests
{
    private readonly ZoneLogsExported _check = new();
    private static readonly DateTimeOffset At = SnapshotBuilder.SyncedAt;

    private static Func<ZoneSecurity, ZoneSecurity> Jobs(params LogpushJob[]? jobs) =>
        s => s with { Features = (s.Features ?? new ZoneFeatures()) with { LogpushJobs = jobs } };

    private static LogpushJob Job(string id, string dataset, bool enabled = true, string kind = "", DateTimeOffset? lastComplete = null, DateTimeOffset? lastError = null, string? error = null) =>
        new(id, $"job {id}", dataset, enabled, kind, "s3", lastComplete ?? At.AddMinutes(-3), lastError, error);

    [Theory]
    [InlineData("http_requests")]
    [InlineData("firewall_events")]
    public void Passes_an_enterprise_zone_with_an_enabled_job(string dataset)
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Jobs(Job("11", dataset)), planLegacyId: "enterprise").Build()))
            .ShouldPass("shop.example", containing: $"zone shop.example exports {dataset} through zone Logpush job 11 (job 11) to s3");
    }

    [Theory]
    [InlineData("free", "Free")]
    [InlineData("pro", "Pro")]
    [InlineData("business", "Business")]
    public void Skips_zones_below_enterprise(string plan, string name)
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Jobs(null), planLegacyId: plan).Build()))
            .ShouldBeSkipped("shop.example", containing: $"not available on the {name} plan");
    }

    [Fact]
    public void Fails_an_enterprise_zone_without_jobs_naming_the_screen_and_call()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Jobs(), planLegacyId: "enterprise", id: "z-1").Build()))
            .ShouldFail("shop.example", containing: "zone shop.example has no Logpush job");

        Assert.Contains("Analytics & Logs > Logpush", finding.Remediation);
        Assert.Contains("POST /zones/z-1/logpush/jobs", finding.Remediation);
    }

    [Fact]
    public void Fails_when_jobs_are_disabled_failing_instant_logs_or_other_datasets()
    {
        var jobs = Jobs(
            Job("1", "http_requests", enabled: false),
            Job("2", "firewall_events", lastComplete: At.AddDays(-2), lastError: At.AddHours(-1), error: "destination refused the upload"),
            Job("3", "http_requests", kind: "instant-logs"),
            Job("4", "dns_logs"));
        var finding = _check.Run(Context(new SnapshotBuilder().Zone("shop.example", jobs, planLegacyId: "enterprise").Build()))
            .ShouldFail("shop.example");

        Assert.Contains("http_requests through zone Logpush job 1 (job 1) to s3 is disabled", finding.Reason);
        Assert.Contains("job 2 (job 2) to s3 failed its last push (destination refused the upload, at 2025-06-01 11:00 UTC)", finding.Reason);
        Assert.Contains("job 3 (job 3) to s3 is an Instant Logs job", finding.Reason);
        Assert.Contains("zone job 4 pushes dns_logs, which does not record the zone's traffic", finding.Reason);
    }

    [Fact]
    public void A_job_that_recovered_after_an_error_counts()
    {
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Jobs(Job("5", "http_requests", lastComplete: At.AddMinutes(-1), lastError: At.AddHours(-1))), planLegacyId: "enterprise").Build()))
            .ShouldPass("shop.example", containing: "job 5");
    }

    [Fact]
    public void Names_account_jobs_that_do_not_cover_the_zone_and_counts_one_that_does()
    {
        var audit = new AccountLogpush(SnapshotBuilder.DefaultAccountId, [Job("90", "audit_logs")]);
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Jobs(), planLegacyId: "enterprise").AccountLogpush(audit).Build()))
            .ShouldFail("shop.example", containing: "account job 90 pushes audit_logs, which does not record the zone's traffic");

        var traffic = new AccountLogpush(SnapshotBuilder.DefaultAccountId, [Job("91", "http_requests")]);
        _check.Run(Context(new SnapshotBuilder().Zone("shop.example", Jobs(), planLegacyId: "enterprise").AccountLogpush(traffic).Build()))
            .ShouldPass("shop.example", containing: "through account Logpush job 91");
    }

    [Fact]
    public void Says_when_the_account_jobs_could_not_be_read()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Jobs(), planLegacyId: "enterprise")
            .Gap("infra", ZoneLogsExported.AccountLogpushGap, SnapshotBuilder.DefaultAccountId, missingPermission: "Logs Read", what: "GET /accounts/acc-1/logpush/jobs").Build();

        _check.Run(Context(snapshot)).ShouldFail("shop.example", containing: "the account's Logpush jobs could not be read (GET /accounts/acc-1/logpush/jobs failed");
    }

    [Fact]
    public void Is_unknown_naming_the_missing_permission()
    {
        var snapshot = new SnapshotBuilder().Zone("shop.example", Jobs(null), planLegacyId: "enterprise", id: "z-1")
            .Gap("infra", "logpush", "z-1", missingPermission: "Logs Read", what: "GET /zones/z-1/logpush/jobs").Build();

        var finding = _check.Run(Context(snapshot)).ShouldBeUnknown("shop.example",
            containing: "the Logpush jobs of zone shop.example could not be read: GET /zones/z-1/logpush/jobs failed (403 Forbidden); the credential lacks the 'Logs Read' permission");
        Assert.Contains("'Logs Read'", finding.Remediation);
    }
}
