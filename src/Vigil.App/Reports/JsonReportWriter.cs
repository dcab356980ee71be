using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Checks;
using Vigil.Core.Sync;

namespace Vigil.App.Reports;

/// <summary>The report as one JSON document (indented, UTF-8, no byte-order mark). Field names are snake_case.</summary>
public static class JsonReportWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static void Write(EvidenceReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var writer = new Utf8JsonWriter(output, Options);
        ToJson(report).WriteTo(writer);
        writer.Flush();
        output.Write("\n"u8);
    }

    /// <summary>The report as a JSON object (what the web API can return as it is).</summary>
    public static JsonObject ToJson(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new JsonObject
        {
            ["report_format"] = EvidenceReport.FormatVersion,
            ["organisation"] = new JsonObject { ["id"] = report.OrganisationId, ["name"] = report.OrganisationName },
            ["snapshot_id"] = report.SnapshotId,
            ["snapshot_taken_at"] = Text.Time(report.SnapshotTakenAt),
            ["selection"] = report.Selection,
            ["as_of"] = Text.Time(report.AsOf),
            ["summary"] = new JsonObject
            {
                ["evaluated_at"] = Text.Time(report.Evaluation.EvaluatedAt),
                ["evaluation_stored"] = report.Evaluation.Stored,
                ["passed"] = report.Evaluation.Passed,
                ["failed"] = report.Evaluation.Failed,
                ["unknown"] = report.Evaluation.Unknown,
                ["excepted"] = report.Evaluation.Excepted,
                ["members"] = report.Members.Count,
                ["zones"] = report.Zones.Count,
            },
            ["sources"] = new JsonObject { ["access"] = Source(report.Access), ["infra"] = Source(report.Infra) },
            ["checks"] = Array(report.Checks, Check),
            ["frameworks"] = Array(report.Frameworks, Framework),
            ["members"] = Array(report.Members, Member),
            ["zones"] = Array(report.Zones, Zone),
            ["review"] = report.Review is { } review ? Review(review) : null,
        };
    }

    internal static JsonObject Source(ReportSource source) => new()
    {
        ["stage"] = source.Stage,
        ["synced_at"] = Text.Time(source.SyncedAt),
        ["run_ids"] = Strings(source.RunIds),
        ["responses_sha256"] = source.Sha256,
        ["complete"] = source.Complete,
        ["completeness"] = source.Completeness,
        ["coverage"] = Array(source.Coverage, Coverage),
        ["responses"] = Array(source.Responses, r => new JsonObject
        {
            ["run_id"] = r.RunId,
            ["connection_id"] = r.ConnectionId,
            ["request"] = r.Request,
            ["received_at"] = Text.Time(r.ReceivedAt),
            ["bytes"] = r.Bytes,
            ["sha256"] = r.Sha256,
        }),
    };

    private static JsonObject Coverage(ListCoverage c) => new()
    {
        ["list"] = c.List,
        ["connection_id"] = c.ConnectionId,
        ["pages"] = c.Pages,
        ["items"] = c.Items,
        ["total_count"] = c.TotalCount,
        ["total_pages"] = c.TotalPages,
        ["per_page"] = c.PerPage,
        ["stop"] = c.Stop,
        ["complete"] = c.Complete,
    };

    private static JsonObject Check(ReportCheck check) => new()
    {
        ["id"] = check.Id,
        ["title"] = check.Title,
        ["severity"] = Text.Lower(check.Severity.ToString()),
        ["status"] = Text.Lower(check.Status.ToString()),
        ["asserts"] = check.Asserts,
        ["remediation"] = check.Remediation,
        ["frameworks"] = Strings(check.Frameworks),
        ["notes"] = Strings(check.Notes),
        ["findings"] = Array(check.Findings, Finding),
    };

    private static JsonObject Framework(ReportFramework framework) => new()
    {
        ["framework"] = framework.Key,
        ["name"] = framework.Name,
        ["summary"] = new JsonObject
        {
            ["controls"] = framework.Controls.Count,
            ["passing"] = framework.Count(ControlStatus.Passing),
            ["failing"] = framework.Count(ControlStatus.Failing),
            ["unknown"] = framework.Count(ControlStatus.Unknown),
            ["excepted"] = framework.Count(ControlStatus.Excepted),
            ["not_evaluated"] = framework.Count(ControlStatus.NotEvaluated),
            ["needs_other_evidence"] = framework.Count(ControlStatus.NeedsOtherEvidence),
        },
        ["controls"] = Array(framework.Controls, c => new JsonObject
        {
            ["id"] = c.Id,
            ["title"] = c.Title,
            ["status"] = Text.Lower(c.Status.ToString()),
            ["checks"] = Array(c.Checks, check => new JsonObject
            {
                ["id"] = check.Id,
                ["title"] = check.Title,
                ["status"] = check.Status is { } status ? Text.Lower(status.ToString()) : "not_evaluated",
            }),
            ["findings"] = new JsonObject
            {
                ["pass"] = c.Findings.Pass,
                ["fail"] = c.Findings.Fail,
                ["excepted"] = c.Findings.Excepted,
                ["unknown"] = c.Findings.Unknown,
                ["skipped"] = c.Findings.Skipped,
            },
        }),
    };

    private static JsonObject Finding(Finding f) => new()
    {
        ["status"] = Text.Lower(f.Status.ToString()),
        ["resource_type"] = f.ResourceType,
        ["resource_id"] = f.ResourceId,
        ["account_id"] = f.AccountId,
        ["subject"] = f.Subject,
        ["reason"] = f.Reason,
        ["remediation"] = f.Remediation,
        ["observed_at"] = Text.Time(f.ObservedAt),
        ["exception"] = f.Exception is { } e ? new JsonObject
        {
            ["resource"] = e.Resource,
            ["reason"] = e.Reason,
            ["approved_by"] = e.ApprovedBy,
            ["expires"] = Text.Date(e.Expires),
            ["expired"] = e.Expired,
        } : null,
    };

    private static JsonObject Member(ReportMember m) => new()
    {
        ["account_id"] = m.AccountId,
        ["account_name"] = m.AccountName,
        ["member_id"] = m.MemberId,
        ["email"] = m.Email,
        ["name"] = m.Name,
        ["status"] = m.Status,
        ["two_factor"] = m.TwoFactorEnabled,
        ["roles"] = Strings(m.Roles),
        ["person"] = m.PersonEmail,
        ["person_name"] = m.PersonName,
        ["org_role"] = m.OrgRole,
        ["person_status"] = m.PersonStatus,
        ["mapping"] = m.Mapping,
        ["mapping_detail"] = m.MappingDetail,
        ["first_seen_at"] = Text.Time(m.FirstSeenAt),
    };

    private static JsonObject Zone(ReportZone z)
    {
        var settings = new JsonObject();
        foreach (var (key, value) in z.Settings)
        {
            settings[key] = value;
        }
        return new JsonObject
        {
            ["zone_id"] = z.Id,
            ["name"] = z.Name,
            ["account_id"] = z.AccountId,
            ["account_name"] = z.AccountName,
            ["status"] = z.Status,
            ["paused"] = z.Paused,
            ["plan"] = z.Plan,
            ["type"] = z.Type,
            ["settings"] = settings,
        };
    }

    private static JsonObject Review(ReportReview r) => new()
    {
        ["campaign_id"] = r.CampaignId,
        ["name"] = r.Name,
        ["system"] = r.System,
        ["status"] = r.Status,
        ["created_at"] = Text.Time(r.CreatedAt),
        ["due"] = r.Due is null ? null : Text.Date(r.Due),
        ["owner"] = r.Owner,
        ["reviewers"] = Strings(r.Reviewers),
        ["snapshot_id"] = r.SnapshotId,
        ["access_synced_at"] = Text.Time(r.AccessSyncedAt),
        ["allow_stale"] = r.AllowStale,
        ["stale_reason"] = r.StaleReason,
        ["previous_campaign_id"] = r.PreviousCampaignId,
        ["revocation_sla_days"] = r.RevocationSlaDays,
        ["progress"] = new JsonObject { ["decided"] = r.Decided, ["total"] = r.Total },
        ["sign_off"] = r.SignOff is { } s ? new JsonObject { ["by"] = s.By, ["at"] = Text.Time(s.At), ["statement"] = s.Statement } : null,
        ["removed_since_previous"] = Array(r.RemovedSincePrevious, x => new JsonObject
        {
            ["account_id"] = x.AccountId,
            ["member_id"] = x.MemberId,
            ["member_email"] = x.MemberEmail,
        }),
        ["source"] = Source(r.Access),
        ["items"] = Array(r.Items, Item),
    };

    private static JsonObject Item(ReportReviewItem i) => new()
    {
        ["account_id"] = i.AccountId,
        ["account_name"] = i.AccountName,
        ["member_id"] = i.MemberId,
        ["member_email"] = i.MemberEmail,
        ["status"] = i.Status,
        ["two_factor"] = i.TwoFactorEnabled,
        ["person"] = i.PersonEmail,
        ["person_name"] = i.PersonName,
        ["org_role"] = i.OrgRole,
        ["service_account"] = i.ServiceAccount,
        ["roles"] = Strings(i.Grants),
        ["risk_flags"] = Strings(i.RiskFlags),
        ["reviewer"] = i.Reviewer,
        ["change"] = i.Change,
        ["decision"] = i.Decision is { } d ? Decision(d) : null,
        ["decisions"] = Array(i.Decisions, Decision),
        ["verification"] = i.Verification,
        ["verified_at"] = Text.Time(i.VerifiedAt),
        ["verified_snapshot_id"] = i.VerifiedSnapshotId,
        ["verification_detail"] = i.VerificationDetail,
        ["elapsed_seconds"] = i.ElapsedSeconds,
        ["removed_by"] = i.RemovedBy,
        ["verification_events"] = Array(i.VerificationEvents, e => new JsonObject
        {
            ["state"] = e.State,
            ["snapshot_id"] = e.SnapshotId,
            ["observed_at"] = Text.Time(e.ObservedAt),
            ["recorded_at"] = Text.Time(e.RecordedAt),
            ["detail"] = e.Detail,
        }),
    };

    private static JsonObject Decision(ReportDecision d) => new()
    {
        ["decision"] = d.Decision,
        ["by"] = d.By,
        ["at"] = Text.Time(d.At),
        ["comment"] = d.Comment,
        ["roles"] = Strings(d.Roles),
        ["snapshot_id"] = d.SnapshotId,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static JsonArray Array<T>(IEnumerable<T> values, Func<T, JsonNode> map) => new([.. values.Select(map)]);
}
