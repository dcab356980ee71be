using System.Text.Json.Nodes;
using Vigil.App.Reports;
using Vigil.Core.Checks;

namespace Vigil.Cli.Tests.Reports;

/// <summary>The OCSF export validated against the pinned OCSF 1.6.0 schema, and the validator itself shown to catch faults.</summary>
[Collection(ReportWorld.Collection)]
public sealed class OcsfReportTests(ReportWorld world)
{
    private static readonly OcsfSchema Schema = OcsfSchema.Pinned();

    [Fact]
    public async Task Every_line_is_a_valid_OCSF_1_6_0_compliance_finding_including_review_decisions_and_verified_revocations()
    {
        var path = await world.ReportAsync("ocsf", world.NewFolder(), "findings.ocsf");
        var lines = (await File.ReadAllTextAsync(path)).Split('\n');
        Assert.Equal("", lines[^1]);
        var events = lines[..^1].Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.True(events.Count > 100);

        var compliance = Schema.Class("compliance_finding");
        Assert.Equal("1.6.0", Schema.Version);
        Assert.Equal(2003, compliance.ClassUid);
        foreach (var e in events)
        {
            Assert.Empty(Schema.Validate(e, compliance));
            Assert.Equal(2003, e["class_uid"]!.GetValue<int>());
            Assert.Equal(2003 * 100 + e["activity_id"]!.GetValue<int>(), e["type_uid"]!.GetValue<long>());
            Assert.Equal("1.6.0", e["metadata"]!["version"]!.GetValue<string>());
            // Milliseconds: this century, not seconds.
            Assert.InRange(e["time"]!.GetValue<long>(), 1_500_000_000_000L, 4_100_000_000_000L);
        }

        var mfa = events.Where(e => e["compliance"]!["control"]!.GetValue<string>() == "cloudflare.member-2fa-enabled").ToList();
        Assert.Contains(mfa, e => e["compliance"]!["status_id"]!.GetValue<int>() == 3 && e["remediation"]?["desc"] is not null);
        var requirements = mfa[0]["compliance"]!["requirements"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.Contains("SOC 2 CC6.1", requirements);
        Assert.Contains("SOC 2", mfa[0]["compliance"]!["standards"]!.AsArray().Select(r => r!.GetValue<string>()));

        var decision = Assert.Single(events, e => e["finding_info"]!["title"]!.GetValue<string>().StartsWith("Access review decision: revoke for " + ReportWorld.Jordan, StringComparison.Ordinal));
        Assert.Equal(ReportWorld.JordanComment, decision["comment"]!.GetValue<string>());
        Assert.Equal(ReportWorld.Marcus, decision["unmapped"]!["decided_by"]!.GetValue<string>());
        Assert.Equal(1, decision["compliance"]!["status_id"]!.GetValue<int>());
        var verified = Assert.Single(events, e => e["finding_info"]!["title"]!.GetValue<string>().StartsWith("Revocation verified: " + ReportWorld.Jordan, StringComparison.Ordinal));
        Assert.Equal("cloudflare.review-revocations-applied", verified["compliance"]!["control"]!.GetValue<string>());
        Assert.Equal(world.SecondSnapshotId, verified["unmapped"]!["verified_by_snapshot_id"]!.GetValue<string>());
        Assert.Equal(events.Count, events.Select(e => e["finding_info"]!["uid"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public void Excepted_findings_and_expired_exceptions_are_valid_events_carrying_the_exception()
    {
        var at = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
        var definition = CheckCatalog.Find("cloudflare.zone-dnssec")!.Definition;
        var source = new ReportSource("access", at, [], ReportBuilder.Digest([]), [], []);
        List<ReportCheck> checks =
        [
            new(definition.Id, definition.Title, definition.Severity, definition.Asserts, definition.Remediation, definition.Frameworks, CheckStatus.Fail, [],
            [
                new Finding(FindingStatus.Excepted, "zone", "z1", "a1", "shop.example", "DNSSEC is off", "Enable DNSSEC", at,
                    new FindingException("shop.example", "migrating registrar", "ciso@acme-analytics.io", new DateOnly(2027, 3, 31), Expired: false)),
                new Finding(FindingStatus.Fail, "zone", "z2", "a1", "blog.example", "DNSSEC is off (the exception expired on 2026-10-31)", "Enable DNSSEC", at,
                    new FindingException("blog.example", "pilot", "ciso@acme-analytics.io", new DateOnly(2026, 10, 31), Expired: true)),
            ]),
        ];
        var report = new EvidenceReport("org", "Acme", "snap", at, "current", at, new ReportEvaluation(at, true, 0, 1, 0, 0), source, source with { Stage = "infra" },
            checks, ReportBuilder.Frameworks(checks), [], [], null);

        var events = OcsfReportWriter.Events(report).ToList();
        var compliance = Schema.Class("compliance_finding");
        Assert.All(events, e => Assert.Empty(Schema.Validate(e, compliance)));
        var excepted = events[0];
        Assert.Equal("Suppressed", excepted["status"]!.GetValue<string>());
        Assert.Contains("approved by ciso@acme-analytics.io until 2027-03-31: migrating registrar", excepted["comment"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2027-03-31", excepted["unmapped"]!["exception_expires"]!.GetValue<string>());
        var expired = events[1];
        Assert.Equal("New", expired["status"]!.GetValue<string>());
        Assert.Equal(3, expired["compliance"]!["status_id"]!.GetValue<int>());
        Assert.Contains("expired on 2026-10-31 and no longer excuses this finding", expired["comment"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(expired["unmapped"]!["exception_expired"]!.GetValue<bool>());
    }

    [Fact]
    public void The_validator_resolves_inheritance_and_catches_missing_wrong_and_unknown_attributes()
    {
        var compliance = Schema.Class("compliance_finding");
        // From base_event through finding to the class itself.
        Assert.Equal("required", compliance.Attributes["time"]["requirement"]!.GetValue<string>());
        Assert.Equal("required", compliance.Attributes["finding_info"]["requirement"]!.GetValue<string>());
        Assert.Equal("required", compliance.Attributes["compliance"]["requirement"]!.GetValue<string>());
        Assert.Equal("timestamp_t", compliance.Attributes["time"]["type"]!.GetValue<string>());

        var good = JsonNode.Parse("""
            {"activity_id": 1, "category_uid": 2, "class_uid": 2003, "type_uid": 200301, "severity_id": 3, "time": 1764500000000,
             "metadata": {"version": "1.6.0", "product": {"name": "Vigil"}},
             "finding_info": {"uid": "f1", "title": "t"},
             "compliance": {"control": "c", "status_id": 3, "standards": ["SOC 2"]},
             "resources": [{"uid": "r1", "name": "n"}]}
            """)!.AsObject();
        Assert.Empty(Schema.Validate(good, compliance));

        var bad = good.DeepClone().AsObject();
        bad["time"] = "2026-11-30T10:00:00Z";
        bad["finding_info"]!.AsObject().Remove("uid");
        bad["compliance"]!["status_id"] = 7;
        bad["resources"] = new JsonArray(new JsonObject { ["type"] = "zone" });
        bad["colour"] = "red";
        bad.Remove("metadata");
        var problems = Schema.Validate(bad, compliance);
        Assert.Contains(problems, p => p.Contains(".time: must be long_t", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(".finding_info.uid: required but missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(".compliance.status_id: 7 is not one of", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(".resources[0]: needs at least one of", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(".colour: not an attribute", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(".metadata: required but missing", StringComparison.Ordinal));
    }
}
