using Vigil.App;
using Vigil.App.Administration;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Web.Tests;

/// <summary>
/// The demo company ("Acme Analytics") synced into a web test server's store through the same operations the CLI and
/// the API use, from the Cloudflare simulator on loopback, plus one member whose name is markup (names come from
/// Cloudflare and must be HTML-encoded).
/// </summary>
internal sealed class DemoData : IAsyncDisposable
{
    public const string Admin = "admin@acme-analytics.io";
    public const string HostileName = "<script>alert('x')</script><b>Mallory</b>";
    public const string HostileEmail = "mallory@evil.example";
    public const string Contractor = "sam.rivera@rivera-consulting.dev";

    private DemoData(CloudflareSimulator simulator) => Simulator = simulator;

    public CloudflareSimulator Simulator { get; }

    /// <summary>Connects, imports the staff directory, registers Cloudflare (owner: <paramref name="owner"/>) and syncs once.</summary>
    public static async Task<DemoData> SeedAsync(WebServerFixture web, string owner = Admin)
    {
        var ct = CancellationToken.None;
        var scenario = Scenario.Demo();
        var production = scenario.Accounts[0];
        production.Members.Add(new ScenarioMember
        {
            Id = "hostile-member",
            Email = HostileEmail,
            User = new MemberUser { Id = "hostile-user", Email = HostileEmail, FirstName = HostileName, LastName = "\"><img src=x>", TwoFactorAuthenticationEnabled = true },
            Roles = [production.Roles[0].Id],
        });
        var simulator = await CloudflareSimulator.StartAsync(scenario, ct: ct);
        await using var services = VigilServices.Create(web.Store.ForOrganisation(web.Store.Organisation));
        var connected = await ConnectionOperations.ConnectAsync(services,
            new ConnectRequest("acme", ConnectionPurpose.Both, simulator.BaseUrl, null, new Secret(DemoCredentials.ReadAllToken)), ct);
        Assert.NotNull(connected.Connection);
        using (var staff = new StreamReader(Path.Combine(AppContext.BaseDirectory, "demo-staff.csv")))
        {
            var imported = await DirectoryOperations.ImportStaffAsync(services.Store, staff, "demo-staff.csv", scim: false, skipInvalid: false, ct);
            Assert.True(imported.Stored, string.Join("; ", imported.Errors));
        }

        await DirectoryOperations.SaveSystemAsync(services.Store, "cloudflare", ["cto", "sre", "engineer", "security", "finance"], owner, TimeProvider.System, ct);
        var options = await CheckConfiguration.OptionsAsync(services.Store, null, null, ct);
        var outcome = await SyncOperation.RunAsync(services, ConnectionPurpose.Both, "test", options, null, null, ct);
        Assert.NotEqual(SyncStatus.Failed, outcome.Run.Status);
        return new DemoData(simulator);
    }

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
