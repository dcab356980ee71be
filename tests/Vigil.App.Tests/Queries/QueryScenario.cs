using Microsoft.Extensions.Time.Testing;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App.Tests.Queries;

/// <summary>
/// A small organisation with one of each kind of membership and zone the read models show: an identified super admin,
/// an unidentified member without 2FA, a service account, an old pending invitation; a secure zone and a weak one in
/// another account, and a DNS record.
/// </summary>
internal static class QueryScenario
{
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    public static async Task SeedAsync(IVigilStore store, FakeTimeProvider time)
    {
        var ct = CancellationToken.None;
        await store.SaveAsync(new Connection("c-1", "main", ConnectionPurpose.Both, Connection.DefaultApiUrl, null, CredentialKind.UserToken, null, Now, null, null,
            new HashSet<string>(StringComparer.Ordinal)), new Secret("token-value-never-shown"), ct);
        await store.UpsertPeopleAsync(
        [
            new Person("ada@example.com", "Ada Lovelace", PersonStatus.Active, "engineer", null, [], "grace@example.com"),
            new Person("grace@example.com", "Grace Hopper", PersonStatus.Active, "admin", null, ["g.hopper@example.org"], null),
            new Person("zed@example.com", "Zed Left", PersonStatus.Offboarded, "engineer", new DateOnly(2026, 10, 1), [], "grace@example.com"),
        ], ct);
        await store.SaveMappingAsync(new IdentityMapping("ci@example.com", null, "deploy bot owned by platform team", Now), ct);

        var run = await store.StartRunAsync("test", Now, ct);
        await store.CommitAccessStageAsync(run.Id, "c-1", new AccessStageData(
            Accounts: [new CloudflareAccount("acc-1", "Acme", true, "c-1"), new CloudflareAccount("acc-2", "Labs", false, "c-1")],
            Roles: [],
            Members:
            [
                Member("m-ada", "acc-1", "ada@example.com", true, "Super Administrator - All Privileges"),
                Member("m-bob", "acc-1", "bob@example.com", false, "Administrator"),
                Member("m-ci", "acc-1", "ci@example.com", true, "Administrator Read Only"),
                Member("m-zed", "acc-2", "zed@example.com", true, "Administrator"),
                new AccountMember("m-inv", "acc-2", null, "invitee@example.com", null, null, MembershipStatus.Pending, null,
                    [new MemberRole("r", "Analytics")], [], FirstSeenAt: Now.AddDays(-45)),
            ],
            Gaps: [],
            Evidence: []), Now, ct);
        await store.CommitInfraStageAsync(run.Id, "c-1", new InfraStageData(
            Zones:
            [
                new Zone("z-shop", "shop.example", "acc-1", "active", false, "Free Website", Secure() with
                {
                    Features = new ZoneFeatures
                    {
                        CertificatePacks =
                        [
                            new CertificatePack("cp-1", "universal", "active", "google", ["shop.example", "*.shop.example"]),
                            new CertificatePack("cp-2", "advanced", "deleted", "lets_encrypt", ["shop.example"]),
                        ],
                    },
                }, "full", "free"),
                new Zone("z-old", "old.example", "acc-2", "active", false, "Free Website", Secure() with { MinTlsVersion = "1.0", Ssl = "flexible" }, "full", "free"),
                new Zone("z-paused", "paused.example", "acc-2", "active", true, "Free Website", null, "full", "free"),
            ],
            Gaps: [],
            Evidence: []), Now, ct);
        await store.FinishRunAsync(run with { Status = SyncStatus.Complete, EndedAt = Now.AddMinutes(1) }, ct);
        time.SetUtcNow(Now.AddMinutes(2));
        await EvaluateAsync(store, time);
    }

    public static Task<Evaluation?> EvaluateAsync(IVigilStore store, TimeProvider time) =>
        CheckEvaluation.Evaluator(store, time).EvaluateCurrentAsync(CheckOptions.Default, CancellationToken.None);

    private static AccountMember Member(string id, string account, string email, bool twoFactor, string role) =>
        new(id, account, "u-" + id, email, email.Split('@')[0], null, MembershipStatus.Accepted, twoFactor, [new MemberRole("r-" + id, role)], [], FirstSeenAt: Now.AddDays(-100));

    private static ZoneSecurity Secure() => new(
        Ssl: "strict",
        MinTlsVersion: "1.2",
        AlwaysUseHttps: "on",
        Hsts: new HstsPolicy(true, 31536000, true, false),
        SecurityLevel: "medium",
        LegacyWaf: "off",
        DnssecStatus: "active",
        Entrypoints: new Dictionary<string, PhaseEntrypoint?>
        {
            [RulesetPhases.ManagedWaf] = new PhaseEntrypoint(RulesetPhases.ManagedWaf, "rs-1",
                [new RulesetRule("rule-1", "execute", true, "efb7b8c949ac4650a09736fc376e9aee", false, "Cloudflare Managed Ruleset")]),
            [RulesetPhases.CustomFirewall] = null,
        });
}
