using Spectre.Console;
using Vigil.App;
using Vigil.App.Reviews;
using Vigil.Core.Checks;
using Vigil.Core.Reviews;
using Vigil.Core.Sync;
using Vigil.Simulation;

namespace Vigil.Cli.Commands;

/// <summary>
/// The demo company's past, so that the demo's checks judge history as they would for a real user: laid down through the
/// same services a real history goes through (syncs, an access review, changes made in Cloudflare and logged in its audit
/// log), under a clock set back to when each happened. Vigil's clock and the simulator's are the same <see cref="DemoClock"/>,
/// so every stored time (snapshots, first-seen dates, decisions, sign-off, audit log entries) is the one a real history would
/// have. Ends with the clock back at now, where the demo's own sync runs.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>100 days ago: the first sync, in full (pending invitations and acme-status.io's attack mode are first seen), before
/// Cloudflare is registered as a critical system; its evaluation fails cloudflare.access-control-configured, and the company
/// registers Cloudflare with the org roles allowed on it.</item>
/// <item>An hour later: an access review, signed off: Tomasz Nowak's roles cut to DNS, Sofia Alvarez's access revoked.</item>
/// <item>Half an hour later: Dana applies Tomasz's role change in Cloudflare (logged), never Sofia's revocation; half an hour
/// after that an incremental sync reads the audit log, and verifies the role change.</item>
/// <item>3 days ago, in Cloudflare (logged): Dana invites Ravi Patel; Fatima puts acme-sandbox.dev in I'm Under Attack mode.</item>
/// </list>
/// </remarks>
internal static class DemoHistory
{
    /// <summary>How long before now the demo's first sync ran.</summary>
    public static readonly TimeSpan FirstSync = TimeSpan.FromDays(100);

    /// <summary>How long before now the recent changes were made in Cloudflare.</summary>
    public static readonly TimeSpan RecentChanges = TimeSpan.FromDays(3);

    public const string Owner = "dana.okafor@acme-analytics.io";
    private const string Reviewer = "fatima.hassan@acme-analytics.io";
    private const string RoleChanged = "tomasz.nowak@acme-analytics.io";
    private const string Revoked = "sofia.alvarez@acme-analytics.io";
    private const string Invited = "ravi.patel@acme-analytics.io";

    /// <summary>Vigil's and the simulator's clock: the system clock shifted by <see cref="Offset"/> (timers and delays stay real).</summary>
    internal sealed class DemoClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    public static async Task LayDownAsync(VigilServices services, CloudflareSimulator simulator, DemoClock clock, CheckOptions options,
        Action<string> step, Func<Task> registerCloudflare, CancellationToken ct)
    {
        var production = simulator.Scenario.Accounts.Single(a => a.Id == DemoCredentials.ProductionAccountId);
        string MemberId(string email) => production.Members.Single(m => string.Equals(m.User.Email, email, StringComparison.OrdinalIgnoreCase)).Id;
        string RoleId(string name) => production.Roles.Single(r => r.Name == name).Id;
        var tomasz = MemberId(RoleChanged);

        clock.Offset = -FirstSync;
        step($"History, {Ago(clock)}: vigil sync (the first sync reads everything, in full)");
        await SyncAsync(services, options, ct);

        clock.Offset += TimeSpan.FromMinutes(30);
        step($"History, {Ago(clock)}: Cloudflare registered as a critical system (the first sync's evaluation asked for it)");
        await registerCloudflare();

        clock.Offset += TimeSpan.FromMinutes(30);
        var reviews = new ReviewService(services.Store, clock);
        var name = $"Cloudflare access review {clock.GetUtcNow():yyyy-MM-dd}";
        step($"History, {Ago(clock)}: vigil review start cloudflare --name \"{name}\" --reviewer {Reviewer}; {Owner} keeps every membership but two " +
            $"(change {RoleChanged} to DNS, revoke {Revoked}); vigil review complete --by {Owner}");
        var started = await reviews.StartAsync(new StartCampaignRequest(Name: name, Reviewers: [Reviewer]), ct);
        var campaign = started.Campaign.Id;
        foreach (var item in started.Items)
        {
            var request = string.Equals(item.MemberEmail, RoleChanged, StringComparison.OrdinalIgnoreCase)
                ? new DecideRequest(campaign, item.MemberEmail, DecisionKind.ChangeRole, ["DNS"], Owner, "firewall rules moved to the security team", item.AccountId)
                : string.Equals(item.MemberEmail, Revoked, StringComparison.OrdinalIgnoreCase)
                    ? new DecideRequest(campaign, item.MemberEmail, DecisionKind.Revoke, [], Owner, "finance needs no Cloudflare access", item.AccountId)
                    // The owner decides every item but their own, which their reviewer decides.
                    : new DecideRequest(campaign, item.MemberEmail, DecisionKind.Keep, [],
                        string.Equals(item.MemberEmail, Owner, StringComparison.OrdinalIgnoreCase) ? Reviewer : Owner, null, item.AccountId);
            await reviews.DecideAsync(request, ct);
        }
        await reviews.CompleteAsync(campaign, Owner, "I reviewed every Cloudflare membership and approve these decisions.", ct);

        // Within hours of the first sync, so that the incremental sync re-reads only what the audit log names (nothing is
        // due for freshness yet): the demo stays quick.
        clock.Offset += TimeSpan.FromMinutes(30);
        step($"History, {Ago(clock)}, in Cloudflare: {Owner} sets the roles of {RoleChanged} to DNS (the audit log records it); {Revoked} keeps her access");
        simulator.SetMemberRoles(production.Id, tomasz, [RoleId("DNS")], log: true, actor: Owner);
        clock.Offset += TimeSpan.FromMinutes(30);
        step($"History, {Ago(clock)}: vigil sync (incremental: reads the audit log since the first sync, verifies the role change)");
        await SyncAsync(services, options, ct);

        clock.Offset = -RecentChanges;
        step($"History, {Ago(clock)}, in Cloudflare: {Owner} invites {Invited}; {Reviewer} puts acme-sandbox.dev in I'm Under Attack mode (both in the audit log)");
        simulator.AddMember(production.Id, new ScenarioMember
        {
            Id = "9d4c7b2a1e0f3d5c8b6a4e2f0d1c3b5a",
            Status = "pending",
            Email = Invited,
            User = new MemberUser { Email = Invited, TwoFactorAuthenticationEnabled = false },
            Roles = [RoleId("Administrator Read Only")],
        }, log: true, actor: Owner);
        simulator.SetZoneSetting(DemoZoneIds.Sandbox, "security_level", "under_attack", log: true, actor: Reviewer);

        clock.Offset = TimeSpan.Zero;
    }

    private static async Task SyncAsync(VigilServices services, CheckOptions options, CancellationToken ct)
    {
        var outcome = await SyncOperation.RunAsync(services, ConnectionPurpose.Both, "demo", options, null, null, ct);
        if (outcome.Run.Status == SyncStatus.Failed)
        {
            throw new CliException($"the demo's history sync failed: {outcome.Run.Reason}");
        }
        var failing = outcome.LastEvaluation?.Results.Count(r => r.Status == CheckStatus.Fail) ?? 0;
        AnsiConsole.WriteLine($"sync {outcome.Run.Status.ToString().ToLowerInvariant()}: {outcome.Run.Counts.ApiCalls} API calls; checks evaluated: {failing} failing");
    }

    private static string Ago(TimeProvider clock)
    {
        var ago = TimeProvider.System.GetUtcNow() - clock.GetUtcNow();
        return $"{(int)Math.Round(ago.TotalDays)} days ago ({clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC)";
    }
}
