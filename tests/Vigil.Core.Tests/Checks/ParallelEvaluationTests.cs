using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Sync;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks;

/// <summary>
/// The checks are shared among the cores (<see cref="CheckRunner"/>) and what they share is built once per evaluation
/// (<see cref="MemberFacts"/>): neither may change a word of any finding, nor the order of results or findings.
/// </summary>
public sealed class ParallelEvaluationTests
{
    private const string Super = SuperAdminsBounded.SuperAdminName;

    /// <summary>
    /// An organisation with every kind of membership (people active and offboarded, aliases, mapped service accounts,
    /// unidentified, no email, pending, rejected, policies, groups), accounts with a gap, and zones with DNS records:
    /// more memberships than <see cref="MemberFacts"/> builds on one thread.
    /// </summary>
    private static (Snapshot Snapshot, List<Person> People, List<IdentityMapping> Mappings) Organisation(int memberships = 6_000)
    {
        var builder = new SnapshotBuilder().Account("acc-a", "Alpha").Account("acc-b", "Beta", enforceTwoFactor: false).Account("acc-c", "Gamma");
        var people = new List<Person>();
        for (var p = 0; p < memberships / 2; p++)
        {
            people.Add(p % 31 == 0
                ? Offboarded($"p{p}@acme.test", new DateOnly(2025, 5, 1 + (p % 28)), orgRole: p % 2 == 0 ? "engineer" : null)
                : Active($"p{p}@acme.test", orgRole: (p % 7) switch { 0 => "sre", 1 => "finance", 2 => null, 3 => "sales", _ => "engineer" }, aliases: p % 11 == 0 ? [$"alias{p}@old.test"] : []));
        }
        for (var m = 0; m < memberships; m++)
        {
            var account = (m % 3) switch { 0 => "acc-a", 1 => "acc-b", _ => "acc-c" };
            var email = (m % 50) switch
            {
                49 => $"stranger{m}@elsewhere.test",
                48 => $"bot{m % 5}@ci.test",
                47 => " ",
                46 => $"alias{(m / 2) / 11 * 11}@old.test",
                _ => $"p{m / 2}@acme.test",
            };
            var status = (m % 40) switch { 39 => MembershipStatus.Pending, 38 => MembershipStatus.Other, _ => MembershipStatus.Accepted };
            string[] roles = m < 9 ? [Super] : (m % 9) switch { 0 => ["Administrator"], 1 => ["DNS"], 2 => [], 3 => ["Billing", "DNS"], _ => ["Administrator Read Only"] };
            MemberPolicy[]? policies = (m % 13) switch
            {
                0 => [new MemberPolicy($"pol{m}", "allow", ["Zone Read", "DNS"], ["all zones"], Scopes: [new PolicyScope(PolicyScope.AllZones, account)])],
                1 => [new MemberPolicy($"pol{m}", "allow", [Super], ["account"], ViaGroup: "Ops")],
                _ => null,
            };
            builder.Member(email, account, status, twoFactor: (m % 17) switch { 0 => false, 1 => null, _ => true }, roles: roles, policies: policies,
                statusText: status == MembershipStatus.Other ? "rejected" : null, firstSeenAt: m % 5 == 0 ? null : SnapshotBuilder.SyncedAt.AddDays(-(m % 40)));
        }
        builder.Gap("access", UserAccessValid.UserGroupGap, "acc-c", missingPermission: "Account Settings Read");
        for (var z = 0; z < 40; z++)
        {
            builder.DnsZone($"site{z}.example", z % 4 == 0 ? [DnsSpec.A("@", "10.0.0.1", proxied: false), DnsSpec.Cname("docs", "x.github.io")] : DnsSpec.Compliant($"site{z}.example"),
                configure: s => z % 3 == 0 ? s with { MinTlsVersion = "1.0", Ssl = "flexible" } : s);
        }
        builder.Zone("paused.example", paused: true).ZoneWithoutSecurity("unread.example");
        List<IdentityMapping> mappings = [MapToService("bot0@ci.test", "deploys"), MapToService("bot1@ci.test", " "), MapToPerson("bot2@ci.test", "p3@acme.test"), MapToPerson("bot3@ci.test", "gone@acme.test")];
        return (builder.Build(), people, mappings);
    }

    private static EvaluationContext ContextOf((Snapshot Snapshot, List<Person> People, List<IdentityMapping> Mappings) org) =>
        Context(org.Snapshot, org.People, org.Mappings, Cloudflare("engineer=Administrator Read Only,DNS,Zone Read@account", "sre", "finance=Billing"), Now.AddHours(2));

