using System.Text;
using System.Text.Json;
using Vigil.App.Reports;
using Vigil.Core.Checks;

namespace Vigil.App.Tests.Reports;

/// <summary>
/// The per-control coverage section of the evidence report, and excepted findings, on a known snapshot: member 2FA fails
/// (so ISO A.8.5 fails), user identification passes (PCI 8.2.1 passes), offboarding's only failure is excused (ISO A.6.5
/// is excepted), zone log export was not run (PCI 10.2.1 is not evaluated) and no check covers PCI 3 (it needs other
/// evidence); one DNSSEC failure's exception expired.
/// </summary>
public sealed class ReportCoverageTests
{
    private const string Approver = "ciso@acme-analytics.io";
    private const string HostileReason = "<b>contract</b> & \"signed\"";
    private static readonly DateTimeOffset At = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_framework_lists_every_control_with_its_checks_counts_and_status()
    {
        var frameworks = Report().Frameworks;
        Assert.Equal(["soc2", "iso27001", "pci"], frameworks.Select(f => f.Key));
        foreach (var framework in frameworks)
        {
            Assert.Equal(Core.Frameworks.FrameworkCatalog.Find(framework.Key)!.Controls.Select(c => c.Id), framework.Controls.Select(c => c.Id));
        }

        var a85 = Control(frameworks, "iso27001", "A.8.5");
        Assert.Equal(ControlStatus.Failing, a85.Status);
        Assert.Equal(new FindingCounts(2, 1, 0, 0, 0), a85.Findings);
        Assert.Contains(a85.Checks, c => c.Id == "cloudflare.member-2fa-enabled" && c.Status == CheckStatus.Fail);
        Assert.Contains(a85.Checks, c => c.Id == "cloudflare.account-2fa-enforced" && c.Status == CheckStatus.Pass);

        var pci821 = Control(frameworks, "pci", "8.2.1");
        Assert.Equal(ControlStatus.Passing, pci821.Status);
        Assert.Equal(new FindingCounts(2, 0, 0, 0, 1), pci821.Findings);
        Assert.Equal(ControlStatus.Excepted, Control(frameworks, "iso27001", "A.6.5").Status);
        var logs = Control(frameworks, "pci", "10.2.1");
        Assert.Equal(ControlStatus.NotEvaluated, logs.Status);
        Assert.Contains(logs.Checks, c => c.Id == "cloudflare.zone-logs-exported" && c.Status is null);
        var pci3 = Control(frameworks, "pci", "3");
        Assert.Equal(ControlStatus.NeedsOtherEvidence, pci3.Status);
        Assert.Empty(pci3.Checks);
    }

    [Fact]
    public void The_json_report_has_a_frameworks_array_with_each_control_s_outcome()
    {
        using var json = JsonDocument.Parse(Write(ReportFormat.Json));
        var frameworks = json.RootElement.GetProperty("frameworks").EnumerateArray().ToList();
        Assert.Equal(["soc2", "iso27001", "pci"], frameworks.Select(f => f.GetProperty("framework").GetString()));

        var iso = frameworks[1];
        Assert.Equal("ISO/IEC 27001:2022", iso.GetProperty("name").GetString());
        var a85 = JsonControl(iso, "A.8.5");
        Assert.Equal("failing", a85.GetProperty("status").GetString());
        Assert.Equal(1, a85.GetProperty("findings").GetProperty("fail").GetInt32());
        Assert.Equal(2, a85.GetProperty("findings").GetProperty("pass").GetInt32());
        var member2fa = a85.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "cloudflare.member-2fa-enabled");
        Assert.Equal("fail", member2fa.GetProperty("status").GetString());
        Assert.Equal("excepted", JsonControl(iso, "A.6.5").GetProperty("status").GetString());
        Assert.Equal(1, JsonControl(iso, "A.6.5").GetProperty("findings").GetProperty("excepted").GetInt32());

