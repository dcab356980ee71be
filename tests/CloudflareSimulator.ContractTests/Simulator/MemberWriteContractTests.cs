using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// The member writes `vigil review apply` makes: DELETE and PUT /accounts/{account_id}/members/{member_id}. Neither is in
/// openapi-subset.json (see the simulator README), so each answer is checked against Cloudflare's API reference ("Remove
/// Member": result {id}; "Update Member": result Member; Accepted Permissions SCIM Provisioning or Account Settings
/// Write) and the official SDK types (npm cloudflare: MemberDeleteResponse { id }, Shared.Member), and driven through the
/// SDK itself.
/// </summary>
public sealed class MemberWriteContractTests : IAsyncLifetime
{
    private const string WriteToken = "cfut_contract0member0write00000000000000000000";
    private const string AdministratorRoleId = "a0a1b2c3d4e5f60718293a4b5c6d7e8f";
    private const string ReadOnlyRoleId = "a1a1b2c3d4e5f60718293a4b5c6d7e8f";
    private CloudflareSimulator? _simulator;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private CloudflareSimulator Simulator => _simulator!;

    public async Task InitializeAsync()
    {
        var scenario = ContractScenario.Create();
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = "f7e6d5c4b3a29180f7e6d5c4b3a29180",
            Value = WriteToken,
            Name = "member writes",
            Permissions = [new TokenPermission { Group = PermissionGroups.AccountSettingsWrite }],
        });
        _simulator = await CloudflareSimulator.StartAsync(scenario, new SimulatorOptions { RateLimitRequests = 0, PerIpRequestsPerSecond = 0 });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    [Fact]
    public void Member_writes_are_not_in_the_document()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryLayout.CloudflareOpenApiPath()));
        var paths = document.RootElement.GetProperty("paths");
        if (paths.TryGetProperty("/accounts/{account_id}/members/{member_id}", out var member))
        {
            Assert.False(member.TryGetProperty("delete", out _));
            Assert.False(member.TryGetProperty("put", out _));
        }
    }

    [Fact]
    public async Task Remove_member_answers_the_envelope_with_the_removed_id_then_404_once_gone()
    {
        var path = $"/accounts/{ContractScenario.AccountId}/members/{ContractScenario.PendingMemberId}";
        var (status, body) = await SendAsync(HttpMethod.Delete, path, WriteToken);
        using (body)
        {
            Assert.Equal(200, status);
            AssertSuccessEnvelope(body.RootElement);
            var result = body.RootElement.GetProperty("result");
            Assert.Equal(["id"], result.EnumerateObject().Select(p => p.Name));
            Assert.Equal(ContractScenario.PendingMemberId, result.GetProperty("id").GetString());
        }

        var (again, gone) = await SendAsync(HttpMethod.Delete, path, WriteToken);
        using (gone)
        {
            Assert.Equal(404, again);
            AssertFailureEnvelope(gone.RootElement, 7003);
        }

        var (listed, members) = await SendAsync(HttpMethod.Get, $"/accounts/{ContractScenario.AccountId}/members", ContractScenario.ReadAllToken);
        using (members)
        {
            Assert.Equal(200, listed);
            Assert.DoesNotContain(members.RootElement.GetProperty("result").EnumerateArray(), m => m.GetProperty("id").GetString() == ContractScenario.PendingMemberId);
        }
    }

    [Fact]
    public async Task Update_member_with_roles_answers_the_member_in_the_sdk_shape()
    {
        var path = $"/accounts/{ContractScenario.AccountId}/members/{ContractScenario.AcceptedMemberId}";
        var (status, body) = await SendAsync(HttpMethod.Put, path, WriteToken, $$"""{"roles":[{"id":"{{ReadOnlyRoleId}}"}]}""");
        using (body)
        {
            Assert.Equal(200, status);
            AssertSuccessEnvelope(body.RootElement);
            var member = body.RootElement.GetProperty("result");
            // Shared.Member: id, email, policies, roles, status, user {id, email, first_name, last_name, two_factor_authentication_enabled}.
            Assert.Equal(ContractScenario.AcceptedMemberId, member.GetProperty("id").GetString());
            Assert.Contains(member.GetProperty("status").GetString(), new[] { "accepted", "pending" });
            Assert.Equal(JsonValueKind.Object, member.GetProperty("user").ValueKind);
            var role = Assert.Single(member.GetProperty("roles").EnumerateArray());
            Assert.Equal(ReadOnlyRoleId, role.GetProperty("id").GetString());
            Assert.Equal(JsonValueKind.String, role.GetProperty("name").ValueKind);
            Assert.Equal(JsonValueKind.Array, member.GetProperty("policies").ValueKind);
        }

        var (bad, refused) = await SendAsync(HttpMethod.Put, path, WriteToken, """{"roles":[{"id":"0000000000000000000000000000beef"}]}""");
        using (refused)
        {
            Assert.Equal(400, bad);
            AssertFailureEnvelope(refused.RootElement, null);
        }
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public async Task A_token_without_account_settings_write_is_refused_403_in_the_error_envelope(string method)
    {
        var path = $"/accounts/{ContractScenario.AccountId}/members/{ContractScenario.AcceptedMemberId}";
        var (status, body) = await SendAsync(new HttpMethod(method), path, ContractScenario.ReadAllToken, method == "PUT" ? $$"""{"roles":[{"id":"{{AdministratorRoleId}}"}]}""" : null);
        using (body)
        {
            Assert.Equal(403, status);
            AssertFailureEnvelope(body.RootElement, 10000);
        }
        Assert.NotNull(Simulator.Scenario.Accounts[0].Members.FirstOrDefault(m => m.Id == ContractScenario.AcceptedMemberId));
    }

    [Fact]
    public async Task Official_sdk_updates_removes_and_reads_the_refusals()
    {
        var directory = Path.Combine(RepositoryLayout.RepositoryRoot(), "tests", "sdk-check");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "cloudflare")),
            $"Cloudflare's SDK is not installed: run ./test (it installs it), or tests/sdk-check/install ({directory}).");
        var start = new ProcessStartInfo("node") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("member-writes.mjs");
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CLOUDFLARE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["CF_BASE_URL"] = Simulator.BaseUrl;
        start.Environment["CF_API_TOKEN"] = WriteToken;
        start.Environment["CF_READ_TOKEN"] = ContractScenario.ReadAllToken;
        start.Environment["CF_ACCOUNT_ID"] = ContractScenario.AccountId;
        start.Environment["CF_UPDATE_MEMBER_ID"] = ContractScenario.AcceptedMemberId;
        start.Environment["CF_ROLE_ID"] = ReadOnlyRoleId;
        start.Environment["CF_DELETE_MEMBER_ID"] = ContractScenario.PolicyMemberId;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("Node.js (`node`, v20 or later) must be on PATH to run the official SDK check.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"node member-writes.mjs exited with {process.ExitCode}: {await stderr} {await stdout}");
            using var json = JsonDocument.Parse(await stdout);
            var root = json.RootElement;
            Assert.Equal(ContractScenario.AcceptedMemberId, root.GetProperty("updated").GetProperty("id").GetString());
            Assert.Equal([ReadOnlyRoleId], root.GetProperty("updated").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(ContractScenario.PolicyMemberId, root.GetProperty("deleted").GetProperty("id").GetString());
            Assert.Equal(403, root.GetProperty("refused").GetProperty("status").GetInt32());
            Assert.Equal([10000], root.GetProperty("refused").GetProperty("codes").EnumerateArray().Select(c => c.GetInt32()));
            Assert.Equal(404, root.GetProperty("gone").GetProperty("status").GetInt32());
        }
    }

    private async Task<(int Status, JsonDocument Body)> SendAsync(HttpMethod method, string path, string token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, Simulator.BaseUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static void AssertSuccessEnvelope(JsonElement root)
    {
        Assert.True(root.GetProperty("success").GetBoolean());
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("messages").ValueKind);
    }

    private static void AssertFailureEnvelope(JsonElement root, int? code)
    {
        Assert.False(root.GetProperty("success").GetBoolean());
        var errors = root.GetProperty("errors").EnumerateArray().ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e =>
        {
            Assert.Equal(JsonValueKind.Number, e.GetProperty("code").ValueKind);
            Assert.Equal(JsonValueKind.String, e.GetProperty("message").ValueKind);
        });
        if (code is { } expected)
        {
            Assert.Contains(errors, e => e.GetProperty("code").GetInt32() == expected);
        }
    }
}
