using Vigil.Core.People;
using Vigil.Core.Systems;

namespace Vigil.Storage.Tests.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task People_round_trip_and_update_by_email_ignoring_case()
    {
        await using var store = await OpenAsync();
        var ada = new Person("ada@example.com", "Ada Lovelace", PersonStatus.Active, "engineer", null, ["ada@old-brand.example"], "grace@example.com");
        var bob = new Person("bob@example.com", "Bob", PersonStatus.Active, null, null, [], null);
        await store.Directory.UpsertPeopleAsync([ada, bob], Ct);

        var adaLeft = new Person("ADA@example.com", "Ada Lovelace", PersonStatus.Offboarded, "engineer", new DateOnly(2026, 10, 31), [], null);
        await store.Directory.UpsertPeopleAsync([adaLeft], Ct);

        Sample.AssertDeepEqual<IReadOnlyList<Person>>([adaLeft, bob], await store.Directory.ListPeopleAsync(Ct));
    }

    [Fact]
    public async Task Upserting_people_never_deletes_anyone()
    {
        await using var store = await OpenAsync();
        await store.Directory.UpsertPeopleAsync(
        [
            new Person("ada@example.com", "Ada", PersonStatus.Active, "engineer", null, [], null),
            new Person("bob@example.com", "Bob", PersonStatus.Active, "support", null, [], null),
        ], Ct);

        await store.Directory.UpsertPeopleAsync([new Person("carol@example.com", "Carol", PersonStatus.Active, null, null, [], null)], Ct);
        await store.Directory.UpsertPeopleAsync([], Ct);

        Assert.Equal(["ada@example.com", "bob@example.com", "carol@example.com"], (await store.Directory.ListPeopleAsync(Ct)).Select(p => p.Email));
    }

    [Fact]
    public async Task Mappings_are_saved_replaced_and_removed_by_member_email_ignoring_case()
    {
        await using var store = await OpenAsync();
        var person = new IdentityMapping("Ada@Example.com", "ada@example.com", null, Sample.Start);
        var service = new IdentityMapping("ci-bot@example.com", null, "Terraform pipeline; owned by platform team", Sample.Start);
        await store.Directory.SaveMappingAsync(person, Ct);
        await store.Directory.SaveMappingAsync(service, Ct);
        Sample.AssertDeepEqual<IReadOnlyList<IdentityMapping>>([person, service], await store.Directory.ListMappingsAsync(Ct));

        var remapped = new IdentityMapping("ada@example.com", "ada.lovelace@example.com", null, Sample.Start.AddDays(1));
        await store.Directory.SaveMappingAsync(remapped, Ct);
        Sample.AssertDeepEqual<IReadOnlyList<IdentityMapping>>([remapped, service], await store.Directory.ListMappingsAsync(Ct));

        Assert.True(await store.Directory.RemoveMappingAsync("CI-BOT@example.com", Ct));
        Assert.False(await store.Directory.RemoveMappingAsync("ci-bot@example.com", Ct));
        Assert.Equal(["ada@example.com"], (await store.Directory.ListMappingsAsync(Ct)).Select(m => m.MemberEmail));
    }

    [Fact]
    public async Task A_mapping_must_name_exactly_one_of_person_and_justification()
    {
        await using var store = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.Directory.SaveMappingAsync(new IdentityMapping("x@example.com", "p@example.com", "both", Sample.Start), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.Directory.SaveMappingAsync(new IdentityMapping("x@example.com", null, null, Sample.Start), Ct));
        Assert.Empty(await store.Directory.ListMappingsAsync(Ct));
    }

    [Fact]
    public async Task Critical_systems_are_saved_found_and_replaced_by_name()
    {
        await using var store = await OpenAsync();
        var system = new CriticalSystem("cloudflare",
            [new AllowedOrgRole("engineer", ["Administrator", "DNS"]), new AllowedOrgRole("security", [])], Sample.Start);
        await store.Directory.SaveSystemAsync(system, Ct);
        Sample.AssertDeepEqual(system, await store.Directory.FindSystemAsync("Cloudflare", Ct));

        var narrowed = system with { AllowedRoles = [new AllowedOrgRole("security", ["Administrator Read Only"])] };
        await store.Directory.SaveSystemAsync(narrowed, Ct);

        Sample.AssertDeepEqual(narrowed, await store.Directory.FindSystemAsync("cloudflare", Ct));
        Assert.Null(await store.Directory.FindSystemAsync("github", Ct));
    }
}
