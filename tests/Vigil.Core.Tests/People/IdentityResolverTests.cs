using Vigil.Core.People;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.People;

public sealed class IdentityResolverTests
{
    private static IdentityResolver Resolver(IEnumerable<Person> people, params IdentityMapping[] mappings) => new(new StaffDirectory(people), mappings);

    [Fact]
    public void Resolves_by_email_then_alias_case_insensitively()
    {
        var resolver = Resolver([Active("jane@acme.test", "engineer", "jd@old.test")]);

        Assert.Equal(IdentityMatch.Email, Assert.IsType<MemberIdentity.Identified>(resolver.Resolve("Jane@Acme.test")).MatchedBy);
        Assert.Equal(IdentityMatch.Alias, Assert.IsType<MemberIdentity.Identified>(resolver.Resolve("JD@old.test")).MatchedBy);
    }

    [Fact]
    public void An_explicit_mapping_wins_over_an_email_match()
    {
        var resolver = Resolver([Active("shared@acme.test"), Active("jane@acme.test")], MapToPerson("shared@acme.test", "JANE@acme.test"));

        var identity = Assert.IsType<MemberIdentity.Identified>(resolver.Resolve("shared@acme.test"));
        Assert.Equal(("jane@acme.test", IdentityMatch.Mapping), (identity.Person.Email, identity.MatchedBy));
    }

    [Fact]
    public void Maps_service_accounts_with_their_justification()
    {
        var resolver = Resolver([], MapToService("CI@acme.test", " Deploys DNS from Terraform "));

        Assert.Equal("Deploys DNS from Terraform", Assert.IsType<MemberIdentity.ServiceAccount>(resolver.Resolve("ci@acme.test")).Justification);
    }

    [Fact]
    public void A_mapping_to_a_person_not_in_the_directory_is_unidentified_with_a_reason()
    {
        var resolver = Resolver([], MapToPerson("c@agency.test", "gone@acme.test"));

        Assert.Contains("gone@acme.test, who is not in the staff directory", Assert.IsType<MemberIdentity.Unidentified>(resolver.Resolve("c@agency.test")).Reason);
    }

    [Fact]
    public void Unknown_members_are_unidentified()
    {
        Assert.Contains("matches no email or alias", Assert.IsType<MemberIdentity.Unidentified>(Resolver([]).Resolve("x@y.test")).Reason);
    }

    [Fact]
    public void The_newest_mapping_for_a_member_wins()
    {
        var older = new IdentityMapping("bot@acme.test", null, "old reason", Now.AddDays(-1));
        var newer = new IdentityMapping("bot@acme.test", null, "new reason", Now);

        Assert.Equal("new reason", Assert.IsType<MemberIdentity.ServiceAccount>(Resolver([], newer, older).Resolve("bot@acme.test")).Justification);
    }
}
