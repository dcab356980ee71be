using Vigil.Storage.Tests.Sqlite;

namespace Vigil.Storage.Tests;

public sealed class VigilHomeTests : IDisposable
{
    private readonly TempHome _parent = new();

    [Fact]
    public void The_environment_folder_is_used_and_created_owner_only()
    {
        var wanted = Path.Combine(_parent.Path, "home");

        var home = VigilHome.Resolve(explicitPath: null, fromEnvironment: wanted);

        Assert.Equal(wanted, home);
        Assert.True(Directory.Exists(home));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home));
        }

        Assert.Equal(Path.Combine(wanted, "vigil.db"), VigilHome.DatabasePath(home));
    }

    [Fact]
    public void An_explicit_folder_wins_over_the_environment()
    {
        var explicitHome = Path.Combine(_parent.Path, "explicit");

        Assert.Equal(explicitHome, VigilHome.Resolve(explicitHome, Path.Combine(_parent.Path, "env")));
        Assert.False(Directory.Exists(Path.Combine(_parent.Path, "env")));
    }

    [Fact]
    public void Without_a_setting_the_folder_is_dot_vigil_in_the_user_profile()
    {
        var expected = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vigil");

        Assert.Equal(expected, VigilHome.Locate(null, null));
    }

    public void Dispose() => _parent.Dispose();
}
