using System.Net.Http.Headers;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Simulation;

namespace Vigil.Cli.Tests;

/// <summary>`vigil connect` and `vigil sync` against a server that redirects elsewhere: plain failures, exit codes kept, and no request ever reaches the other origin.</summary>
public sealed class HostileServerCliTests
{
    private const string TokenVariable = "ACME_CLOUDFLARE_TOKEN";
    private const string KeyVariable = "ACME_CLOUDFLARE_KEY";

    [Fact]
    public async Task Connect_and_sync_refuse_redirects_and_never_send_the_credential_to_the_other_origin()
    {
        await using var sim = await CloudflareSimulator.StartAsync(Scenario.Demo());
        await using var other = new LoopbackServer((r, s, ct) => LoopbackServer.WriteJsonAsync(s, 200, """{"success":true,"errors":[],"messages":[],"result":[]}""", ct));
        using var forward = new HttpClient();
        var redirect = false;
        // Forwards to the simulator until told to redirect every request to the other origin.
        await using var api = new LoopbackServer(async (r, s, ct) =>
        {
            if (redirect)
            {
                await LoopbackServer.WriteJsonAsync(s, 302, "", ct, $"Location: {other.Origin}{r.Target}");
                return;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, sim.BaseUrl[..sim.BaseUrl.IndexOf("/client/v4", StringComparison.Ordinal)] + r.Target);
            foreach (var name in new[] { "Authorization", "X-Auth-Email", "X-Auth-Key" })
            {
                if (r.Headers.TryGetValue(name, out var value))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await forward.SendAsync(request, ct);
            await LoopbackServer.WriteJsonAsync(s, (int)response.StatusCode, await response.Content.ReadAsStringAsync(ct), ct);
        });
        using var cli = new CliProcess().With(TokenVariable, DemoCredentials.ReadAllToken).With(KeyVariable, DemoCredentials.GlobalApiKey);

        (await cli.RunAsync("connect", "cloudflare", "--name", "acme", "--api-url", api.BaseUrl, "--token-env", TokenVariable)).ShouldExit(0);
        (await cli.RunAsync("sync")).ShouldExit(0);
        redirect = true;

        var token = (await cli.RunAsync("connect", "cloudflare", "--name", "again", "--api-url", api.BaseUrl, "--token-env", TokenVariable)).ShouldExit(1);
        var key = (await cli.RunAsync("connect", "cloudflare", "--name", "legacy", "--api-url", api.BaseUrl,
            "--email", DemoCredentials.GlobalKeyEmail, "--key-env", KeyVariable)).ShouldExit(1);
        var sync = (await cli.RunAsync("sync", "--format", "json")).ShouldExit(1);
        var checks = await cli.RunAsync("checks");

        Assert.Empty(other.Requests);
        foreach (var result in new[] { token, key, sync })
        {
            Assert.Contains("HTTP 302", result.Output);
            Assert.Contains("does not follow redirects to Cloudflare's API", result.Output);
            Assert.DoesNotContain(DemoCredentials.ReadAllToken, result.Output);
            Assert.DoesNotContain(DemoCredentials.GlobalApiKey, result.Output);
        }
        Assert.Contains("\"status\": \"failed\"", sync.Stdout);
        Assert.Equal(3, checks.ExitCode); // the previous data is still there to judge
        Assert.Contains("13 zones visible to this credential", checks.Stdout);
    }
}
