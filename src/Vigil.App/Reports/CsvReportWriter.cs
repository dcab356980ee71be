using System.Text;
using Vigil.Core.Checks;

namespace Vigil.App.Reports;

/// <summary>
/// The report as one CSV table (RFC 4180: comma-separated, CRLF line ends, UTF-8 without a byte-order mark), one row
/// per record; the <c>record</c> column says what a row is (report, source, coverage, response, check, finding,
/// control, member, zone, campaign, review_item, review_decision) and each kind fills the columns that apply to it: a
/// finding's exception in comment, approved_by and expires; a framework control's checks and its findings counted in
/// pass, fail, excepted, unknown and skipped. A cell
/// that starts with =, +, -, @, tab or carriage return gets a leading apostrophe, so a spreadsheet never runs a name
/// from Cloudflare as a formula.
/// </summary>
public static class CsvReportWriter
{
    /// <summary>The columns, in order.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "record", "snapshot_id", "stage", "synced_at", "sha256", "id", "name", "account_id", "account_name", "status", "severity",
        "frameworks", "resource_type", "resource_id", "subject", "reason", "remediation", "observed_at", "email", "roles", "two_factor",
        "person", "org_role", "mapping", "settings", "flags", "reviewer", "change", "decision", "decided_by", "decided_at", "comment",
        "verification", "verified_at", "pages", "items", "total_count", "total_pages", "stop",
        "approved_by", "expires", "checks", "pass", "fail", "excepted", "unknown", "skipped",
    ];

    public static void Write(EvidenceReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        writer.WriteLine(string.Join(',', Columns));
        foreach (var row in Rows(report))
        {
            if (row.GetValueOrDefault("snapshot_id") is null)
            {
                row["snapshot_id"] = report.SnapshotId;
            }
            writer.WriteLine(string.Join(',', Columns.Select(c => Cell(row.GetValueOrDefault(c)))));
        }
    }

    private static IEnumerable<Dictionary<string, string?>> Rows(EvidenceReport report)
    {
        yield return new()
        {
            ["record"] = "report",
            ["id"] = report.SnapshotId,
            ["name"] = report.OrganisationName,
            ["status"] = report.Selection,
            ["synced_at"] = Text.Time(report.SnapshotTakenAt),
            ["observed_at"] = Text.Time(report.AsOf),
            ["reason"] = $"evaluated at {Text.Time(report.Evaluation.EvaluatedAt)} ({(report.Evaluation.Stored ? "the evaluation stored with the snapshot" : "evaluated for this report as at the snapshot's time")}); " +
                         $"{report.Evaluation.Passed} passed, {report.Evaluation.Failed} failed, {report.Evaluation.Unknown} unknown, {report.Evaluation.Excepted} excepted",
        };

        foreach (var row in Source(report.Access, null).Concat(Source(report.Infra, null)))
        {
            yield return row;
        }

        foreach (var check in report.Checks)
        {
            yield return new()
            {
                ["record"] = "check", ["id"] = check.Id, ["name"] = check.Title, ["status"] = Text.Lower(check.Status.ToString()),
                ["severity"] = Text.Lower(check.Severity.ToString()), ["frameworks"] = string.Join("; ", check.Frameworks),
                ["reason"] = string.Join(" ", [check.Asserts, .. check.Notes]), ["remediation"] = check.Remediation,
            };
            foreach (var f in check.Findings)
            {
                yield return new()
                {
                    ["record"] = "finding", ["id"] = check.Id, ["name"] = check.Title, ["status"] = Text.Lower(f.Status.ToString()),
                    ["severity"] = Text.Lower(check.Severity.ToString()), ["frameworks"] = string.Join("; ", check.Frameworks),
                    ["resource_type"] = f.ResourceType, ["resource_id"] = f.ResourceId, ["account_id"] = f.AccountId, ["subject"] = f.Subject,
                    ["reason"] = f.Reason, ["remediation"] = f.Remediation, ["observed_at"] = Text.Time(f.ObservedAt),
                    ["comment"] = f.Exception is { } e ? Text.Exception(e) : null,
                    ["approved_by"] = f.Exception?.ApprovedBy, ["expires"] = f.Exception is { } x ? Text.Date(x.Expires) : null,
                    ["flags"] = f.Exception is { Expired: true } ? "exception_expired" : null,
                };
            }
        }

        foreach (var framework in report.Frameworks)
        {
            foreach (var c in framework.Controls)
            {
                yield return new()
                {
                    ["record"] = "control", ["id"] = c.Id, ["name"] = c.Title, ["frameworks"] = framework.Name, ["status"] = Text.Label(c.Status),
                    ["checks"] = string.Join("; ", c.Checks.Select(x => $"{x.Id} ({(x.Status is { } s ? Text.Lower(s.ToString()) : "not evaluated")})")),
                    ["pass"] = Text.Number(c.Findings.Pass), ["fail"] = Text.Number(c.Findings.Fail), ["excepted"] = Text.Number(c.Findings.Excepted),
                    ["unknown"] = Text.Number(c.Findings.Unknown), ["skipped"] = Text.Number(c.Findings.Skipped),
                };
            }
        }

        foreach (var m in report.Members)
        {
            yield return new()
            {
                ["record"] = "member", ["stage"] = "access", ["id"] = m.MemberId, ["name"] = m.Name, ["account_id"] = m.AccountId,
                ["account_name"] = m.AccountName, ["status"] = m.Status, ["email"] = m.Email, ["roles"] = string.Join("; ", m.Roles),
                ["two_factor"] = Text.YesNo(m.TwoFactorEnabled), ["person"] = m.PersonEmail, ["org_role"] = m.OrgRole, ["mapping"] = m.Mapping,
                ["reason"] = m.MappingDetail, ["observed_at"] = Text.Time(m.FirstSeenAt),
            };
        }

        foreach (var z in report.Zones)
        {
            yield return new()
            {
                ["record"] = "zone", ["stage"] = "infra", ["id"] = z.Id, ["name"] = z.Name, ["account_id"] = z.AccountId, ["account_name"] = z.AccountName,
                ["status"] = z.Paused ? $"{z.Status} (paused)" : z.Status, ["reason"] = string.Join("; ", new[] { z.Plan, z.Type }.Where(v => v is not null)),
                ["settings"] = string.Join("; ", z.Settings.Select(s => $"{s.Key}={s.Value}")),
            };
        }

        if (report.Review is not { } review)
        {
            yield break;
        }

        yield return new()
        {
            ["record"] = "campaign", ["snapshot_id"] = review.SnapshotId, ["id"] = review.CampaignId, ["name"] = review.Name, ["status"] = review.Status,
            ["synced_at"] = Text.Time(review.AccessSyncedAt), ["observed_at"] = Text.Time(review.CreatedAt), ["items"] = Text.Number(review.Total),
            ["reason"] = $"{review.Decided} of {review.Total} decided; owner {review.Owner ?? "none"}; due {(review.Due is null ? "not set" : Text.Date(review.Due))}" +
                         (review.AllowStale ? $"; started with --allow-stale: {review.StaleReason}" : ""),
            ["decided_by"] = review.SignOff?.By, ["decided_at"] = Text.Time(review.SignOff?.At), ["comment"] = review.SignOff?.Statement,
            ["decision"] = review.SignOff is null ? null : "sign_off",
        };
        foreach (var row in Source(review.Access, review.SnapshotId))
        {
            row["record"] = "campaign_" + row["record"];
            yield return row;
        }

        foreach (var i in review.Items)
        {
            var d = i.Decision;
            yield return new()
            {
                ["record"] = "review_item", ["snapshot_id"] = review.SnapshotId, ["id"] = i.MemberId, ["name"] = i.PersonName, ["account_id"] = i.AccountId,
                ["account_name"] = i.AccountName, ["status"] = i.Status, ["email"] = i.MemberEmail, ["roles"] = string.Join("; ", i.Grants),
                ["two_factor"] = Text.YesNo(i.TwoFactorEnabled), ["person"] = i.PersonEmail, ["org_role"] = i.OrgRole,
                ["mapping"] = i.ServiceAccount is null ? null : "service_account", ["flags"] = string.Join("; ", i.RiskFlags), ["reviewer"] = i.Reviewer,
                ["change"] = i.Change, ["decision"] = d?.Decision, ["decided_by"] = d?.By, ["decided_at"] = Text.Time(d?.At), ["comment"] = d?.Comment,
                ["verification"] = i.Verification, ["verified_at"] = Text.Time(i.VerifiedAt), ["resource_id"] = i.VerifiedSnapshotId,
                ["reason"] = i.VerificationDetail, ["subject"] = i.RemovedBy,
            };
            foreach (var h in i.Decisions)
            {
                yield return new()
                {
                    ["record"] = "review_decision", ["snapshot_id"] = h.SnapshotId, ["id"] = h.Id, ["account_id"] = i.AccountId, ["email"] = i.MemberEmail,
                    ["decision"] = h.Decision, ["roles"] = string.Join("; ", h.Roles), ["decided_by"] = h.By, ["decided_at"] = Text.Time(h.At), ["comment"] = h.Comment,
                };
            }
        }
    }

    private static IEnumerable<Dictionary<string, string?>> Source(ReportSource source, string? snapshotId)
    {
        yield return new()
        {
            ["record"] = "source", ["snapshot_id"] = snapshotId, ["stage"] = source.Stage, ["synced_at"] = Text.Time(source.SyncedAt), ["sha256"] = source.Sha256,
            ["id"] = string.Join("; ", source.RunIds), ["items"] = Text.Number(source.Responses.Count), ["reason"] = source.Completeness,
            ["status"] = source.Complete ? "complete" : "incomplete",
        };
        foreach (var c in source.Coverage)
        {
            yield return new()
            {
                ["record"] = "coverage", ["snapshot_id"] = snapshotId, ["stage"] = source.Stage, ["name"] = c.List, ["id"] = c.ConnectionId,
                ["status"] = c.Complete ? "complete" : "incomplete", ["pages"] = Text.Number(c.Pages), ["items"] = Text.Number(c.Items),
                ["total_count"] = Text.Optional(c.TotalCount), ["total_pages"] = Text.Optional(c.TotalPages), ["stop"] = c.Stop,
            };
        }
        foreach (var r in source.Responses)
        {
            yield return new()
            {
                ["record"] = "response", ["snapshot_id"] = snapshotId, ["stage"] = source.Stage, ["id"] = r.RunId, ["name"] = r.Request,
                ["observed_at"] = Text.Time(r.ReceivedAt), ["sha256"] = r.Sha256, ["items"] = Text.Number(r.Bytes),
            };
        }
    }

    /// <summary>One RFC 4180 cell: quoted when it holds a comma, quote or line break; a formula-like start is defused.</summary>
    internal static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
