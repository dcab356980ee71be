using System.Net;
using System.Text;
using Vigil.Core.Checks;

namespace Vigil.App.Reports;

/// <summary>
/// The report as one self-contained HTML page an auditor opens and prints: inline CSS with print rules, no script, no
/// external font, image or link to fetch (a Content-Security-Policy says so to the browser too), and every value that
/// comes from Cloudflare, the staff directory or a reviewer HTML-encoded.
/// </summary>
public static class HtmlReportWriter
{
    private const string Css = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; font-size: 13px; color: #111; margin: 24px; line-height: 1.4; }
        h1 { font-size: 22px; margin: 0 0 8px; }
        h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 2px solid #333; padding-bottom: 2px; }
        h3 { font-size: 14px; margin: 16px 0 4px; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
        th, td { border: 1px solid #bbb; padding: 3px 5px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th { overflow-wrap: normal; }
        th { background: #eee; }
        dl.meta { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 6px 0; }
        dl.meta dt { font-weight: 600; }
        dl.meta dd { margin: 0; }
        .provenance { background: #f6f6f6; border-left: 4px solid #888; padding: 4px 8px; margin: 4px 0 8px; }
        code, .hash { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
        .status-fail { color: #a40000; font-weight: 700; }
        .status-pass, .status-verified { color: #1b6e20; }
        .status-unknown, .status-pending_removal, .status-excepted { color: #8a5a00; }
        .status-overdue, .status-reappeared, .status-failing { color: #a40000; font-weight: 700; }
        .status-passing { color: #1b6e20; }
        .status-not_evaluated, .status-needs_other_evidence { color: #555; font-style: italic; }
        .muted, .exception { color: #555; }
        .exception.expired { color: #a40000; }
        ul.plain { margin: 0; padding-left: 16px; }
        @media print {
          body { margin: 0; font-size: 9pt; }
          h2 { break-before: page; }
          h2.first { break-before: auto; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; }
          .provenance { border-left-color: #000; }
        }
        """;

    public static void Write(EvidenceReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"en\">");
        w.WriteLine("<head>");
        w.WriteLine("<meta charset=\"utf-8\">");
        // Nothing may load or run: the page is evidence, read offline.
        w.WriteLine("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'\">");
        w.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.WriteLine($"<title>Vigil evidence report: {E(report.OrganisationName)}, snapshot {E(report.SnapshotId)}</title>");
        w.WriteLine($"<style>{Css}</style>");
        w.WriteLine("</head>");
        w.WriteLine("<body>");
        Header(w, report);
        Summary(w, report);
        Sources(w, report);
        Checks(w, report);
        Frameworks(w, report);
        Members(w, report);
        Zones(w, report);
        if (report.Review is { } review)
        {
            Review(w, report, review);
        }
        w.WriteLine($"<footer class=\"muted\"><p>Written by Vigil from stored data only. The file's SHA-256 and signature are in its manifest (<code>{E("<report>.manifest.json")}</code>); check them with <code>vigil report verify</code>.</p></footer>");
        w.WriteLine("</body>");
        w.WriteLine("</html>");
    }

    private static void Header(StreamWriter w, EvidenceReport r)
    {
        w.WriteLine("<header>");
        w.WriteLine("<h1>Vigil evidence report</h1>");
        w.WriteLine("<dl class=\"meta\">");
        Meta(w, "Organisation", r.OrganisationName);
        Meta(w, "Snapshot", r.SnapshotId, code: true);
        Meta(w, "Snapshot taken at", Text.Time(r.SnapshotTakenAt));
        Meta(w, "Selected", r.Selection);
        Meta(w, "States judged as of", $"{Text.Time(r.AsOf)} (the newest recorded fact, never the printing time)");
        w.WriteLine("</dl>");
        w.WriteLine("</header>");
    }

    private static void Summary(StreamWriter w, EvidenceReport r)
    {
        w.WriteLine("<section id=\"summary\">");
        w.WriteLine("<h2 class=\"first\">Summary</h2>");
        Provenance(w, $"Checks evaluated at {Text.Time(r.Evaluation.EvaluatedAt)}: " +
                      (r.Evaluation.Stored ? "the evaluation stored with this snapshot." : "no evaluation was stored with this snapshot, so Vigil evaluated it for this report as at the snapshot's time."));
        w.WriteLine("<table id=\"summary-table\"><thead><tr><th>checks passed</th><th>failed</th><th>unknown</th><th>excepted</th><th>memberships</th><th>zones</th>" +
                    (r.Review is null ? "" : "<th>review items decided</th>") + "</tr></thead><tbody><tr>");
        w.Write($"<td>{r.Evaluation.Passed}</td><td>{r.Evaluation.Failed}</td><td>{r.Evaluation.Unknown}</td><td>{r.Evaluation.Excepted}</td><td>{r.Members.Count}</td><td>{r.Zones.Count}</td>");
        if (r.Review is { } review)
        {
            w.Write($"<td>{review.Decided} / {review.Total}</td>");
        }
        w.WriteLine("</tr></tbody></table>");
        w.WriteLine("</section>");
    }

    private static void Sources(StreamWriter w, EvidenceReport r)
    {
        w.WriteLine("<section id=\"sources\">");
        w.WriteLine("<h2>Sources and completeness of the population</h2>");
        w.WriteLine("<p>Each stage's data came from the raw Cloudflare API responses below, kept unchanged as evidence. The stage's SHA-256 is taken over the responses' SHA-256 values in order, each as lower-case hex and a line feed.</p>");
        Source(w, "Access data (accounts, roles, members)", r.Access);
        Source(w, "Infrastructure data (zones and their settings)", r.Infra);
        w.WriteLine("</section>");
    }

    private static void Source(StreamWriter w, string title, ReportSource s)
    {
        w.WriteLine($"<h3>{E(title)}</h3>");
        w.WriteLine("<dl class=\"meta\">");
        Meta(w, "Read from Cloudflare at", Text.Time(s.SyncedAt) ?? "never synced");
        Meta(w, "Sync runs", s.RunIds.Count == 0 ? "none" : string.Join(", ", s.RunIds), code: true);
        Meta(w, "Raw API responses", $"{s.Responses.Count}, {s.Responses.Sum(x => x.Bytes)} bytes");
        Meta(w, "SHA-256 of the responses", s.Sha256, code: true);
        Meta(w, "Completeness", s.Completeness);
        w.WriteLine("</dl>");
        if (s.Coverage.Count > 0)
        {
            w.WriteLine($"<table class=\"coverage\" data-stage=\"{E(s.Stage)}\"><thead><tr><th>list</th><th>pages read</th><th>items</th><th>total_count</th><th>total_pages</th><th>why paging stopped</th><th>read whole</th></tr></thead><tbody>");
            foreach (var c in s.Coverage)
            {
                w.WriteLine($"<tr><td><code>{E(c.List)}</code></td><td>{c.Pages}</td><td>{c.Items}</td><td>{E(Text.Optional(c.TotalCount))}</td><td>{E(Text.Optional(c.TotalPages))}</td><td>{E(c.Stop)}</td>" +
                            $"<td class=\"status-{(c.Complete ? "pass" : "fail")}\">{(c.Complete ? "yes" : "no")}</td></tr>");
            }
            w.WriteLine("</tbody></table>");
        }
        if (s.Responses.Count > 0)
        {
            w.WriteLine("<table class=\"responses\"><thead><tr><th>request</th><th>received at</th><th>bytes</th><th>SHA-256</th></tr></thead><tbody>");
            foreach (var x in s.Responses)
            {
                w.WriteLine($"<tr><td><code>{E(x.Request)}</code></td><td>{Text.Time(x.ReceivedAt)}</td><td>{x.Bytes}</td><td class=\"hash\">{x.Sha256}</td></tr>");
            }
            w.WriteLine("</tbody></table>");
        }
    }

    private static void Checks(StreamWriter w, EvidenceReport r)
    {
        w.WriteLine("<section id=\"checks\">");
        w.WriteLine("<h2>Checks</h2>");
        Provenance(w, $"Snapshot {r.SnapshotId} taken at {Text.Time(r.SnapshotTakenAt)}; access data read at {Text.Time(r.Access.SyncedAt) ?? "never"} " +
                      $"(responses SHA-256 {r.Access.Sha256}); infrastructure data read at {Text.Time(r.Infra.SyncedAt) ?? "never"} (responses SHA-256 {r.Infra.Sha256}); " +
                      $"evaluated at {Text.Time(r.Evaluation.EvaluatedAt)}.");
        w.WriteLine("<table id=\"check-table\"><thead><tr><th>check</th><th>title</th><th>severity</th><th>status</th><th>frameworks</th><th>findings failing / total</th></tr></thead><tbody>");
        foreach (var c in r.Checks)
        {
            var status = Text.Lower(c.Status.ToString());
            w.WriteLine($"<tr data-check=\"{E(c.Id)}\"><td><a href=\"#check-{E(c.Id)}\"><code>{E(c.Id)}</code></a></td><td>{E(c.Title)}</td><td>{E(Text.Lower(c.Severity.ToString()))}</td>" +
                        $"<td class=\"status-{status}\">{status}</td><td>{E(string.Join(", ", c.Frameworks))}</td><td>{c.Findings.Count(f => f.Status == FindingStatus.Fail)} / {c.Findings.Count}</td></tr>");
        }
        w.WriteLine("</tbody></table>");

        foreach (var c in r.Checks)
        {
            w.WriteLine($"<h3 id=\"check-{E(c.Id)}\"><code>{E(c.Id)}</code>: {E(c.Title)} <span class=\"status-{Text.Lower(c.Status.ToString())}\">({Text.Lower(c.Status.ToString())})</span></h3>");
            w.WriteLine($"<p>{E(c.Asserts)} <span class=\"muted\">Remediation: {E(c.Remediation)}</span></p>");
            foreach (var note in c.Notes)
            {
                w.WriteLine($"<p class=\"muted\">Note: {E(note)}</p>");
            }
            w.WriteLine($"<table class=\"findings\" data-check=\"{E(c.Id)}\"><thead><tr><th>status</th><th>resource</th><th>reason</th><th>remediation</th><th>data read at</th></tr></thead><tbody>");
            // Failures first, then what could not be judged, then the rest, each in the stored order.
            foreach (var f in c.Findings.OrderBy(f => Rank(f.Status)))
            {
                var status = Text.Lower(f.Status.ToString());
                var exception = f.Exception is { } e
                    ? $"<br><span class=\"exception{(e.Expired ? " expired" : "")}\" data-approved-by=\"{E(e.ApprovedBy)}\" data-expires=\"{Text.Date(e.Expires)}\">{E(Text.Exception(e))}</span>"
                    : "";
                w.WriteLine($"<tr class=\"finding\"><td class=\"status-{status}\">{status}</td><td>{E(f.Subject)}<br><span class=\"muted\">{E(f.ResourceType)} <code>{E(f.ResourceId)}</code></span></td>" +
                            $"<td>{E(f.Reason)}{exception}</td><td>{E(f.Remediation ?? "")}</td><td>{E(Text.Time(f.ObservedAt) ?? "")}</td></tr>");
            }
            w.WriteLine("</tbody></table>");
        }
        w.WriteLine("</section>");
    }

    private static void Frameworks(StreamWriter w, EvidenceReport r)
    {
        w.WriteLine("<section id=\"frameworks\">");
        w.WriteLine("<h2>Coverage by framework control</h2>");
        Provenance(w, $"Each control's outcome comes from the checks above that map to it (evaluated at {Text.Time(r.Evaluation.EvaluatedAt)} on snapshot {r.SnapshotId}): " +
                      "failing when any fails, unknown when any could not be judged, not evaluated when none judged anything, excepted when its failures are excused by approved exceptions, else passing. " +
                      "A control no check covers needs other evidence.");
        foreach (var f in r.Frameworks)
        {
            w.WriteLine($"<h3 id=\"framework-{E(f.Key)}\">{E(f.Name)}</h3>");
            w.WriteLine($"<p class=\"framework-summary\">{f.Controls.Count} controls: {f.Count(ControlStatus.Passing)} passing, {f.Count(ControlStatus.Failing)} failing, " +
                        $"{f.Count(ControlStatus.Unknown)} unknown, {f.Count(ControlStatus.Excepted)} excepted, {f.Count(ControlStatus.NotEvaluated)} not evaluated, " +
                        $"{f.Count(ControlStatus.NeedsOtherEvidence)} need other evidence.</p>");
            w.WriteLine($"<table class=\"controls\" data-framework=\"{E(f.Key)}\"><thead><tr><th>control</th><th>title</th><th>status</th><th>checks</th>" +
                        "<th>findings pass / fail / excepted / unknown / skipped</th></tr></thead><tbody>");
            foreach (var c in f.Controls)
            {
                var status = Text.Lower(c.Status.ToString());
                var checks = c.Checks.Count == 0
                    ? "<span class=\"muted\">none</span>"
                    : "<ul class=\"plain\">" + string.Concat(c.Checks.Select(x => x.Status is { } s
                        ? $"<li><a href=\"#check-{E(x.Id)}\"><code>{E(x.Id)}</code></a> <span class=\"status-{Text.Lower(s.ToString())}\">({Text.Lower(s.ToString())})</span></li>"
                        : $"<li><code>{E(x.Id)}</code> <span class=\"muted\">(not evaluated)</span></li>")) + "</ul>";
                var findings = c.Checks.Count == 0 ? "" : $"{c.Findings.Pass} / {c.Findings.Fail} / {c.Findings.Excepted} / {c.Findings.Unknown} / {c.Findings.Skipped}";
                w.WriteLine($"<tr class=\"control\" data-control=\"{E(c.Id)}\"><td><code>{E(c.Id)}</code></td><td>{E(c.Title)}</td><td class=\"status-{status}\">{E(Text.Label(c.Status))}</td>" +
                            $"<td>{checks}</td><td>{findings}</td></tr>");
            }
            w.WriteLine("</tbody></table>");
        }
        w.WriteLine("</section>");
    }

    private static int Rank(FindingStatus status) => status switch
    {
        FindingStatus.Fail => 0,
        FindingStatus.Unknown => 1,
        FindingStatus.Excepted => 2,
        FindingStatus.Skipped => 3,
        _ => 4,
    };

    private static void Members(StreamWriter w, EvidenceReport r)
    {
        w.WriteLine("<section id=\"members\">");
        w.WriteLine("<h2>Members</h2>");
        Provenance(w, $"Access data read from Cloudflare at {Text.Time(r.Access.SyncedAt) ?? "never"} (snapshot {r.SnapshotId}); {r.Access.Responses.Count} raw responses, " +
                      $"SHA-256 {r.Access.Sha256}. Population: {r.Access.Completeness}.");
        w.WriteLine("<table id=\"member-table\"><thead><tr><th>account</th><th>member</th><th>status</th><th>roles and policies</th><th>2FA</th><th>person</th><th>org role</th><th>mapping</th></tr></thead><tbody>");
        foreach (var m in r.Members)
        {
            var person = m.PersonEmail is null ? "" : $"{E(m.PersonName ?? "")}<br><span class=\"muted\">{E(m.PersonEmail)}{(m.PersonStatus is { } ps ? $" ({E(ps)})" : "")}</span>";
            var mapping = m.MappingDetail is null ? E(m.Mapping) : $"{E(m.Mapping)}<br><span class=\"muted\">{E(m.MappingDetail)}</span>";
            w.WriteLine($"<tr><td>{E(m.AccountName)}</td><td>{E(m.Email.Length > 0 ? m.Email : $"member {m.MemberId}")}{(m.Name is { } n ? $"<br><span class=\"muted\">{E(n)}</span>" : "")}</td>" +
                        $"<td>{E(m.Status)}</td><td>{List(m.Roles)}</td><td>{Text.YesNo(m.TwoFactorEnabled)}</td><td>{person}</td><td>{E(m.OrgRole ?? "")}</td><td>{mapping}</td></tr>");
        }
        w.WriteLine("</tbody></table>");
        w.WriteLine("</section>");
    }

    private static void Zones(StreamWriter w, EvidenceReport r)
    {
        w.WriteLine("<section id=\"zones\">");
        w.WriteLine("<h2>Zones</h2>");
        Provenance(w, $"Infrastructure data read from Cloudflare at {Text.Time(r.Infra.SyncedAt) ?? "never"} (snapshot {r.SnapshotId}); {r.Infra.Responses.Count} raw responses, " +
                      $"SHA-256 {r.Infra.Sha256}. Population: {r.Infra.Completeness}.");
        w.WriteLine("<table id=\"zone-table\"><thead><tr><th>zone</th><th>account</th><th>status</th><th>plan</th><th>settings</th></tr></thead><tbody>");
        foreach (var z in r.Zones)
        {
            var settings = string.Join("", z.Settings.Select(s => $"<li>{E(s.Key)}: {E(s.Value)}</li>"));
            w.WriteLine($"<tr><td>{E(z.Name)}<br><code class=\"muted\">{E(z.Id)}</code></td><td>{E(z.AccountName)}</td><td>{E(z.Status)}{(z.Paused ? " (paused)" : "")}{(z.Type is { } t ? $", {E(t)}" : "")}</td>" +
                        $"<td>{E(z.Plan ?? "")}</td><td><ul class=\"plain\">{settings}</ul></td></tr>");
        }
        w.WriteLine("</tbody></table>");
        w.WriteLine("</section>");
    }

    private static void Review(StreamWriter w, EvidenceReport r, ReportReview c)
    {
        w.WriteLine("<section id=\"review\">");
        w.WriteLine($"<h2>Access review: {E(c.Name)}</h2>");
        Provenance(w, $"Campaign frozen on snapshot {c.SnapshotId}, access data read from Cloudflare at {Text.Time(c.AccessSyncedAt) ?? "unknown"}; {c.Access.Responses.Count} raw responses, " +
                      $"SHA-256 {c.Access.Sha256}. Population: {c.Access.Completeness}. Verification judged as of {Text.Time(r.AsOf)} with a revocation SLA of {c.RevocationSlaDays.ToString(System.Globalization.CultureInfo.InvariantCulture)} days.");
        w.WriteLine("<dl class=\"meta\">");
        Meta(w, "Campaign", c.CampaignId, code: true);
        Meta(w, "System", c.System);
        Meta(w, "Status", c.Status);
        Meta(w, "Started", Text.Time(c.CreatedAt));
        Meta(w, "Due", c.Due is null ? "not set" : Text.Date(c.Due));
        Meta(w, "System owner", c.Owner ?? "none");
        Meta(w, "Reviewers (fallback)", c.Reviewers.Count == 0 ? "none" : string.Join(", ", c.Reviewers));
        Meta(w, "Progress", $"{c.Decided} of {c.Total} items decided");
        if (c.AllowStale)
        {
            Meta(w, "Started on stale data", c.StaleReason ?? "");
        }
        if (c.PreviousCampaignId is { } previous)
        {
            Meta(w, "Previous campaign", $"{previous}; removed since: {(c.RemovedSincePrevious.Count == 0 ? "none" : string.Join(", ", c.RemovedSincePrevious.Select(x => x.MemberEmail)))}");
        }
        Meta(w, "Sign-off", c.SignOff is { } s ? $"{s.By} at {Text.Time(s.At)}: {s.Statement}" : "not signed off");
        w.WriteLine("</dl>");

        w.WriteLine("<table id=\"review-table\"><thead><tr><th>member</th><th>account</th><th>roles</th><th>2FA</th><th>person</th><th>risk flags</th><th>reviewer</th><th>change</th><th>decision</th><th>verification</th></tr></thead><tbody>");
        foreach (var i in c.Items)
        {
            var person = i.ServiceAccount is { } sa ? $"service account: {E(sa)}" : i.PersonEmail is null ? "unidentified" : $"{E(i.PersonName ?? "")}<br><span class=\"muted\">{E(i.PersonEmail)}{(i.OrgRole is { } o ? $", {E(o)}" : "")}</span>";
            w.WriteLine($"<tr class=\"review-item\"><td>{E(i.Label)}</td><td>{E(i.AccountName)}</td><td>{List(i.Grants)}</td><td>{Text.YesNo(i.TwoFactorEnabled)}</td><td>{person}</td>" +
                        $"<td>{E(string.Join(", ", i.RiskFlags))}</td><td>{E(i.Reviewer)}</td><td>{E(i.Change)}</td><td>{Decisions(i)}</td><td>{Verification(i)}</td></tr>");
        }
        w.WriteLine("</tbody></table>");
        w.WriteLine("</section>");
    }

    private static string Decisions(ReportReviewItem item)
    {
        if (item.Decision is not { } d)
        {
            return "<span class=\"muted\">undecided</span>";
        }

        var text = new StringBuilder();
        text.Append($"<strong>{E(d.Decision)}</strong>{(d.Roles.Count > 0 ? $" to {E(string.Join(", ", d.Roles))}" : "")} by {E(d.By)} at {Text.Time(d.At)}");
        if (d.Comment is { Length: > 0 } comment)
        {
            text.Append($": {E(comment)}");
        }
        if (item.Decisions.Count > 1)
        {
            text.Append("<br><span class=\"muted\">superseding: ");
            text.Append(string.Join("; ", item.Decisions.Take(item.Decisions.Count - 1).Select(h => $"{E(h.Decision)} by {E(h.By)} at {Text.Time(h.At)}")));
            text.Append("</span>");
        }
        return text.ToString();
    }

    private static string Verification(ReportReviewItem item)
    {
        if (item.Verification == "none")
        {
            return "<span class=\"muted\">none</span>";
        }

        var text = new StringBuilder($"<span class=\"status-{E(item.Verification)}\">{E(item.Verification)}</span>");
        if (item.VerifiedAt is { } at)
        {
            text.Append($" at {Text.Time(at)}");
            if (item.ElapsedSeconds is { } elapsed)
            {
                text.Append($", {Text.Elapsed(elapsed)} after the decision");
            }
        }
        if (item.VerifiedSnapshotId is { } snapshot)
        {
            text.Append($"<br><span class=\"muted\">shown by snapshot <code>{E(snapshot)}</code></span>");
        }
        if (item.RemovedBy is { } by)
        {
            text.Append($"<br>removed by {E(by)}");
        }
        if (item.VerificationDetail is { } detail)
        {
            text.Append($"<br><span class=\"muted\">{E(detail)}</span>");
        }
        return text.ToString();
    }

    private static string List(IReadOnlyList<string> values) =>
        values.Count == 0 ? "" : "<ul class=\"plain\">" + string.Concat(values.Select(v => $"<li>{E(v)}</li>")) + "</ul>";

    private static void Meta(StreamWriter w, string term, string value, bool code = false) =>
        w.WriteLine(code ? $"<dt>{E(term)}</dt><dd><code>{E(value)}</code></dd>" : $"<dt>{E(term)}</dt><dd>{E(value)}</dd>");

    private static void Provenance(StreamWriter w, string text) => w.WriteLine($"<p class=\"provenance\">{E(text)}</p>");

    /// <summary>HTML-encodes text for element content and quoted attributes (&amp;, &lt;, &gt;, &quot; and &#39;).</summary>
    internal static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
}
