using Vigil.Core;
using Vigil.Core.Sync;

namespace Vigil.Storage.Tests.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Connection_round_trips_every_field()
    {
        await using var store = await OpenAsync();
        var connection = new Connection("c-1", "prod", ConnectionPurpose.Access, "https://cf.internal/client/v4", "acc-1",
            CredentialKind.GlobalKey, "ops@example.com", Sample.Start, Sample.Start.AddMinutes(5), "ok: 2 accounts",
            new HashSet<string> { "zone_settings_batch" });
        await store.Connections.SaveAsync(connection, new Secret("key-123"), Ct);

        Sample.AssertDeepEqual(connection, await store.Connections.FindAsync("prod", Ct));
        Sample.AssertDeepEqual<IReadOnlyList<Connection>>([connection], await store.Connections.ListAsync(Ct));
        Assert.Null(await store.Connections.FindAsync("staging", Ct));
    }

    [Fact]
    public async Task Secret_round_trips()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("cf-token-abc"), Ct);

        var secret = await store.Connections.ReadSecretAsync("c-1", Ct);

        Assert.Equal("cf-token-abc", secret.Reveal());
    }

    [Fact]
    public async Task Saving_the_same_id_again_replaces_fields_and_secret()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("old-token"), Ct);

        await store.Connections.SaveAsync(Sample.Connection("c-1", "production", ConnectionPurpose.Infra), new Secret("new-token"), Ct);

        var only = Assert.Single(await store.Connections.ListAsync(Ct));
        Assert.Equal(("production", ConnectionPurpose.Infra), (only.Name, only.Purpose));
        Assert.Equal("new-token", (await store.Connections.ReadSecretAsync("c-1", Ct)).Reveal());
    }

    [Fact]
    public async Task Saving_a_new_id_under_an_existing_name_replaces_that_connection()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-old", "prod"), new Secret("old-token"), Ct);

        await store.Connections.SaveAsync(Sample.Connection("c-new", "prod"), new Secret("new-token"), Ct);

        Assert.Equal("c-new", Assert.Single(await store.Connections.ListAsync(Ct)).Id);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.Connections.ReadSecretAsync("c-old", Ct));
    }

    [Fact]
    public async Task Remove_deletes_the_connection_and_its_secret()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("cf-token-abc"), Ct);

        Assert.True(await store.Connections.RemoveAsync("prod", Ct));

        Assert.Empty(await store.Connections.ListAsync(Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.Connections.ReadSecretAsync("c-1", Ct));
        Assert.False(await store.Connections.RemoveAsync("prod", Ct));
    }

    [Fact]
    public async Task Test_results_and_ended_endpoints_are_remembered()
    {
        await using var store = await OpenAsync();
        await store.Connections.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("cf-token-abc"), Ct);

        await store.Connections.RecordTestAsync("c-1", Sample.Start.AddHours(1), "token active; 1 account", Ct);
        await store.Connections.RememberEndedEndpointAsync("c-1", "zone_settings_batch", Ct);
        await store.Connections.RememberEndedEndpointAsync("c-1", "zone_settings_batch", Ct);
        await store.Connections.RememberEndedEndpointAsync("c-1", "legacy_waf", Ct);

        await using var reopened = await OpenAsync();
        var connection = await reopened.Connections.FindAsync("prod", Ct);
        Assert.NotNull(connection);
        Assert.Equal(Sample.Start.AddHours(1), connection.LastTestedAt);
        Assert.Equal("token active; 1 account", connection.LastTestSummary);
        Assert.Equal(["legacy_waf", "zone_settings_batch"], connection.EndedEndpoints.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Updating_an_unknown_connection_says_so()
    {
        await using var store = await OpenAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.Connections.RecordTestAsync("nope", Sample.Start, "ok", Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.Connections.RememberEndedEndpointAsync("nope", "x", Ct));
    }
}
