using Vigil.Core.People;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.People;

public sealed class StaffDirectoryTests
{
    [Fact]
    public void Finds_by_email_or_alias_case_insensitively()
    {
        var directory = new StaffDirectory([Active("jane@acme.test", "engineer", "jd@old.test")]);

        Assert.Equal("jane@acme.test", directory.Find("JANE@acme.TEST")?.Email);
        Assert.Equal("jane@acme.test", directory.Find(" JD@old.test ", out var viaAlias)?.Email);
        Assert.True(viaAlias);
        Assert.Null(directory.FindByEmail("jd@old.test"));
        Assert.Null(directory.Find("nobody@acme.test"));
    }

    [Fact]
    public void An_email_match_wins_over_someone_elses_alias()
    {
        var directory = new StaffDirectory([Active("a@acme.test", "engineer", "b@acme.test"), Active("b@acme.test")]);

        Assert.Equal("b@acme.test", directory.Find("b@acme.test", out var viaAlias)?.Email);
        Assert.False(viaAlias);
    }

    [Fact]
    public void Keeps_the_first_of_duplicate_emails()
    {
        var directory = new StaffDirectory([Active("a@acme.test", "first"), Active("A@acme.test", "second")]);

        Assert.Equal("first", directory.Find("a@acme.test")?.OrgRole);
        Assert.Single(directory.People);
    }
}
