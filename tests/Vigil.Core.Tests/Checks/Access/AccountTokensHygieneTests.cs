using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class AccountTokensHygieneTests
{
    private readonly AccountTokensHygiene _check = new();
    private static readonly Vigil.Core.People.Person[] People = [Active("ada@acme.test"), Offboarded("bob@acme.test", new DateOnly(2025, 3, 31))];

    [Fact]
    public void Passes_a_bounded_used_token_by_an_active_person_and_an_account_without_tokens()
    {
        var snapshot = new SnapshotBuilder().Token("deploy", id: "tok-1").Account("acc-2", "Labs").Build();

        var result = _check.Run(Context(snapshot, People));

        result.ShouldPassOverall();
        var finding = result.ShouldPass("deploy", containing: "token deploy (tok-1) of account Acme (acc-1): expires 2025-11-28; restricted to 203.0.113.0/24; last used 2025-05-31; created by ada@acme.test (Ada, active)");
        Assert.Equal(ResourceTypes.Token, finding.ResourceType);
        Assert.Equal("tok-1", finding.ResourceId);
        result.ShouldPass("Labs", containing: "has no account-owned API tokens");
    }

    [Fact]
    public void Fails_once_per_token_naming_every_condition_it_misses()
    {
        var snapshot = new SnapshotBuilder()
            .Token("legacy", id: "tok-9", noExpiry: true, allowedIps: [], lastUsedOn: SnapshotBuilder.SyncedAt.AddDays(-120), creator: "bob@acme.test")
            .Token("fine").Build();

        var result = _check.Run(Context(snapshot, People));

        var finding = result.ShouldFail("legacy", containing: "token legacy (tok-9) of account Acme (acc-1) fails 4 of 4 conditions");
        Assert.Contains("no expiry", finding.Reason, StringComparison.Ordinal);
        Assert.Contains("no IP restriction", finding.Reason, StringComparison.Ordinal);
        Assert.Contains("last used 2025-02-01, more than 90 days ago", finding.Reason, StringComparison.Ordinal);
        Assert.Contains("created by bob@acme.test, who belongs to Bob <bob@acme.test>, offboarded on 2025-03-31", finding.Reason, StringComparison.Ordinal);
        Assert.Contains("Manage Account > API Tokens > legacy", finding.Remediation);
        Assert.Contains("PUT /accounts/acc-1/tokens/tok-9", finding.Remediation);
        result.ShouldPass("fine");
    }

    [Fact]
    public void Fails_a_token_only_excluding_addresses_and_one_never_used_for_long()
    {
        var snapshot = new SnapshotBuilder()
            .Token("denylist", deniedIps: ["198.51.100.0/24"], allowedIps: [])
            .Token("idle", neverUsed: true, issuedOn: SnapshotBuilder.SyncedAt.AddDays(-200))
            .Token("fresh", neverUsed: true, issuedOn: SnapshotBuilder.SyncedAt.AddDays(-5)).Build();

        var result = _check.Run(Context(snapshot, People));

        result.ShouldFail("denylist", containing: "fails 1 of 4 conditions: it has no IP restriction (only excludes 198.51.100.0/24");
        result.ShouldFail("idle", containing: "it has never been used (last_used_on not set) since it was issued 2024-11-13");
        result.ShouldPass("fresh", containing: "never used, issued 2025-05-27 (less than 90 days ago)");
    }

    [Fact]
    public void Skips_expired_tokens()
    {
        var snapshot = new SnapshotBuilder()
            .Token("old", status: "expired", expiresOn: SnapshotBuilder.SyncedAt.AddDays(-3), allowedIps: []).Build();

        _check.Run(Context(snapshot, People)).ShouldBeSkipped("old", containing: "has expired (2025-05-29)");
    }

    [Fact]
    public void Is_unknown_when_the_creator_is_not_recorded_or_not_known_but_fails_what_it_can_judge()
    {
        var snapshot = new SnapshotBuilder()
            .Token("anon", creator: null)
            .Token("stranger", creator: "who@elsewhere.test")
            .Token("anon-open", creator: null, noExpiry: true).Build();

        var result = _check.Run(Context(snapshot, People));

        var anon = result.ShouldBeUnknown("anon", containing: "Cloudflare recorded no creator for it (creator_email_at_creation is absent)");
        Assert.Contains("Audit Log", anon.Remediation);
        result.ShouldBeUnknown("stranger", containing: "its creator who@elsewhere.test matches no person in the staff directory");
        result.ShouldFail("anon-open", containing: "fails 1 of 4 conditions: it has no expiry (expires_on not set); also Cloudflare recorded no creator");
    }

    [Fact]
    public void Is_unknown_naming_the_permission_when_the_tokens_could_not_be_read()
    {
        var snapshot = new SnapshotBuilder().Account("acc-1", "Acme").TokensRead()
            .Gap("access", AccountToken.GapType, "acc-1", missingPermission: "Account API Tokens Read", what: "GET /accounts/acc-1/tokens").Build();

        var finding = _check.Run(Context(snapshot, People)).ShouldBeUnknown("Acme", containing: "'Account API Tokens Read'");
        Assert.Contains("Account API Tokens Read", finding.Remediation);
    }

    [Fact]
    public void Is_unknown_when_tokens_were_not_read_or_access_never_synced()
    {
        _check.Run(Context(new SnapshotBuilder().Account("acc-1", "Acme").Build())).ShouldBeUnknown("snapshot", containing: "were not read");
        _check.Run(Context(new SnapshotBuilder().WithoutAccessSync().Build())).ShouldBeUnknown("snapshot", containing: "no access data synced yet");
    }
}
