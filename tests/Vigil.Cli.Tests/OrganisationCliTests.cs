using System.Text.Json;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>
/// Two organisations in one Vigil home, with the same connection name, the same Cloudflare members and zones: every
/// command run for one shows nothing of the other, and removing one leaves the other whole.
/// </summary>
public sealed class OrganisationCliTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.Postgres)]
    public async Task Two_organisations_with_the_same_names_see_only_their_own_data(string engine)
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken);
        await using var database = await cli.UseAsync(engine);
        var staff = Path.Combine(AppContext.BaseDirectory, "demo-staff.csv");

        (await cli.RunAsync("org", "add", "Alpha")).ShouldExit(0);
        (await cli.RunAsync("org", "add", "Bravo")).ShouldExit(0);
        var duplicate = (await cli.RunAsync("org", "add", "ALPHA")).ShouldExit(1);
        Assert.Contains("already exists", duplicate.Stderr);

        // --org before the command's name, after it, and VIGIL_ORG all select the organisation.
        (await cli.RunAsync("--org", "alpha", "connect", "cloudflare", "--name", "cf", "--api-url", sim.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        (await cli.RunAsync("connect", "cloudflare", "--name", "cf", "--api-url", sim.BaseUrl, "--token-env", TokenVariable, "--org", "Bravo")).ShouldExit(0);
        (await cli.RunAsync("--org", "Alpha", "staff", "import", staff)).ShouldExit(0);
        (await cli.RunAsync("--org", "Alpha", "settings", "set", "timezone", "Europe/Berlin")).ShouldExit(0);
        var alphaSync = JsonDocument.Parse((await cli.RunAsync("--org", "Alpha", "sync", "--format", "json")).ShouldExit(0).Stdout);
        var bravoSync = JsonDocument.Parse((await cli.With("VIGIL_ORG", "Bravo").RunAsync("sync", "--format", "json")).ShouldExit(0).Stdout);
        var alphaSnapshot = alphaSync.RootElement.GetProperty("snapshot_id").GetString()!;
        var bravoSnapshot = bravoSync.RootElement.GetProperty("snapshot_id").GetString()!;
        Assert.NotEqual(alphaSnapshot, bravoSnapshot);

        // Bravo (VIGIL_ORG) has no staff, its own settings, its own run history; the default organisation has nothing.
        Assert.Equal(0, JsonDocument.Parse((await cli.RunAsync("staff", "list", "--format", "json")).ShouldExit(0).Stdout).RootElement.GetArrayLength());
        Assert.Equal("UTC", (await cli.RunAsync("settings", "get", "timezone")).ShouldExit(0).Stdout.Trim());
        var bravoRuns = (await cli.RunAsync("runs")).ShouldExit(0).Stdout;
        Assert.Contains(bravoSnapshot, bravoRuns);
        Assert.DoesNotContain(alphaSnapshot, bravoRuns);
        (await cli.RunAsync("runs", "show", alphaSnapshot)).ShouldExit(1);
        var bravoChecks = JsonDocument.Parse((await cli.RunAsync("checks", "--format", "json")).ShouldExit(3).Stdout).RootElement;
        Assert.Equal(bravoSnapshot, bravoChecks.GetProperty("snapshot_id").GetString());
        Assert.Equal("fail", Finding(bravoChecks, "cloudflare.user-identified", "alex.chen@acmeanalytics.com").GetProperty("status").GetString());

        var alphaChecks = JsonDocument.Parse((await cli.With("VIGIL_ORG", "").RunAsync("checks", "--org", "ALPHA", "--format", "json")).ShouldExit(3).Stdout).RootElement;
        Assert.Equal(alphaSnapshot, alphaChecks.GetProperty("snapshot_id").GetString());
        Assert.Equal("pass", Finding(alphaChecks, "cloudflare.user-identified", "alex.chen@acmeanalytics.com").GetProperty("status").GetString());
        Assert.Contains("Europe/Berlin", Finding(alphaChecks, "cloudflare.offboarded-access-removed", "jordan.blake@acme-analytics.io").GetProperty("reason").GetString());
        Assert.DoesNotContain(" cf ", (await cli.RunAsync("connections", "list")).ShouldExit(0).Stdout);
        Assert.Contains(" cf ", (await cli.RunAsync("--org", "Alpha", "connections", "list")).ShouldExit(0).Stdout);
        (await cli.RunAsync("checks")).ShouldExit(1); // the default organisation never synced

        // Removing Bravo refuses while it has a connection, then deletes it all; Alpha keeps everything.
        var refused = (await cli.RunAsync("org", "remove", "bravo")).ShouldExit(1);
        Assert.Contains("--force", refused.Stderr);
        (await cli.RunAsync("org", "remove", "bravo", "--force")).ShouldExit(0);
        Assert.Contains("no organisation 'Bravo'", (await cli.RunAsync("--org", "Bravo", "runs")).ShouldExit(1).Stderr);
        var list = JsonDocument.Parse((await cli.RunAsync("org", "list", "--format", "json")).ShouldExit(0).Stdout).RootElement;
        Assert.Equal(["default", "Alpha"], list.EnumerateArray().Select(o => o.GetProperty("name").GetString()!));
        Assert.Equal(1, list[1].GetProperty("connections").GetInt32());
        var alphaAfter = JsonDocument.Parse((await cli.RunAsync("--org", "Alpha", "checks", "--format", "json")).ShouldExit(3).Stdout).RootElement;
        Assert.Equal(alphaSnapshot, alphaAfter.GetProperty("snapshot_id").GetString());
    }

    private static JsonElement Finding(JsonElement report, string checkId, string subject) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == checkId)
            .GetProperty("findings").EnumerateArray().First(f => f.GetProperty("subject").GetString() == subject);
}
