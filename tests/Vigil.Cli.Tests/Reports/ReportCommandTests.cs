using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vigil.Cli.Tests.Reports;

/// <summary>
/// <c>vigil report</c>, <c>report key</c> and <c>report verify</c> on the demo company with a campaign: reproducible
/// output, what the report states, the snapshot choice, the signing key, and tampering caught by verify.
/// </summary>
[Collection(ReportWorld.Collection)]
public sealed class ReportCommandTests(ReportWorld world)
{
    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("ocsf")]
    [InlineData("html")]
    public async Task The_same_inputs_give_byte_identical_reports(string format)
    {
        var folder = world.NewFolder();
        var first = await world.ReportAsync(format, folder, "first." + format);
        var second = await world.ReportAsync(format, folder, "second." + format);
        var bytes = await File.ReadAllBytesAsync(first);
        Assert.True(bytes.Length > 1000);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(second));
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte-order mark");
    }

    [Fact]
    public async Task The_json_report_states_each_section_s_source_population_members_zones_and_the_campaign()
    {
        var path = await world.ReportAsync("json", world.NewFolder(), "report.json");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = report.RootElement;
        Assert.Equal(world.SecondSnapshotId, root.GetProperty("snapshot_id").GetString());
        Assert.Equal("current", root.GetProperty("selection").GetString());

        var access = root.GetProperty("sources").GetProperty("access");
        var responses = access.GetProperty("responses").EnumerateArray().ToList();
        Assert.NotEmpty(responses);
        Assert.Contains(responses, r => r.GetProperty("request").GetString()!.Contains("/members", StringComparison.Ordinal));
        Assert.All(responses, r => Assert.Matches("^[0-9a-f]{64}$", r.GetProperty("sha256").GetString()));
        // The stage's hash is SHA-256 over the responses' hashes, each as hex and a line feed.
        var joined = string.Concat(responses.Select(r => r.GetProperty("sha256").GetString() + "\n"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(joined))), access.GetProperty("responses_sha256").GetString());
        Assert.Contains(world.SecondSnapshotId, access.GetProperty("run_ids").EnumerateArray().Select(r => r.GetString()));
        var members = access.GetProperty("coverage").EnumerateArray().First(c => System.Text.RegularExpressions.Regex.IsMatch(c.GetProperty("list").GetString()!, "^GET /accounts/[0-9a-f]{32}/members$"));
        Assert.Equal("total_pages_reached", members.GetProperty("stop").GetString());
        Assert.Equal(members.GetProperty("items").GetInt32(), members.GetProperty("total_count").GetInt32());
        Assert.True(access.GetProperty("complete").GetBoolean());
        Assert.NotEmpty(root.GetProperty("sources").GetProperty("infra").GetProperty("responses").EnumerateArray());

        var checks = root.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(checks.Count(c => c.GetProperty("status").GetString() == "fail"), root.GetProperty("summary").GetProperty("failed").GetInt32());
        var mfa = checks.Single(c => c.GetProperty("id").GetString() == "cloudflare.member-2fa-enabled");
        Assert.Contains(mfa.GetProperty("findings").EnumerateArray(), f => f.GetProperty("status").GetString() == "fail" && f.GetProperty("remediation").GetString()!.Length > 0);
        Assert.Contains("SOC 2 CC6.1", mfa.GetProperty("frameworks").EnumerateArray().Select(f => f.GetString()));
        // Coverage per framework control: CC6.1 fails with the 2FA check; controls no check covers need other evidence.
        var frameworks = root.GetProperty("frameworks").EnumerateArray().ToList();
        Assert.Equal(["soc2", "iso27001", "pci"], frameworks.Select(f => f.GetProperty("framework").GetString()));
        var soc2 = frameworks[0].GetProperty("controls").EnumerateArray().ToList();
        var cc61 = soc2.Single(c => c.GetProperty("id").GetString() == "CC6.1");
        Assert.Equal("failing", cc61.GetProperty("status").GetString());
        Assert.Contains(cc61.GetProperty("checks").EnumerateArray(), c => c.GetProperty("id").GetString() == "cloudflare.member-2fa-enabled" && c.GetProperty("status").GetString() == "fail");
        Assert.True(cc61.GetProperty("findings").GetProperty("fail").GetInt32() > 0);
        Assert.Contains(soc2, c => c.GetProperty("status").GetString() == "needs_other_evidence" && c.GetProperty("checks").GetArrayLength() == 0);

        var memberList = root.GetProperty("members").EnumerateArray().ToList();
        Assert.DoesNotContain(memberList, m => m.GetProperty("email").GetString() == ReportWorld.Jordan);
        var bot = memberList.First(m => m.GetProperty("email").GetString() == "ci-bot@acme-analytics.io");
        Assert.Equal("service_account", bot.GetProperty("mapping").GetString());
        var priya = memberList.First(m => m.GetProperty("email").GetString() == "priya.raman@acme-analytics.io");
        Assert.Equal("email", priya.GetProperty("mapping").GetString());
        Assert.Equal("priya.raman@acme-analytics.io", priya.GetProperty("person").GetString());
        Assert.NotEmpty(priya.GetProperty("roles").EnumerateArray());
        Assert.Contains(memberList, m => m.GetProperty("two_factor").ValueKind == JsonValueKind.False);
        var zone = root.GetProperty("zones").EnumerateArray().First(z => z.GetProperty("name").GetString() == "acme-analytics.io");
        Assert.Equal("strict", zone.GetProperty("settings").GetProperty("ssl").GetString());

        var review = root.GetProperty("review");
        Assert.Equal(world.CampaignId, review.GetProperty("campaign_id").GetString());
        Assert.Equal(world.FirstSnapshotId, review.GetProperty("snapshot_id").GetString());
        Assert.NotEqual(access.GetProperty("responses_sha256").GetString(), review.GetProperty("source").GetProperty("responses_sha256").GetString());
        var jordan = review.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("member_email").GetString() == ReportWorld.Jordan);
        Assert.Equal(ReportWorld.Marcus, jordan.GetProperty("reviewer").GetString());
        Assert.Equal("revoke", jordan.GetProperty("decision").GetProperty("decision").GetString());
        Assert.Equal(ReportWorld.JordanComment, jordan.GetProperty("decision").GetProperty("comment").GetString());
        Assert.Equal("verified", jordan.GetProperty("verification").GetString());
        Assert.Equal(world.SecondSnapshotId, jordan.GetProperty("verified_snapshot_id").GetString());
        Assert.True(jordan.GetProperty("elapsed_seconds").GetInt64() >= 0);
        Assert.Equal(2, review.GetProperty("progress").GetProperty("decided").GetInt32());
    }

    [Fact]
    public async Task Snapshot_and_at_pick_the_snapshot_and_unknown_ones_are_clear_errors()
    {
        var folder = world.NewFolder();
        var cli = world.Cli;
        var older = await world.ReportAsync("json", folder, "older.json", "--snapshot", world.FirstSnapshotId);
        using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(older)))
        {
            Assert.Equal(world.FirstSnapshotId, report.RootElement.GetProperty("snapshot_id").GetString());
            // Jordan was still a member then.
            Assert.Contains(report.RootElement.GetProperty("members").EnumerateArray(), m => m.GetProperty("email").GetString() == ReportWorld.Jordan);
        }

        var today = await world.ReportAsync("json", folder, "today.json", "--at", TimeProvider.System.GetUtcNow().AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(today)))
        {
            Assert.Equal(world.SecondSnapshotId, report.RootElement.GetProperty("snapshot_id").GetString());
        }

        var unknown = (await cli.RunAsync("report", "--format", "html", "--snapshot", "no-such-run", "--out", Path.Combine(folder, "x.html"))).ShouldExit(1);
        Assert.Contains("there is no snapshot 'no-such-run'", unknown.Stderr);
        Assert.False(File.Exists(Path.Combine(folder, "x.html")));
        Assert.Contains("no snapshot was current at 2000-01-01", (await cli.RunAsync("report", "--format", "csv", "--at", "2000-01-01", "--out", Path.Combine(folder, "x.csv"))).ShouldExit(1).Stderr);
        Assert.Contains("no review campaign 'nope'", (await cli.RunAsync("report", "--format", "csv", "--review", "nope", "--out", Path.Combine(folder, "x.csv"))).ShouldExit(1).Stderr);
        Assert.Contains("--at 'yesterday'", (await cli.RunAsync("report", "--format", "csv", "--at", "yesterday", "--out", Path.Combine(folder, "x.csv"))).ShouldExit(2).Stderr);
        Assert.Contains("exclude each other", (await cli.RunAsync("report", "--format", "csv", "--at", "2026-01-01", "--snapshot", world.FirstSnapshotId, "--out", Path.Combine(folder, "x.csv"))).ShouldExit(2).Stderr);
        Assert.Contains("--format must be html, csv, json or ocsf", (await cli.RunAsync("report", "--format", "pdf", "--out", Path.Combine(folder, "x.pdf"))).ShouldExit(2).Stderr);
        Assert.Contains("--out PATH", (await cli.RunAsync("report", "--format", "html")).ShouldExit(2).Stderr);
        Assert.Empty(Directory.GetFiles(folder, "x.*"));
    }

    [Fact]
    public async Task The_signing_key_is_owner_only_and_report_key_prints_only_the_public_key()
    {
        await world.ReportAsync("csv", world.NewFolder(), "r.csv");
        var keyFile = Path.Combine(world.Cli.Home, "report-signing-key.pem");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        var printed = (await world.Cli.RunAsync("report", "key")).ShouldExit(0).Stdout;
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", printed);
        Assert.DoesNotContain("PRIVATE", printed);
        var secret = (await File.ReadAllTextAsync(keyFile)).Split('\n')[1];
        Assert.DoesNotContain(secret, printed);
        Assert.Equal(printed, (await world.Cli.RunAsync("report", "key")).ShouldExit(0).Stdout);
    }

    [Fact]
    public async Task Verify_passes_an_untouched_report_and_names_the_file_when_one_byte_is_altered()
    {
        var path = await world.ReportAsync("html", world.NewFolder(), "evidence.html");
        var ok = (await world.Cli.RunAsync("report", "verify", path)).ShouldExit(0);
        Assert.Contains("Verified", ok.Stdout);

        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);
        var altered = (await world.Cli.RunAsync("report", "verify", path)).ShouldExit(1);
        Assert.Contains("ALTERED  evidence.html: altered", altered.Stdout);
        Assert.DoesNotContain("signature fails", altered.Output);
        // The manifest's own path works too.
        Assert.Contains("evidence.html", (await world.Cli.RunAsync("report", "verify", path + ".manifest.json")).ShouldExit(1).Stdout);
    }

    [Fact]
    public async Task Verify_says_the_signature_fails_when_the_manifest_is_altered_or_signed_by_another_key()
    {
        var folder = world.NewFolder();
        var path = await world.ReportAsync("ocsf", folder, "findings.ocsf");
        var manifest = path + ".manifest.json";
        var text = await File.ReadAllTextAsync(manifest);
        Assert.Contains(world.CampaignId, text);
        Assert.Contains(world.SecondSnapshotId, text);

        // Someone "fixes" the listed hash to match a doctored report: the hash now matches, the signature does not.
        var doctored = (await File.ReadAllTextAsync(path)).Replace("\"Fail\"", "\"Pass\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, doctored);
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        using (var parsed = JsonDocument.Parse(text))
        {
            var listed = parsed.RootElement.GetProperty("manifest").GetProperty("files")[0].GetProperty("sha256").GetString()!;
            await File.WriteAllTextAsync(manifest, text.Replace(listed, sha, StringComparison.Ordinal));
        }
        var failed = (await world.Cli.RunAsync("report", "verify", path)).ShouldExit(1);
        Assert.Contains("findings.ocsf.manifest.json: the signature fails", failed.Stdout);
        Assert.DoesNotContain("ALTERED  findings.ocsf:", failed.Stdout);

        // A Vigil home with another key does not accept this manifest; given the signer's public key, it does.
        var original = await world.ReportAsync("json", folder, "signed.json");
        using var stranger = new CliProcess();
        (await stranger.RunAsync("report", "key")).ShouldExit(0);
        Assert.Contains("the signature fails", (await stranger.RunAsync("report", "verify", original)).ShouldExit(1).Stdout);
        var publicKey = Path.Combine(folder, "signer.pem");
        await File.WriteAllTextAsync(publicKey, (await world.Cli.RunAsync("report", "key")).ShouldExit(0).Stdout);
        (await stranger.RunAsync("report", "verify", original, "--key", publicKey)).ShouldExit(0);
    }
}