        var pci = frameworks[2];
        var pci821 = JsonControl(pci, "8.2.1");
        Assert.Equal("passing", pci821.GetProperty("status").GetString());
        Assert.Equal("Every user has a unique ID", pci821.GetProperty("title").GetString());
        Assert.Equal(["cloudflare.user-identified"], pci821.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(2, pci821.GetProperty("findings").GetProperty("pass").GetInt32());
        Assert.Equal(1, pci821.GetProperty("findings").GetProperty("skipped").GetInt32());
        var pci3 = JsonControl(pci, "3");
        Assert.Equal("needs_other_evidence", pci3.GetProperty("status").GetString());
        Assert.Empty(pci3.GetProperty("checks").EnumerateArray());
        var logs = JsonControl(pci, "10.2.1");
        Assert.Equal("not_evaluated", logs.GetProperty("status").GetString());
        Assert.Equal("not_evaluated", logs.GetProperty("checks")[0].GetProperty("status").GetString());

        var summary = pci.GetProperty("summary");
        var controls = pci.GetProperty("controls").EnumerateArray().ToList();
        Assert.Equal(controls.Count, summary.GetProperty("controls").GetInt32());
        Assert.Equal(controls.Count(c => c.GetProperty("status").GetString() == "needs_other_evidence"), summary.GetProperty("needs_other_evidence").GetInt32());
        Assert.True(summary.GetProperty("needs_other_evidence").GetInt32() > 0);
        Assert.True(summary.GetProperty("passing").GetInt32() > 0);
    }

    [Fact]
    public void The_html_report_has_a_table_per_framework_with_each_control_s_outcome()
    {
        var html = Write(ReportFormat.Html);
        var section = Section(html, "frameworks");
        Assert.Contains("<h2>Coverage by framework control</h2>", section);
        foreach (var key in new[] { "soc2", "iso27001", "pci" })
        {
            Assert.Contains($"<table class=\"controls\" data-framework=\"{key}\">", section);
        }

        var a85 = Row(Table(section, "iso27001"), "A.8.5");
        Assert.Contains("<td class=\"status-failing\">failing</td>", a85);
        Assert.Contains("<a href=\"#check-cloudflare.member-2fa-enabled\"><code>cloudflare.member-2fa-enabled</code></a> <span class=\"status-fail\">(fail)</span>", a85);
        Assert.Contains("<td>2 / 1 / 0 / 0 / 0</td>", a85);
        Assert.Contains("<td class=\"status-excepted\">excepted</td>", Row(Table(section, "iso27001"), "A.6.5"));

        var pci = Table(section, "pci");
        var pci821 = Row(pci, "8.2.1");
        Assert.Contains("<td class=\"status-passing\">passing</td>", pci821);
        Assert.Contains("Every user has a unique ID", pci821);
        Assert.Contains("<td>2 / 0 / 0 / 0 / 1</td>", pci821);
        var pci3 = Row(pci, "3");
        Assert.Contains("<td class=\"status-needs_other_evidence\">needs other evidence</td>", pci3);
        Assert.Contains("<span class=\"muted\">none</span>", pci3);
        var logs = Row(pci, "10.2.1");
        Assert.Contains("<td class=\"status-not_evaluated\">not evaluated</td>", logs);
        Assert.Contains("<code>cloudflare.zone-logs-exported</code> <span class=\"muted\">(not evaluated)</span>", logs);
        // Links only to checks the report shows.
        Assert.DoesNotContain("href=\"#check-cloudflare.zone-logs-exported\"", html);
        Assert.Contains("id=\"check-cloudflare.member-2fa-enabled\"", html);
    }

