using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Sqlite;

public sealed class SqliteCredentialTests : IDisposable
{
    private const string Token = "cf-secret-token-7Hq2ZxV9pL4mN8rT";

    private readonly TempHome _home = new();
    private readonly FakeTimeProvider _time = new(Sample.Start);
    private readonly MasterKey _key = MasterKey.Generate();

    [Fact]
    public async Task The_database_files_never_contain_the_secret()
    {
        await using (var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None))
        {
            await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret(Token), CancellationToken.None);
            Assert.Equal(Token, (await store.ReadSecretAsync("c-1", CancellationToken.None)).Reveal());

            // While open, the write may sit only in the -wal file: check every file.
            AssertAbsent(_home.DatabaseBytes());
        }

        AssertAbsent(_home.DatabaseBytes());
    }

    [Fact]
    public async Task A_changed_master_key_gives_a_clear_error_without_the_secret()
    {
        await using (var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None))
        {
            await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret(Token), CancellationToken.None);
        }

        await using var withOtherKey = await SqliteStore.OpenAsync(_home.DatabasePath, MasterKey.Generate(), _time, CancellationToken.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => withOtherKey.ReadSecretAsync("c-1", CancellationToken.None));

        Assert.Equal("cannot decrypt the stored credential for connection prod: the master key changed; re-run vigil connect", error.Message);
        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public async Task A_credential_copied_onto_another_connection_does_not_decrypt()
    {
        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, _time, CancellationToken.None);
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret(Token), CancellationToken.None);
        await store.SaveAsync(Sample.Connection("c-2", "lab"), new Secret("lab-token"), CancellationToken.None);

        using (var connection = new SqliteConnection($"Data Source={_home.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var copy = connection.CreateCommand();
            copy.CommandText = "UPDATE connection_secrets SET sealed = (SELECT sealed FROM connection_secrets WHERE connection_id = 'c-1') WHERE connection_id = 'c-2';";
            Assert.Equal(1, copy.ExecuteNonQuery());
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadSecretAsync("c-2", CancellationToken.None));

        Assert.StartsWith("cannot decrypt the stored credential for connection lab", error.Message);
        Assert.DoesNotContain(Token, error.ToString());
        Assert.Equal(Token, (await store.ReadSecretAsync("c-1", CancellationToken.None)).Reveal());
    }

    public void Dispose() => _home.Dispose();

    private static void AssertAbsent(byte[] fileBytes)
    {
        Assert.NotEmpty(fileBytes);
        Assert.Equal(-1, fileBytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Token)));
        Assert.Equal(-1, fileBytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(Token)));
    }
}
