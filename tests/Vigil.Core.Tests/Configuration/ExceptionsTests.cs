using Vigil.Core.Checks;
using Vigil.Core.Checks.Zones;
using Vigil.Core.Configuration;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Configuration;

public sealed class ExceptionsTests
{
    private static readonly DateTimeOffset Now = SnapshotBuilder.SyncedAt.AddHours(1); // 2025-06-01 13:00 UTC

    private static CheckException Exception(string resource = "shop.example", string expires = "2025-12-31", string check = "cloudflare.zone-min-tls-1-2") =>
        new(check, resource, "Legacy POS terminals need TLS 1.0", DateOnly.Parse(expires, System.Globalization.CultureInfo.InvariantCulture), "ciso@acme.test", 7);

    private static CheckResult MinTls(CheckOptions options, string zone = "shop.example")
    {
        var snapshot = new SnapshotBuilder().Zone(zone, s => s with { MinTlsVersion = "1.0" }).Zone("ok.example").Build();
        var evaluation = CheckRunner.Evaluate(Context(snapshot, now: Now, options: options), [new ZoneMinTls12()]);
        return Assert.Single(evaluation.Results);
    }

    [Fact]
    public void An_unexpired_exception_turns_the_failure_excepted_keeping_its_reason()
    {
        var result = MinTls(CheckOptions.Default with { Exceptions = [Exception()] });

        var finding = result.Findings.Single(f => f.Subject == "shop.example");
        Assert.Equal(FindingStatus.Excepted, finding.Status);
        Assert.Contains("1.0", finding.Reason);
        Assert.Equal(new FindingException("shop.example", "Legacy POS terminals need TLS 1.0", "ciso@acme.test", new DateOnly(2025, 12, 31), Expired: false), finding.Exception);
        Assert.Equal(FindingStatus.Pass, result.Findings.Single(f => f.Subject == "ok.example").Status);
        Assert.Null(result.Findings.Single(f => f.Subject == "ok.example").Exception);
        Assert.Equal(CheckStatus.Excepted, result.Status);
    }

    [Fact]
    public void An_expired_exception_stops_excusing_and_says_so()
    {
        var result = MinTls(CheckOptions.Default with { Exceptions = [Exception(expires: "2025-05-31")] });

        var finding = result.Findings.Single(f => f.Subject == "shop.example");
        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Contains("expired on 2025-05-31", finding.Reason);
        Assert.Contains("ciso@acme.test", finding.Reason);
        Assert.True(finding.Exception!.Expired);
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public void The_expiry_day_still_excuses_until_its_end_in_the_organisation_time_zone()
    {
        // 2025-06-01 13:00 UTC is 2025-06-01 in UTC but 2025-06-02 in Pacific/Kiritimati (UTC+14).
        var expiresToday = Exception(expires: "2025-06-01");
        Assert.Equal(FindingStatus.Excepted, MinTls(CheckOptions.Default with { Exceptions = [expiresToday] }).Findings[0].Status);
        var kiritimati = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati");
        Assert.Equal(FindingStatus.Fail, MinTls(CheckOptions.Default with { Exceptions = [expiresToday], TimeZone = kiritimati }).Findings[0].Status);
    }

    [Fact]
    public void An_exception_matches_the_resource_id_or_name_case_insensitively_and_only_its_check()
    {
        Assert.Equal(FindingStatus.Excepted, MinTls(CheckOptions.Default with { Exceptions = [Exception("SHOP.example.")] }).Findings[0].Status);
        Assert.Equal(FindingStatus.Excepted, MinTls(CheckOptions.Default with { Exceptions = [Exception("zone-shop.example")] }).Findings[0].Status);
        Assert.Equal(FindingStatus.Fail, MinTls(CheckOptions.Default with { Exceptions = [Exception("other.example")] }).Findings[0].Status);
        Assert.Equal(FindingStatus.Fail, MinTls(CheckOptions.Default with { Exceptions = [Exception(check: "cloudflare.zone-hsts")] }).Findings[0].Status);
    }

    [Fact]
    public void Unknown_findings_are_never_excepted()
    {
        var stale = SnapshotBuilder.SyncedAt.AddDays(5);
        var snapshot = new SnapshotBuilder().Zone("shop.example", s => s with { MinTlsVersion = "1.0" }).Build();
        var evaluation = CheckRunner.Evaluate(Context(snapshot, now: stale, options: CheckOptions.Default with { Exceptions = [Exception(expires: "2026-01-01")] }), [new ZoneMinTls12()]);

        var finding = Assert.Single(evaluation.Results[0].Findings);
        Assert.Equal(FindingStatus.Unknown, finding.Status);
        Assert.Null(finding.Exception);
    }

    [Theory]
    [InlineData(new[] { FindingStatus.Pass, FindingStatus.Excepted }, CheckStatus.Excepted)]
    [InlineData(new[] { FindingStatus.Excepted, FindingStatus.Fail }, CheckStatus.Fail)]
    [InlineData(new[] { FindingStatus.Excepted, FindingStatus.Unknown }, CheckStatus.Unknown)]
    public void A_check_is_excepted_only_when_nothing_fails_or_is_unknown(FindingStatus[] statuses, CheckStatus expected)
    {
        var findings = statuses.Select(s => new Finding(s, "zone", "z", "a", "shop.example", "reason", null)).ToList();
        Assert.Equal(expected, CheckRunner.StatusOf(findings));
    }
}
