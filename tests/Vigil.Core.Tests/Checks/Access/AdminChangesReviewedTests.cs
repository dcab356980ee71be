using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Reviews;
using Vigil.Core.Sync;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class AdminChangesReviewedTests
{
    private readonly AdminChangesReviewed _check = new();

    private const string Account = SnapshotBuilder.DefaultAccountId;

    private static AuditLogEntry Entry(string id, string method, string memberId, DateTimeOffset at, string? email = null) =>
        new(id, Account, at, method == "DELETE" ? "delete" : method == "POST" ? "create" : "update", "account.member", memberId, null,
            "admin@acme.test", "user", method, $"/client/v4/accounts/{Account}/members/{memberId}", "success", email);

    /// <summary>The account's log read by incremental syncs from 200 days ago up to an hour ago.</summary>
    private static readonly AuditLogCoverage ReadSince200Days = new(Account, Now.AddDays(-200), Now.AddHours(-1));

    private static EvaluationContext With(IReadOnlyList<AuditLogEntry> log, params ReviewCampaign[] campaigns) =>
        With(log, [ReadSince200Days], campaigns);

    private static EvaluationContext With(IReadOnlyList<AuditLogEntry> log, IReadOnlyList<AuditLogCoverage>? read, params ReviewCampaign[] campaigns)
    {
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Build() with { AuditLog = log, AuditLogRead = read };
        return EvaluationContext.Create(snapshot, [], [], null, Now, null, reviews: new ReviewState(campaigns));
    }

    [Fact]
    public void Lists_recent_changes_for_the_next_campaign_and_fails_those_left_unreviewed_past_the_interval()
    {
        var log = new[]
        {
            Entry("e1", "PUT", "m-1", Now.AddDays(-10), "jane@acme.test"),
            Entry("e2", "DELETE", "m-2", Now.AddDays(-120), "old@acme.test"),
        };

        var result = _check.Run(With(log));

        var recent = result.ShouldPass("jane@acme.test in Acme", containing: "was re-roled");
        Assert.Contains("by admin@acme.test at 2025-05-23 09:00 UTC; listed for the next access review campaign, due by 2025-08-21 09:00 UTC", recent.Reason);
        Assert.Equal(Now.AddDays(-10), recent.ObservedAt);
        var stale = result.ShouldFail("old@acme.test in Acme", containing: "was removed");
        Assert.Contains("120 days ago, and no access review campaign has started since", stale.Reason);
    }

    [Fact]
    public void A_campaign_started_after_the_change_reviews_it()
    {
        var campaign = Campaigns.Start(EvaluationContext.Create(new SnapshotBuilder().Member("jane@acme.test").Build(), [], [], null, Now, null));
        var log = new[] { Entry("e2", "DELETE", "m-2", campaign.Campaign.CreatedAt.AddDays(-100), "old@acme.test") };

        _check.Run(With(log, campaign)).ShouldPass("old@acme.test in Acme", containing: "put before campaign camp-1");
    }

    [Fact]
    public void Passes_with_no_change_recorded_and_ignores_non_member_entries()
    {
        var zoneEntry = new AuditLogEntry("z1", Account, Now.AddDays(-1), "update", "zone.setting", "ssl", "zone-1", "admin@acme.test", "user", "PATCH",
            "/client/v4/zones/zone-1/settings/ssl");
        var pass = _check.Run(With([zoneEntry])).ShouldPass("Acme", containing: "the audit log of account Acme records no member or role change over the last 180 days");
        Assert.Contains("read without a break since 2024-11-14 09:00 UTC) up to 2025-06-02 08:00 UTC", pass.Reason);
    }

    [Fact]
    public void A_log_read_for_less_than_the_window_passes_naming_the_period_read()
    {
        var read = new AuditLogCoverage(Account, Now.AddDays(-3), Now.AddHours(-1));

        _check.Run(With([], [read])).ShouldPass("Acme", containing: "no member or role change from 2025-05-30 09:00 UTC (when Vigil began reading it without a break) up to 2025-06-02 08:00 UTC");
    }

    [Fact]
    public void Retention_shorter_than_the_window_limits_the_period_vouched_for()
    {
        // retention_days 30 deletes entries logged more than 30 days ago: a change 40 days ago may be gone, so the
        // unbroken read since 200 days ago vouches for the last 30 days only.
        var snapshot = new SnapshotBuilder().Member("jane@acme.test").Build() with { AuditLog = [], AuditLogRead = [ReadSince200Days] };
        var options = CheckOptions.Default with { Retention = TimeSpan.FromDays(30) };
        var context = EvaluationContext.Create(snapshot, [], [], null, Now, options);

        _check.Run(context).ShouldPass("Acme",
            containing: "no member or role change from 2025-05-03 09:00 UTC (retention_days 30 deletes older entries; read without a break since 2024-11-14 09:00 UTC) up to 2025-06-02 08:00 UTC");

        var longRetention = EvaluationContext.Create(snapshot, [], [], null, Now, options with { Retention = TimeSpan.FromDays(365) });
        _check.Run(longRetention).ShouldPass("Acme", containing: "no member or role change over the last 180 days (read without a break since 2024-11-14 09:00 UTC)");
    }

    [Fact]
    public void Retention_days_reach_the_check_through_the_settings()
    {
        Assert.Equal(TimeSpan.FromDays(30), (Vigil.Core.Settings.OrganisationSettings.Default with { RetentionDays = 30 }).ToCheckOptions().Retention);
        Assert.Null(Vigil.Core.Settings.OrganisationSettings.Default.ToCheckOptions().Retention);
    }

    [Fact]
    public void An_account_whose_log_was_never_read_is_unknown_not_passing()
    {
        var result = _check.Run(With([], read: null));

        var unknown = result.ShouldBeUnknown("Acme", containing: "the audit log of account Acme has not been read yet");
        Assert.Contains("does not read the audit log; the next incremental sync will", unknown.Reason);
        Assert.DoesNotContain(result.Findings, f => f.Status == FindingStatus.Pass);
    }

    [Fact]
    public void An_account_whose_log_could_not_be_read_is_unknown_and_names_the_permission()
    {
        var refused = new AuditLogCoverage(Account, null, null, "HTTP 403", "Account Settings Read");

        var unknown = _check.Run(With([], [refused])).ShouldBeUnknown("Acme", containing: "could not be read at the last sync (HTTP 403; the credential lacks the 'Account Settings Read' permission)");
        Assert.Contains("'Account Settings Read'", unknown.Remediation);
    }

    [Fact]
    public void Logged_changes_are_still_judged_when_the_log_is_unreadable_now_and_the_account_is_unknown_besides()
    {
        var refused = new AuditLogCoverage(Account, null, null, "HTTP 403", "Account Settings Read");
        var log = new[] { Entry("e2", "DELETE", "m-2", Now.AddDays(-120), "old@acme.test") };

        var result = _check.Run(With(log, [refused]));

        result.ShouldFail("old@acme.test in Acme", containing: "was removed");
        result.ShouldBeUnknown("Acme", containing: "could not be read");
    }

    [Fact]
    public void Each_account_is_judged_on_its_own_log()
    {
        var snapshot = new SnapshotBuilder().Account("acc-2", "Beta").Member("jane@acme.test").Build() with
        {
            AuditLogRead = [ReadSince200Days],
        };

        var result = _check.Run(EvaluationContext.Create(snapshot, [], [], null, Now, null));

        result.ShouldPass("Acme", containing: "records no member or role change");
        result.ShouldBeUnknown("Beta", containing: "has not been read yet");
    }

    [Fact]
    public void No_access_data_is_unknown()
    {
        var snapshot = Snapshot.Empty("run-1", Now);

        _check.Run(EvaluationContext.Create(snapshot, [], [], null, Now, null)).ShouldBeUnknown("snapshot", containing: "no access data synced yet");
    }
}
