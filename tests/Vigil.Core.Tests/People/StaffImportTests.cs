using Vigil.Core.People;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.People;

public sealed class StaffImportTests
{
    [Fact]
    public void Plans_added_updated_unchanged_and_missing()
    {
        var existing = new[] { Active("jane@acme.test"), Active("bob@acme.test"), Active("old@acme.test"), Active("sam@acme.test", "sre", "s@old.test") };
        var imported = new[]
        {
            Active("JANE@acme.test") with { Name = "Jane" },
            Offboarded("bob@acme.test", new DateOnly(2025, 5, 20)),
            Active("new@acme.test"),
            Active("sam@acme.test", "sre", "S@OLD.test"),
        };

        var plan = StaffImport.Plan(existing, imported);

        Assert.Equal("new@acme.test", Assert.Single(plan.Added).Email);
        Assert.Equal("sam@acme.test", Assert.Single(plan.Unchanged).Email);
        Assert.Equal("old@acme.test", Assert.Single(plan.MissingFromImport).Email);
        Assert.Equal(2, plan.Updated.Count);
        Assert.Equal(["email"], plan.Updated.Single(u => u.After.Email == "JANE@acme.test").ChangedFields);
        Assert.Equal(["status", "offboarded_on"], plan.Updated.Single(u => u.After.Email == "bob@acme.test").ChangedFields);
        Assert.Equal(3, plan.ToUpsert.Count);
    }

    [Fact]
    public void Detects_role_alias_name_and_manager_changes()
    {
        var before = new Person("jane@acme.test", "Jane", PersonStatus.Active, "engineer", null, ["a@old.test"], "boss@acme.test");
        var after = new Person("jane@acme.test", "Jane Doe", PersonStatus.Active, "sre", null, ["b@old.test"], "other@acme.test");

        var change = Assert.Single(StaffImport.Plan([before], [after]).Updated);

        Assert.Equal(["name", "org_role", "aliases", "manager"], change.ChangedFields);
        Assert.Same(before, change.Before);
    }

    [Fact]
    public void An_empty_store_adds_everyone()
    {
        var plan = StaffImport.Plan([], [Active("a@acme.test"), Active("b@acme.test")]);

        Assert.Equal(2, plan.Added.Count);
        Assert.Empty(plan.MissingFromImport);
    }
}