    [Fact]
    public void Parallel_evaluation_gives_exactly_the_sequential_result_in_the_same_order()
    {
        var org = Organisation();
        var sequential = CheckRunner.Evaluate(ContextOf(org), null, parallelism: 1);

        foreach (var parallelism in new[] { 2, 3, 8 })
        {
            var parallel = CheckRunner.Evaluate(ContextOf(org), null, parallelism);

            Assert.Equal(sequential.Results.Select(r => r.CheckId), parallel.Results.Select(r => r.CheckId));
            for (var i = 0; i < sequential.Results.Count; i++)
            {
                var (expected, actual) = (sequential.Results[i], parallel.Results[i]);
                Assert.Equal(expected.Status, actual.Status);
                Assert.Equal(expected.Notes ?? [], actual.Notes ?? []);
                // Record equality: every field of every finding, in order.
                Assert.Equal(expected.Findings, actual.Findings);
            }
        }
        Assert.Equal(CheckCatalog.All.Select(c => c.Definition.Id), sequential.Results.Select(r => r.CheckId));
        // The organisation exercises the access checks in every outcome, so the comparison is not between two empty results.
        var access = sequential.Results.Where(r => r.CheckId is "cloudflare.user-access-valid" or "cloudflare.user-identified").SelectMany(r => r.Findings).ToList();
        Assert.Contains(access, f => f.Status == FindingStatus.Pass);
        Assert.Contains(access, f => f.Status == FindingStatus.Fail);
        Assert.Contains(access, f => f.Status == FindingStatus.Skipped);
        Assert.Contains(access, f => f.Status == FindingStatus.Unknown);
    }

    [Fact]
    public void The_default_evaluation_uses_the_cores_and_gives_the_one_core_result()
    {
        var org = Organisation(memberships: 300);
        var sequential = CheckRunner.Evaluate(ContextOf(org), null, parallelism: 1);
        var byDefault = CheckRunner.Evaluate(ContextOf(org));

        Assert.Equal(sequential.Results.SelectMany(r => r.Findings), byDefault.Results.SelectMany(r => r.Findings));
        Assert.Equal(sequential.Results.Select(r => (r.CheckId, r.Status)), byDefault.Results.Select(r => (r.CheckId, r.Status)));
    }

    [Fact]
    public void A_check_that_throws_on_another_core_is_unknown_in_its_own_place()
    {
        var org = Organisation(memberships: 200);
        ICheck[] checks = [new Vigil.Core.Checks.Zones.ZoneDnssec(), new Throwing(), new Member2faEnabled(), new Throwing(), new Vigil.Core.Checks.Dns.DnsSpf()];

        var sequential = CheckRunner.Evaluate(ContextOf(org), checks, parallelism: 1);
        var parallel = CheckRunner.Evaluate(ContextOf(org), checks, parallelism: 2);

        Assert.Equal(checks.Select(c => c.Definition.Id), parallel.Results.Select(r => r.CheckId));
        Assert.Equal(CheckStatus.Unknown, parallel.Results[1].Status);
        Assert.Contains("could not be evaluated: InvalidOperationException: boom", Assert.Single(parallel.Results[3].Findings).Reason);
        Assert.Equal(sequential.Results.SelectMany(r => r.Findings), parallel.Results.SelectMany(r => r.Findings));
    }

    [Fact]
    public void Member_facts_built_on_several_cores_are_what_each_membership_gives_on_its_own()
    {
        var org = Organisation();
        var prepared = ContextOf(org);
        prepared.Prepare(DataNeeds.Members, parallelism: 4);
        var alone = ContextOf(org);

        foreach (var member in org.Snapshot.Members)
        {
            Assert.Equal(Memberships.DescribeOnce(alone, member), prepared.MemberFacts.Description(member));
            Assert.Equal(alone.Identities.Resolve(member), prepared.MemberFacts.Identity(member));
            Assert.Equal(MemberGrants.Build(alone, member), prepared.MemberFacts.Grants(member));
        }
        Assert.Equal(["acc-a", "acc-b", "acc-c"], prepared.MemberFacts.AccountsWithMembers.Order());

        // A membership the snapshot does not list (an equal copy is another membership) is described on demand, the same way.
        var copy = org.Snapshot.Members[5] with { };
        Assert.Equal(Memberships.DescribeOnce(alone, copy), prepared.MemberFacts.Description(copy));
        Assert.Equal(MemberGrants.Build(alone, copy), prepared.MemberFacts.Grants(copy));
    }

    [Fact]
    public void Grants_written_into_a_reason_read_as_the_joined_descriptions()
    {
        var account = "acc-a";
        var many = new SnapshotBuilder().Member("a@acme.test", account, roles: [.. Enumerable.Range(0, 60).Select(i => $"Role number {i} with a long name")],
            policies: [new MemberPolicy("p", "allow", ["Zone Read"], ["zone"], Scopes: [new PolicyScope(PolicyScope.Zone, "zone-x")], ViaGroup: "Ops")])
            .Member("b@acme.test", account, roles: []).Build();
        var context = Context(many);
        var grants = MemberGrants.Of(context, many.Members[0]);

        // Longer than the first buffer an interpolated string starts with: the text must survive the buffer growing.
        var text = $"holds {new MemberGrants.Described(grants)}.";
        Assert.Equal($"holds {string.Join(", ", grants.Select(g => g.Description))}.", text);
        Assert.Contains("Zone Read on zone zone-x via group Ops", text);
        Assert.Equal("holds no roles or allow-policies.", $"holds {new MemberGrants.Described(MemberGrants.Of(context, many.Members[1]))}.");
    }

    private sealed class Throwing : ICheck
    {
        public CheckDefinition Definition { get; } = new("cloudflare.throwing", "Throws", Severity.Low, "nothing", "none", [], DataNeeds.Zones);

        public IEnumerable<Finding> Evaluate(EvaluationContext context) => throw new InvalidOperationException("boom");
    }
}