    [Fact]
    public void The_csv_report_has_a_control_row_per_control()
    {
        var lines = Write(ReportFormat.Csv).Split("\r\n");
        var columns = lines[0].Split(',').ToList();
        var control = lines.Single(l => l.StartsWith("control,", StringComparison.Ordinal) && l.Contains(",A.8.5,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("failing", control[columns.IndexOf("status")]);
        Assert.Equal("ISO/IEC 27001:2022", control[columns.IndexOf("frameworks")]);
        Assert.Equal("1", control[columns.IndexOf("fail")]);
        Assert.Contains("cloudflare.member-2fa-enabled (fail)", control[columns.IndexOf("checks")], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("control,", StringComparison.Ordinal) && l.Contains(",3,Stored account data protected,", StringComparison.Ordinal) && l.Contains("needs other evidence", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_format_shows_an_excepted_finding_s_reason_approver_and_expiry_and_an_expired_exception_s_note()
    {
        using (var json = JsonDocument.Parse(Write(ReportFormat.Json)))
        {
            var findings = json.RootElement.GetProperty("checks").EnumerateArray().SelectMany(c => c.GetProperty("findings").EnumerateArray()).ToList();
            var excepted = findings.Single(f => f.GetProperty("status").GetString() == "excepted").GetProperty("exception");
            Assert.Equal(HostileReason, excepted.GetProperty("reason").GetString());
            Assert.Equal(Approver, excepted.GetProperty("approved_by").GetString());
            Assert.Equal("2027-03-31", excepted.GetProperty("expires").GetString());
            Assert.False(excepted.GetProperty("expired").GetBoolean());
            var expired = findings.Single(f => f.GetProperty("exception").ValueKind == JsonValueKind.Object && f.GetProperty("exception").GetProperty("expired").GetBoolean());
            Assert.Equal("fail", expired.GetProperty("status").GetString());
            Assert.Contains("expired on 2026-10-31", expired.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal("2026-10-31", expired.GetProperty("exception").GetProperty("expires").GetString());
        }

        var html = Write(ReportFormat.Html);
        Assert.Contains($"<span class=\"exception\" data-approved-by=\"{Approver}\" data-expires=\"2027-03-31\">excepted: exception for jordan.blake@acme-analytics.io approved by {Approver} until 2027-03-31: " +
                        "&lt;b&gt;contract&lt;/b&gt; &amp; &quot;signed&quot;</span>", html);
        Assert.Contains("<span class=\"exception expired\"", html);
        Assert.Contains($"exception for shop.example approved by {Approver} expired on 2026-10-31 and no longer excuses this finding: DNSSEC rollout", html);
        Assert.DoesNotContain("<b>contract</b>", html);

        var csv = Write(ReportFormat.Csv).Split("\r\n");
        var columns = csv[0].Split(',').ToList();
        var row = Cells(csv.Single(l => l.StartsWith("finding,", StringComparison.Ordinal) && l.Contains(",excepted,", StringComparison.Ordinal)));
        Assert.Equal(Approver, row[columns.IndexOf("approved_by")]);
        Assert.Equal("2027-03-31", row[columns.IndexOf("expires")]);
        Assert.Contains(HostileReason, row[columns.IndexOf("comment")], StringComparison.Ordinal);
        var expiredRow = Cells(csv.Single(l => l.Contains("exception_expired", StringComparison.Ordinal)));
        Assert.Equal("fail", expiredRow[columns.IndexOf("status")]);
        Assert.Contains("no longer excuses", expiredRow[columns.IndexOf("comment")], StringComparison.Ordinal);

        var events = Write(ReportFormat.Ocsf).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        try
        {
            var suppressed = events.Single(e => e.RootElement.GetProperty("status").GetString() == "Suppressed").RootElement;
            var unmapped = suppressed.GetProperty("unmapped");
            Assert.Equal(HostileReason, unmapped.GetProperty("exception_reason").GetString());
            Assert.Equal(Approver, unmapped.GetProperty("exception_approved_by").GetString());
            Assert.Equal("2027-03-31", unmapped.GetProperty("exception_expires").GetString());
            Assert.Contains(Approver, suppressed.GetProperty("comment").GetString(), StringComparison.Ordinal);
            var expired = events.Single(e => e.RootElement.GetProperty("unmapped").TryGetProperty("exception_expired", out var x) && x.ValueKind == JsonValueKind.True).RootElement;
            Assert.Equal("Fail", expired.GetProperty("compliance").GetProperty("status").GetString());
            Assert.Contains("no longer excuses", expired.GetProperty("comment").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            events.ForEach(e => e.Dispose());
        }
    }

    private static ReportControl Control(IReadOnlyList<ReportFramework> frameworks, string key, string id) =>
        frameworks.Single(f => f.Key == key).Controls.Single(c => c.Id == id);

    private static JsonElement JsonControl(JsonElement framework, string id) =>
        framework.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {id}");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private static string Table(string section, string key)
    {
        var start = section.IndexOf($"data-framework=\"{key}\"", StringComparison.Ordinal);
        return section[start..section.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static string Row(string table, string control)
    {
        var start = table.IndexOf($"<tr class=\"control\" data-control=\"{control}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row for control {control}");
        return table[start..table.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    // A minimal RFC 4180 reader: enough for the quoted cells these rows hold.
    private static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString());
        return cells;
    }

    private static string Write(ReportFormat format)
    {
        using var stream = new MemoryStream();
        format.Write(Report(), stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static EvidenceReport Report()
    {
        List<ReportCheck> checks =
        [
            Check("cloudflare.member-2fa-enabled", CheckStatus.Fail,
                Member(FindingStatus.Fail, "jordan.blake@acme-analytics.io", "2FA is off"),
                Member(FindingStatus.Pass, "priya.raman@acme-analytics.io", "2FA is on")),
            Check("cloudflare.account-2fa-enforced", CheckStatus.Pass,
                new Finding(FindingStatus.Pass, "account", "acc1", "acc1", "Production", "2FA is enforced", null, At)),
            Check("cloudflare.user-identified", CheckStatus.Pass,
                Member(FindingStatus.Pass, "priya.raman@acme-analytics.io", "identified"),
                Member(FindingStatus.Pass, "dana.okafor@acme-analytics.io", "identified"),
                Member(FindingStatus.Skipped, "invite@acme-analytics.io", "pending invitation")),
            Check("cloudflare.offboarded-access-removed", CheckStatus.Excepted,
                Member(FindingStatus.Excepted, "jordan.blake@acme-analytics.io", "jordan.blake@acme-analytics.io left on 2026-09-30 and still has access") with
                {
                    Exception = new FindingException("jordan.blake@acme-analytics.io", HostileReason, Approver, new DateOnly(2027, 3, 31), Expired: false),
                }),
            Check("cloudflare.zone-dnssec", CheckStatus.Fail,
                new Finding(FindingStatus.Fail, "zone", "z1", "acc1", "shop.example",
                    "zone shop.example has DNSSEC off (the exception for shop.example approved by ciso@acme-analytics.io expired on 2026-10-31: DNSSEC rollout)",
                    "Enable DNSSEC", At, new FindingException("shop.example", "DNSSEC rollout", Approver, new DateOnly(2026, 10, 31), Expired: true))),
        ];
        var empty = new ReportSource("access", At, [], ReportBuilder.Digest([]), [], []);
        return new EvidenceReport("org", "Acme Analytics", "snap1", At, "current", At,
            new ReportEvaluation(At, true, 2, 2, 0, 1), empty, empty with { Stage = "infra" }, checks, ReportBuilder.Frameworks(checks), [], [], null);
    }

    private static ReportCheck Check(string id, CheckStatus status, params Finding[] findings)
    {
        var definition = CheckCatalog.Find(id)?.Definition ?? throw new InvalidOperationException($"no check {id}");
        return new ReportCheck(id, definition.Title, definition.Severity, definition.Asserts, definition.Remediation, definition.Frameworks, status, [], findings);
    }

    private static Finding Member(FindingStatus status, string email, string reason) =>
        new(status, "member", email, "acc1", email, reason, status == FindingStatus.Pass ? null : "fix it", At);
}
