using System.Net;

namespace Vigil.Simulation.Tests;

public sealed class AuthTests(DemoSimulatorFixture fixture) : IClassFixture<DemoSimulatorFixture>
{
    private readonly CloudflareSimulator _sim = fixture.Simulator;

    [Fact]
    public async Task Verify_accepts_an_active_user_token_with_the_valid_message()
    {
        using var client = _sim.Client(DemoCredentials.ReadAllToken);
        var answer = await client.GetApiAsync("user/tokens/verify");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("active", answer.Result.GetProperty("status").GetString());
        Assert.Equal(32, answer.Result.GetProperty("id").GetString()!.Length);
        Assert.Equal(10000, answer.Body.GetProperty("messages")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Missing_credentials_answer_400_with_both_missing_header_codes()
    {
        using var client = _sim.Client();
        var answer = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([9106, 9107], answer.ErrorCodes);
        Assert.Equal(JsonValueKindNull, answer.Result.ValueKind);
    }

    [Fact]
    public async Task Missing_credentials_on_verify_answer_1001()
    {
        using var client = _sim.Client();
        var answer = await client.GetApiAsync("user/tokens/verify");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([1001], answer.ErrorCodes);
    }

    [Theory]
    [InlineData("Token abc")]
    [InlineData("Bearer")]
    [InlineData("Bearer two words")]
    public async Task Malformed_authorization_header_answers_6003_with_6111_in_the_chain(string header)
    {
        using var client = _sim.Client();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        var answer = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([6003], answer.ErrorCodes);
        Assert.Equal(6111, answer.Body.GetProperty("errors")[0].GetProperty("error_chain")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Unknown_token_answers_401_1000_on_verify_and_403_9109_elsewhere()
    {
        using var client = _sim.Client("cfut_ThisTokenDoesNotExistAnywhere00000000000000");

        var verify = await client.GetApiAsync("user/tokens/verify");
        var zones = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.Unauthorized, verify.Status);
        Assert.Equal([1000], verify.ErrorCodes);
        Assert.Equal(HttpStatusCode.Forbidden, zones.Status);
        Assert.Equal([9109], zones.ErrorCodes);
    }

    [Fact]
    public async Task Revoked_token_stops_working_mid_session()
    {
        await using var sim = await Api.StartDemoAsync();
        using var client = sim.Client(DemoCredentials.ReadAllToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("zones")).Status);

        sim.RevokeToken(DemoCredentials.ReadAllToken);

        var zones = await client.GetApiAsync("zones");
        var verify = await client.GetApiAsync("user/tokens/verify");
        Assert.Equal([9109], zones.ErrorCodes);
        Assert.Equal(HttpStatusCode.Unauthorized, verify.Status);
        Assert.Equal([1000], verify.ErrorCodes);
    }

    [Theory]
    [InlineData(DemoCredentials.DisabledToken, "disabled")]
    [InlineData(DemoCredentials.ExpiredToken, "expired")]
    public async Task Disabled_and_expired_tokens_verify_with_their_status_but_cannot_read(string token, string status)
    {
        using var client = _sim.Client(token);

        var verify = await client.GetApiAsync("user/tokens/verify");
        var accounts = await client.GetApiAsync("accounts");

        Assert.Equal(HttpStatusCode.OK, verify.Status);
        Assert.Equal(status, verify.Result.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, accounts.Status);
        Assert.Equal([9109], accounts.ErrorCodes);
    }

    [Fact]
    public async Task Token_past_its_expiry_date_reports_expired_even_when_marked_active()
    {
        var scenario = Scenario.Demo();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "0123456789abcdef0123456789abcdef",
            Value = "cfut_ExpiresSoon",
            ExpiresOn = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            Permissions = [new TokenPermission { Group = PermissionGroups.ZoneRead }],
        });
        await using var sim = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { TimeProvider = time });
        using var client = sim.Client("cfut_ExpiresSoon");
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("zones")).Status);

        time.Advance(TimeSpan.FromDays(31));

        Assert.Equal("expired", (await client.GetApiAsync("user/tokens/verify")).Result.GetProperty("status").GetString());
        Assert.Equal(new[] { 9109 }, (await client.GetApiAsync("zones")).ErrorCodes);
    }

    [Fact]
    public async Task Not_yet_valid_token_verifies_as_active_with_not_before_but_cannot_read()
    {
        using var client = _sim.Client(DemoCredentials.NotYetValidToken);

        var verify = await client.GetApiAsync("user/tokens/verify");
        var zones = await client.GetApiAsync("zones");

        Assert.Equal("active", verify.Result.GetProperty("status").GetString());
        Assert.StartsWith("2030-01-01", verify.Result.GetProperty("not_before").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, zones.Status);
        Assert.Equal([9109], zones.ErrorCodes);
    }

    [Fact]
    public async Task Ip_restricted_token_is_refused_from_loopback_naming_the_location()
    {
        using var client = _sim.Client(DemoCredentials.IpRestrictedToken);
        var answer = await client.GetApiAsync("zones");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal([9109], answer.ErrorCodes);
        Assert.Equal("Cannot use the access token from location: 127.0.0.1", answer.FirstErrorMessage);
    }

    [Fact]
    public async Task Global_key_reads_everything_its_user_can_reach()
    {
        using var client = _sim.GlobalKeyClient(DemoCredentials.GlobalKeyEmail, DemoCredentials.GlobalApiKey);

        var user = await client.GetApiAsync("user");
        var accounts = await client.GetApiAsync("accounts");
        var members = await client.GetApiAsync($"accounts/{Api.Prod}/members");

        Assert.Equal(DemoCredentials.GlobalKeyEmail, user.Result.GetProperty("email").GetString());
        Assert.Equal(2, accounts.Info("total_count"));
        Assert.Equal(HttpStatusCode.OK, members.Status);
    }

    [Fact]
    public async Task Wrong_global_key_answers_9103()
    {
        using var client = _sim.GlobalKeyClient(DemoCredentials.GlobalKeyEmail, "cfk_wrongwrongwrongwrongwrongwrongwrongwrong00");
        var answer = await client.GetApiAsync("user");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal([9103], answer.ErrorCodes);
    }

    [Fact]
    public async Task Half_of_the_global_key_pair_names_the_missing_header()
    {
        using var client = _sim.Client();
        client.DefaultRequestHeaders.Add("X-Auth-Email", DemoCredentials.GlobalKeyEmail);
        var answer = await client.GetApiAsync("user");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([9107], answer.ErrorCodes);
    }

    [Fact]
    public async Task Global_key_on_token_verify_answers_1001()
    {
        using var client = _sim.GlobalKeyClient(DemoCredentials.GlobalKeyEmail, DemoCredentials.GlobalApiKey);
        var answer = await client.GetApiAsync("user/tokens/verify");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal([1001], answer.ErrorCodes);
    }

    [Fact]
    public async Task Account_token_fails_user_endpoints_and_verifies_at_its_account()
    {
        using var client = _sim.Client(DemoCredentials.AccountToken);

        var user = await client.GetApiAsync("user");
        var userVerify = await client.GetApiAsync("user/tokens/verify");
        var accountVerify = await client.GetApiAsync($"accounts/{DemoCredentials.AccountTokenAccountId}/tokens/verify");
        var otherAccountVerify = await client.GetApiAsync($"accounts/{Api.Staging}/tokens/verify");

        Assert.Equal((HttpStatusCode.Forbidden, 9109), (user.Status, user.ErrorCodes.Single()));
        Assert.Equal((HttpStatusCode.Unauthorized, 1000), (userVerify.Status, userVerify.ErrorCodes.Single()));
        Assert.Equal("active", accountVerify.Result.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, otherAccountVerify.Status);
    }

    [Fact]
    public async Task User_token_cannot_verify_at_the_account_endpoint()
    {
        using var client = _sim.Client(DemoCredentials.ReadAllToken);
        var answer = await client.GetApiAsync($"accounts/{Api.Prod}/tokens/verify");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal([1000], answer.ErrorCodes);
    }

    [Fact]
    public async Task Extra_tokens_from_options_read_everything()
    {
        await using var sim = await Api.StartDemoAsync(new SimulatorOptions { ExtraTokens = ["cfut_FromTheCommandLine"] });
        using var client = sim.Client("cfut_FromTheCommandLine");

        Assert.Equal(13, (await client.GetApiAsync("zones")).Info("total_count"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync($"accounts/{Api.Prod}/members")).Status);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
