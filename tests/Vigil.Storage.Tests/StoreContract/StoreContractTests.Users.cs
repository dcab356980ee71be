using Vigil.Core.Storage;
using Vigil.Core.Users;

namespace Vigil.Storage.Tests.StoreContract;

public abstract partial class StoreContractTests
{
    private static WebUser User(string email, UserRole role = UserRole.Viewer) =>
        new(email, role, "AQAAAAIAAYagAAAAE-hash-" + email, "stamp-1", Sample.Start);

    [Fact]
    public async Task Users_are_added_found_case_insensitively_updated_and_removed_across_opens()
    {
        await using (var store = await OpenAsync())
        {
            var users = UsersOf(store);
            Assert.Empty(await users.ListUsersAsync(Ct));
            Assert.True(await users.AddUserAsync(User("Ada@Example.com", UserRole.Admin), Ct));
            Assert.True(await users.AddUserAsync(User("bob@example.com", UserRole.Reviewer), Ct));
            Assert.False(await users.AddUserAsync(User("ADA@example.com"), Ct));
        }

        await using (var reopened = await OpenAsync())
        {
            var users = UsersOf(reopened);
            Assert.Equal(["ada@example.com", "bob@example.com"], (await users.ListUsersAsync(Ct)).Select(u => u.Email));
            var ada = await users.FindUserAsync("ADA@EXAMPLE.COM", Ct);
            Assert.NotNull(ada);
            Assert.Equal(UserRole.Admin, ada.Role);
            Assert.Null(ada.LockedUntil);

            var locked = ada with { FailedSignIns = 3, LockedUntil = Sample.Start.AddMinutes(15), SecurityStamp = "stamp-2", ApiKeyId = "key-1", ApiKeyHash = "abc", ApiKeyCreatedAt = Sample.Start };
            Assert.True(await users.UpdateUserAsync(locked, Ct));
            Sample.AssertDeepEqual(locked with { Email = "ada@example.com" }, await users.FindUserAsync("ada@example.com", Ct));
            Sample.AssertDeepEqual(locked with { Email = "ada@example.com" }, await users.FindUserByApiKeyAsync("key-1", Ct));
            Assert.Null(await users.FindUserByApiKeyAsync("key-2", Ct));
            Assert.False(await users.UpdateUserAsync(User("nobody@example.com"), Ct));

            Assert.True(await users.RemoveUserAsync("Ada@example.com", Ct));
            Assert.False(await users.RemoveUserAsync("ada@example.com", Ct));
            Assert.Null(await users.FindUserByApiKeyAsync("key-1", Ct));
            Assert.Equal(["bob@example.com"], (await users.ListUsersAsync(Ct)).Select(u => u.Email));
        }
    }

    [Fact]
    public async Task Users_belong_to_one_organisation_and_an_email_to_one_organisation_only()
    {
        await using var store = await OpenAsync();
        var root = store.Store ?? throw new InvalidOperationException("this backend does not expose its store");
        var other = await root.AddOrganisationAsync("Globex", Sample.Start, Ct);
        await using var globex = root.ForOrganisation(other);

        Assert.True(await ((IUserStore)root).AddUserAsync(User("ada@example.com"), Ct));
        Assert.True(await ((IUserStore)globex).AddUserAsync(User("gil@globex.example"), Ct));
        // The same email in a second organisation is refused: sign-in needs no organisation name.
        Assert.False(await ((IUserStore)globex).AddUserAsync(User("ada@example.com"), Ct));

        Assert.Equal(["ada@example.com"], (await ((IUserStore)root).ListUsersAsync(Ct)).Select(u => u.Email));
        Assert.Equal(["gil@globex.example"], (await ((IUserStore)globex).ListUsersAsync(Ct)).Select(u => u.Email));
        Assert.Null(await ((IUserStore)globex).FindUserAsync("ada@example.com", Ct));
        Assert.False(await ((IUserStore)globex).RemoveUserAsync("ada@example.com", Ct));
        Assert.NotNull(await ((IUserStore)root).FindUserAsync("ada@example.com", Ct));
    }

    private static IUserStore UsersOf(StoreUnderTest store) =>
        store.Store as IUserStore ?? throw new InvalidOperationException("this backend does not expose its user store to the contract tests");
}
