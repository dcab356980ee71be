using Vigil.Cloudflare.Sync;
using Vigil.Cloudflare.Tests.Support;
using Vigil.Core;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;
using Vigil.Simulation;
using MemberPolicy = Vigil.Simulation.MemberPolicy;

namespace Vigil.Cloudflare.Tests.Sync;

/// <summary>The access stage reads IAM user groups, permission-group names and SSO connectors once per account.</summary>
public sealed class AccessGroupsAndSsoSyncTests
{
    private static Scenario Estate()
    {
        var scenario = TestScenario.Build((2, 12, 0));
        var account = scenario.Accounts[0];
        var ops = TestScenario.Id('c', 0, 3); // a pending member
        var admin = TestScenario.Id('c', 0, 0);
        account.PermissionGroups.Add(new PolicyPermissionGroup { Id = "f2d1a7c9e3b54d6f8a0c2e4a6c8e0a2c", Name = "Administrator" });
        account.UserGroups.Add(new ScenarioUserGroup
        {
            Id = "c4a8e2f6b0d3471a9e5c7b1d3f5a7e9c",
            Name = "Platform Ops",
            MemberIds = [admin, ops],
            Policies =
            [
                new MemberPolicy
                {
                    Id = "e7b1c3d5f7a94b2d8f0a2c4e6a8c0e2a",
                    // No name: Cloudflare's types make it optional; Vigil names it from the permission-group list.
                    PermissionGroups = [new PolicyPermissionGroup { Id = "f2d1a7c9e3b54d6f8a0c2e4a6c8e0a2c" }],
                    ResourceGroups = [new PolicyResourceGroup { Id = "a1c3e5a7c9e14b3d5f7a9c1e3a5c7e9a", ScopeKey = $"com.cloudflare.api.account.{account.Id}", ScopeObjects = ["com.cloudflare.api.account.zone.0123456789abcdef0123456789abcdef"] }],
                },
            ],
        });
        account.UserGroups.Add(new ScenarioUserGroup { Id = "d4a8e2f6b0d3471a9e5c7b1d3f5a7e9c", Name = "Empty" });
        account.SsoConnectors.Add(new ScenarioSsoConnector { Id = "9e1c3a5e7c9a4b1d3f5a7c9e1b3d5f7a", EmailDomain = "a0.example" });
        // A member without any email, and a rejected invitation.
        account.Members.Add(new ScenarioMember { Id = TestScenario.Id('c', 0, 900), User = new MemberUser { Id = TestScenario.Id('e', 0, 900), TwoFactorAuthenticationEnabled = true }, Roles = [TestScenario.Id('d', 0, 0)] });
        account.Members.Add(new ScenarioMember { Id = TestScenario.Id('c', 0, 901), Status = "rejected", User = new MemberUser { Email = "gone@a0.example" }, Roles = [TestScenario.Id('d', 0, 0)] });
        return scenario;
    }

    private static async Task<(CloudflareSimulator Sim, TestHost Host, SyncRun Run)> SyncAsync(Scenario scenario, string token)
    {
        var sim = await TestScenario.StartAsync(scenario);
        var host = new TestHost(sim.BaseUrl);
        await host.Connections.SaveAsync(InMemoryConnectionStore.NewConnection("main", sim.BaseUrl), new Secret(token), CancellationToken.None);
        return (sim, host, await host.Sync.RunAsync(purpose: ConnectionPurpose.Access));
    }

    [Fact]
    public async Task Group_policies_reach_their_members_named_and_scoped_with_sso_connectors_and_no_email_members_kept()
    {
        var (sim, host, run) = await SyncAsync(Estate(), TestScenario.ReadAll);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Complete, run.Reason);
        var snapshot = (await host.Store.LoadCurrentSnapshotAsync(CancellationToken.None))!;
        var admin = snapshot.Members.Single(m => m.Id == TestScenario.Id('c', 0, 0));
        var viaGroup = Assert.Single(admin.Policies, p => p.ViaGroup is not null);
        Assert.Equal("Platform Ops", viaGroup.ViaGroup);
        Assert.Equal(["Administrator"], viaGroup.PermissionGroups);
        Assert.Equal([new PolicyScope(PolicyScope.Zone, "0123456789abcdef0123456789abcdef")], viaGroup.Scopes);

        var noEmail = snapshot.Members.Single(m => m.Id == TestScenario.Id('c', 0, 900));
        Assert.False(noEmail.HasEmail);
        Assert.Equal(TestScenario.Id('e', 0, 900), noEmail.UserId);
        var rejected = snapshot.Members.Single(m => m.Id == TestScenario.Id('c', 0, 901));
        Assert.Equal((MembershipStatus.Other, "rejected"), (rejected.Status, rejected.StatusText));
        Assert.Equal(14, run.Counts.Members);

        var account = snapshot.Accounts.Single(a => a.Id == TestScenario.Id('a', 0, 0));
        Assert.Equal([new SsoConnector("9e1c3a5e7c9a4b1d3f5a7c9e1b3d5f7a", "a0.example", true, "verified")], account.SsoConnectors);

        // roles 1 + members 1 + user groups 1 + each group's members 2 + permission groups 1 (an unnamed one) + SSO 1 + account tokens 1
        Assert.Equal(SyncCallPlan.Access([new AccessAccountPlan(2, 14, [2, 0], 1)]), run.Counts.ApiCalls);
        Assert.Equal(1 + 8, run.Counts.ApiCalls);
        Assert.Equal(run.Counts.ApiCalls, sim.Stats.TotalRequests);
    }

    [Fact]
    public async Task Refused_user_group_and_sso_reads_are_gaps_not_stage_failures()
    {
        var scenario = Estate();
        var (sim, host, run) = await SyncAsync(scenario, TestScenario.NoSsoRead);
        await using var _ = sim;
        using var __ = host;

        Assert.True(run.Status == SyncStatus.Partial, run.Reason);
        var gap = Assert.Single(run.Skipped);
        Assert.Equal(("sso_connector", "SSO Connector Read"), (gap.ResourceType, gap.MissingPermission));
        var snapshot = (await host.Store.LoadCurrentSnapshotAsync(CancellationToken.None))!;
        Assert.Null(Assert.Single(snapshot.Accounts).SsoConnectors);
        Assert.Contains(snapshot.Members, m => m.Policies.Any(p => p.ViaGroup == "Platform Ops"));
    }
}
