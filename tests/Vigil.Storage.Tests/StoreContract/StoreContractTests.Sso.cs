using Vigil.Core.Inventory;

namespace Vigil.Storage.Tests.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Sso_declarations_are_saved_replaced_and_removed_by_account()
    {
        await using var store = await OpenAsync();
        Assert.Empty(await store.Directory.ListSsoDeclarationsAsync(Ct));

        var first = new SsoDeclaration("acc-1", ["acme.example"], "Okta MFA policy", Sample.Start);
        var other = new SsoDeclaration("Acme Labs", ["labs.example", "acme.example"], "Entra ID conditional access", Sample.Start);
        await store.Directory.SaveSsoDeclarationAsync(first, Ct);
        await store.Directory.SaveSsoDeclarationAsync(other, Ct);
        var replaced = first with { Domains = ["acme.example", "acme.dev"], Evidence = "Okta MFA policy v2", DeclaredAt = Sample.Start.AddDays(1) };
        await store.Directory.SaveSsoDeclarationAsync(replaced, Ct);

        await using var reopened = await OpenAsync();
        Sample.AssertDeepEqual<IReadOnlyList<SsoDeclaration>>([other, replaced], await reopened.Directory.ListSsoDeclarationsAsync(Ct));

        Assert.True(await reopened.Directory.RemoveSsoDeclarationAsync("acc-1", Ct));
        Assert.False(await reopened.Directory.RemoveSsoDeclarationAsync("acc-1", Ct));
        Sample.AssertDeepEqual<IReadOnlyList<SsoDeclaration>>([other], await reopened.Directory.ListSsoDeclarationsAsync(Ct));
    }
}
