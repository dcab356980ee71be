using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Checks;
using Vigil.Core.Frameworks;

namespace Vigil.App.Reports;

/// <summary>
/// The report as OCSF 1.6.0 Compliance Finding events (class_uid 2003), one JSON object per line: one per check finding,
/// one per review decision, and one per verification of a revocation (verified or reappeared). Times are milliseconds
/// since the epoch; each event's <c>compliance</c> names the check's framework controls (<c>requirements</c>, e.g.
/// "SOC 2 CC6.1") and frameworks (<c>standards</c>); what OCSF has no attribute for is under <c>unmapped</c>.
/// </summary>
public static class OcsfReportWriter
{
    public const string SchemaVersion = "1.6.0";
    public const int ClassUid = 2003;
    public const int CategoryUid = 2;
    private const int ActivityCreate = 1;

    public static void Write(EvidenceReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffered = new BufferedStream(output, 1 << 16);
        using var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { Indented = false });
        foreach (var e in Events(report))
        {
            e.WriteTo(writer);
            writer.Flush();
            buffered.WriteByte((byte)'\n');
            writer.Reset();
        }
        buffered.Flush();
    }

    /// <summary>Every event, in the report's order: the checks' findings, then each review item's decisions and verifications.</summary>
    public static IEnumerable<JsonObject> Events(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var check in report.Checks)
        {
            var ordinal = 0;
            foreach (var finding in check.Findings)
            {
                yield return CheckFinding(report, check, finding, ordinal++);
            }
        }

        if (report.Review is not { } review)
        {
            yield break;
        }

        var reviewed = CheckCatalog.Find("cloudflare.access-reviewed")?.Definition;
        var applied = CheckCatalog.Find("cloudflare.review-revocations-applied")?.Definition;
        foreach (var item in review.Items)
        {
            foreach (var decision in item.Decisions)
            {
                yield return Decision(report, review, item, decision, reviewed);
            }
            foreach (var verification in item.VerificationEvents)
            {
                yield return Verification(report, review, item, verification, applied);
            }
        }
    }

    private static JsonObject CheckFinding(EvidenceReport report, ReportCheck check, Finding f, int ordinal)
    {
        var (complianceId, compliance) = f.Status switch
        {
            FindingStatus.Pass => (1, "Pass"),
            FindingStatus.Fail or FindingStatus.Excepted => (3, "Fail"),
            _ => (2, "Warning"),
        };
        var uid = $"vigil:{report.SnapshotId}:{check.Id}:{f.ResourceType}:{f.ResourceId}:{ordinal}";
        var e = Event(report, report.Evaluation.EvaluatedAt, check.Severity, uid,
            title: check.Title,
            desc: f.Reason,
            types: ["Compliance", "Cloudflare"],
            controlId: check.Id,
            controls: check.Controls,
            complianceStatus: (complianceId, compliance, $"{Text.Lower(f.Status.ToString())}: {f.Reason}"),
            findingStatus: f.Status == FindingStatus.Excepted ? (3, "Suppressed") : (1, "New"),
            resources: [Resource(f.ResourceId, f.Subject, f.ResourceType, f.AccountId)],
            remediation: f.Remediation);
        if (f.Exception is { } exception)
        {
            // The approver's reason is a comment on the finding in OCSF's sense; the exception's parts are under unmapped too.
            e["comment"] = Text.Exception(exception);
        }
        e["unmapped"] = new JsonObject
        {
            ["vigil_check_status"] = Text.Lower(check.Status.ToString()),
            ["vigil_finding_status"] = Text.Lower(f.Status.ToString()),
            ["snapshot_id"] = report.SnapshotId,
            ["observed_at"] = Text.Time(f.ObservedAt),
            ["access_responses_sha256"] = report.Access.Sha256,
            ["infra_responses_sha256"] = report.Infra.Sha256,
            ["exception"] = f.Exception is { } x ? Text.Exception(x) : null,
            ["exception_reason"] = f.Exception?.Reason,
            ["exception_approved_by"] = f.Exception?.ApprovedBy,
            ["exception_expires"] = f.Exception is { } y ? Text.Date(y.Expires) : null,
            ["exception_expired"] = f.Exception?.Expired,
        };
        return e;
    }

    private static JsonObject Decision(EvidenceReport report, ReportReview review, ReportReviewItem item, ReportDecision d, CheckDefinition? reviewed)
    {
        var inForce = ReferenceEquals(d, item.Decision);
        var (complianceId, compliance, detail) = !inForce
            ? (2, "Warning", "superseded by a later decision")
            : d.Decision switch
            {
                "keep" => (1, "Pass", "access kept"),
                "defer" => (2, "Warning", "decision deferred"),
                _ => item.Verification switch
                {
                    "verified" => (1, "Pass", "verified by a later access sync"),
                    "overdue" or "reappeared" => (3, "Fail", item.Verification),
                    _ => (2, "Warning", item.Verification),
                },
            };
        var roles = d.Roles.Count > 0 ? $" to {string.Join(", ", d.Roles)}" : "";
        var e = Event(report, d.At, reviewed?.Severity ?? Severity.High, $"vigil:review:{review.CampaignId}:decision:{d.Id}",
            title: $"Access review decision: {d.Decision}{roles} for {item.Label} in {item.AccountName}",
            desc: $"{d.Decision}{roles} by {d.By} at {Text.Time(d.At)}{(d.Comment is { Length: > 0 } c ? $": {c}" : "")}",
            types: ["Access Review", "Cloudflare"],
            controlId: reviewed?.Id ?? "cloudflare.access-reviewed",
            controls: reviewed?.Frameworks ?? [],
            complianceStatus: (complianceId, compliance, detail),
            findingStatus: inForce ? (item.Verification == "verified" ? (4, "Resolved") : (1, "New")) : (5, "Archived"),
            resources: [Resource(item.MemberId, item.Label, "member", item.AccountId)],
            remediation: null);
        if (d.Comment is { Length: > 0 } comment)
        {
            e["comment"] = comment;
        }
        e["unmapped"] = new JsonObject
        {
            ["campaign_id"] = review.CampaignId,
            ["campaign_status"] = review.Status,
            ["decision"] = d.Decision,
            ["decided_by"] = d.By,
            ["reviewer"] = item.Reviewer,
            ["decision_in_force"] = inForce,
            ["verification"] = inForce ? item.Verification : null,
            ["snapshot_id"] = d.SnapshotId,
            ["sign_off_by"] = review.SignOff?.By,
            ["sign_off_at"] = Text.Time(review.SignOff?.At),
            ["access_responses_sha256"] = review.Access.Sha256,
        };
        return e;
    }

    private static JsonObject Verification(EvidenceReport report, ReportReview review, ReportReviewItem item, ReportVerification v, CheckDefinition? applied)
    {
        var verified = v.State == "verified";
        var decision = item.Decisions.FirstOrDefault(d => d.Id == v.DecisionId);
        var elapsed = decision is null ? "" : $", {Text.Elapsed((long)(v.ObservedAt - decision.At).TotalSeconds)} after the decision";
        var e = Event(report, v.RecordedAt, applied?.Severity ?? Severity.High, $"vigil:review:{review.CampaignId}:verification:{v.DecisionId}:{v.SnapshotId}:{v.State}",
            title: verified ? $"Revocation verified: {item.Label} in {item.AccountName}" : $"Revoked access reappeared: {item.Label} in {item.AccountName}",
            desc: $"{v.Detail} (access data read at {Text.Time(v.ObservedAt)}{elapsed})",
            types: ["Access Review", "Revocation", "Cloudflare"],
            controlId: applied?.Id ?? "cloudflare.review-revocations-applied",
            controls: applied?.Frameworks ?? [],
            complianceStatus: verified ? (1, "Pass", "verified") : (3, "Fail", "reappeared"),
            findingStatus: verified ? (4, "Resolved") : (1, "New"),
            resources: [Resource(item.MemberId, item.Label, "member", item.AccountId)],
            remediation: verified ? null : $"Remove {item.Label} from account {item.AccountName} again and find out how the access came back.");
        e["unmapped"] = new JsonObject
        {
            ["campaign_id"] = review.CampaignId,
            ["decision_id"] = v.DecisionId,
            ["verified_by_snapshot_id"] = v.SnapshotId,
            ["observed_at"] = Text.Time(v.ObservedAt),
            ["removed_by"] = item.RemovedBy,
        };
        return e;
    }

    private static JsonObject Event(
        EvidenceReport report, DateTimeOffset time, Severity severity, string uid, string title, string desc, IReadOnlyList<string> types,
        string controlId, IReadOnlyList<FrameworkControl> controls, (int Id, string Caption, string Detail) complianceStatus,
        (int Id, string Caption) findingStatus, IReadOnlyList<JsonObject> resources, string? remediation)
    {
        var (severityId, severityName) = severity switch
        {
            Severity.Low => (2, "Low"),
            Severity.Medium => (3, "Medium"),
            Severity.High => (4, "High"),
            _ => (5, "Critical"),
        };
        var ms = Text.Millis(time);
        var e = new JsonObject
        {
            ["activity_id"] = ActivityCreate,
            ["activity_name"] = "Create",
            ["category_uid"] = CategoryUid,
            ["category_name"] = "Findings",
            ["class_uid"] = ClassUid,
            ["class_name"] = "Compliance Finding",
            ["type_uid"] = (long)ClassUid * 100 + ActivityCreate,
            ["type_name"] = "Compliance Finding: Create",
            ["severity_id"] = severityId,
            ["severity"] = severityName,
            ["status_id"] = findingStatus.Id,
            ["status"] = findingStatus.Caption,
            ["time"] = ms,
            ["timezone_offset"] = 0,
            ["message"] = desc,
            ["metadata"] = new JsonObject
            {
                ["version"] = SchemaVersion,
                ["uid"] = uid,
                ["log_name"] = "vigil-report",
                ["log_provider"] = "Vigil",
                ["tenant_uid"] = report.OrganisationId,
                ["product"] = new JsonObject { ["name"] = "Vigil", ["uid"] = "vigil", ["vendor_name"] = "Vigil" },
            },
            ["finding_info"] = new JsonObject
            {
                ["uid"] = uid,
                ["title"] = title,
                ["desc"] = desc,
                ["types"] = new JsonArray([.. types.Select(t => (JsonNode)JsonValue.Create(t))]),
                ["created_time"] = ms,
                ["data_sources"] = new JsonArray(JsonValue.Create("Cloudflare API")),
            },
            ["compliance"] = new JsonObject
            {
                ["control"] = controlId,
                ["standards"] = new JsonArray([.. controls.Select(c => c.Framework).Distinct(StringComparer.Ordinal).Select(s => (JsonNode)JsonValue.Create(s))]),
                ["requirements"] = new JsonArray([.. controls.Select(c => (JsonNode)JsonValue.Create(c.ToString()))]),
                ["status_id"] = complianceStatus.Id,
                ["status"] = complianceStatus.Caption,
                ["status_details"] = new JsonArray(JsonValue.Create(complianceStatus.Detail)),
            },
            ["resources"] = new JsonArray([.. resources]),
        };
        if (remediation is { Length: > 0 })
        {
            e["remediation"] = new JsonObject { ["desc"] = remediation };
        }
        return e;
    }

    private static JsonObject Resource(string uid, string name, string type, string? accountId)
    {
        var resource = new JsonObject
        {
            ["uid"] = uid,
            ["name"] = name,
            ["type"] = $"cloudflare_{type}",
        };
        if (accountId is not null)
        {
            resource["labels"] = new JsonArray(JsonValue.Create($"account_id:{accountId}"));
        }
        return resource;
    }
}
