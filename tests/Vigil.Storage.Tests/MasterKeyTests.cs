using Vigil.Storage.Tests.Sqlite;

namespace Vigil.Storage.Tests;

public sealed class MasterKeyTests : IDisposable
{
    private readonly TempHome _home = new();

    [Fact]
    public void The_key_file_is_created_once_owner_only_and_reused()
    {
        var first = MasterKey.LoadOrCreate(_home.Path, fromEnvironment: null);
        var second = MasterKey.LoadOrCreate(_home.Path, fromEnvironment: null);

        Assert.Equal(first.Fingerprint, second.Fingerprint);
        var keyFile = Path.Combine(_home.Path, MasterKey.KeyFileName);
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(keyFile)).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public void The_environment_key_wins_over_the_key_file()
    {
        var fileKey = MasterKey.LoadOrCreate(_home.Path, fromEnvironment: null);
        var base64 = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

        var envKey = MasterKey.LoadOrCreate(_home.Path, base64);

        Assert.Equal(MasterKey.FromBase64(base64).Fingerprint, envKey.Fingerprint);
        Assert.NotEqual(fileKey.Fingerprint, envKey.Fingerprint);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_malformed_key_is_refused_without_echoing_it(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => MasterKey.FromBase64(value));

        Assert.DoesNotContain(value, error.Message);
        Assert.Contains("32", error.Message);
    }

    [Fact]
    public void Encryption_is_bound_to_the_connection_id()
    {
        var key = MasterKey.Generate();
        var sealedBox = key.Encrypt("c-1", "token-value");

        Assert.Equal("token-value", key.TryDecrypt("c-1", sealedBox));
        Assert.Null(key.TryDecrypt("c-2", sealedBox));
        Assert.Null(MasterKey.Generate().TryDecrypt("c-1", sealedBox));
        Assert.Equal("[redacted]", key.ToString());
    }

    public void Dispose() => _home.Dispose();
}
