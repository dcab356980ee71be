using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests.Reports;

/// <summary>
/// The demo company with a campaign whose revocation was verified: synced once (plus a member whose name is markup),
/// a campaign started, Jordan revoked and the hostile member kept with a markup comment, Jordan removed in Cloudflare,
/// synced again. Built once and shared by the report tests (each writes its own files under its own folder).
/// </summary>
[CollectionDefinition(ReportWorld.Collection)]
public sealed class ReportWorldCollection : ICollectionFixture<ReportWorld>;

/// <summary>The world itself.</summary>
public sealed class ReportWorld : IAsyncLifetime
{
    /// <summary>The test collection sharing one world (its tests run one after another).</summary>
    public const string Collection = "reports";

    public const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";
    public const string Owner = "dana.okafor@acme-analytics.io";
    public const string Marcus = "marcus.lindqvist@acme-analytics.io";
    public const string Fatima = "fatima.hassan@acme-analytics.io";
    public const string Jordan = "jordan.blake@acme-analytics.io";
    public const string JordanMemberId = "6e3f3880cebaa07367a1f4781ddfc04a";
    public const string HostileEmail = "mallory@evil.example";
    public const string HostileFirstName = "<script>alert(1)</script>";
    public const string HostileLastName = "<img src=x onerror=alert(2)>";
    public const string HostileComment = "<b>kept</b> & \"reviewed\"";
    public const string JordanComment = "left on 2026-09-30";

    private CloudflareSimulator? _sim;
    private CliProcess? _cli;

    internal CliProcess Cli => _cli!;

    public string CampaignId { get; private set; } = "";

    /// <summary>The snapshot of the first sync (before Jordan was removed).</summary>
    public string FirstSnapshotId { get; private set; } = "";

    /// <summary>The snapshot of the second sync, which verified Jordan's revocation (the current one).</summary>
    public string SecondSnapshotId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        _sim.AddMember(DemoCredentials.ProductionAccountId, new ScenarioMember
        {
            Id = "0badc0de0badc0de0badc0de0badc0de",
            Email = HostileEmail,
            User = new MemberUser { Id = "0badc0de0badc0de0badc0de0badc0df", Email = HostileEmail, FirstName = HostileFirstName, LastName = HostileLastName },
        });
        _cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        (await Cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", _sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        (await Cli.RunAsync("staff", "import", Path.Combine(AppContext.BaseDirectory, "demo-staff.csv"))).ShouldExit(0);
        (await Cli.RunAsync("systems", "add", "cloudflare", "--org-role", "cto", "--org-role", "sre", "--org-role", "engineer", "--org-role", "security", "--owner", Owner)).ShouldExit(0);
        (await Cli.RunAsync("map", "ci-bot@acme-analytics.io", "--service-account", "CI deploy bot owned by the platform team")).ShouldExit(0);
        FirstSnapshotId = await SyncAsync();

        using (var started = JsonDocument.Parse((await Cli.RunAsync("review", "start", "cloudflare", "--name", "Q4 <2026>", "--reviewer", Fatima, "--format", "json")).ShouldExit(0).Stdout))
        {
            CampaignId = started.RootElement.GetProperty("campaign_id").GetString()!;
        }
        (await Cli.RunAsync("review", "decide", CampaignId, Jordan, "--revoke", "--comment", JordanComment, "--by", Marcus)).ShouldExit(0);
        (await Cli.RunAsync("review", "decide", CampaignId, HostileEmail, "--keep", "--comment", HostileComment, "--by", Owner)).ShouldExit(0);

        Assert.NotNull(_sim.RemoveMember(DemoCredentials.ProductionAccountId, JordanMemberId));
        SecondSnapshotId = await SyncAsync();
    }

    private async Task<string> SyncAsync()
    {
        using var sync = JsonDocument.Parse((await Cli.RunAsync("sync", "--format", "json")).ShouldExit(0).Stdout);
        return sync.RootElement.GetProperty("snapshot_id").GetString()!;
    }

    /// <summary>A fresh folder for one test's reports.</summary>
    public string NewFolder() => Directory.CreateDirectory(Path.Combine(Cli.Home, "reports-" + Guid.NewGuid().ToString("N"))).FullName;

    internal async Task<string> ReportAsync(string format, string folder, string name, params string[] extra)
    {
        var path = Path.Combine(folder, name);
        (await Cli.RunAsync(["report", "--format", format, "--review", CampaignId, "--out", path, .. extra])).ShouldExit(0);
        return path;
    }

    public async Task DisposeAsync()
    {
        _cli?.Dispose();
        if (_sim is not null)
        {
            await _sim.DisposeAsync();
        }
    }
}
