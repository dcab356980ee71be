namespace Vigil.Storage;

/// <summary>The folder holding Vigil's database and key file: $VIGIL_HOME, else ~/.vigil.</summary>
public static class VigilHome
{
    public const string EnvironmentVariable = "VIGIL_HOME";
    public const string DatabaseFileName = "vigil.db";

    /// <summary>Resolves the data folder and creates it if missing (owner-only on Unix: it holds the key file).</summary>
    /// <param name="explicitPath">A folder given on the command line; wins over the environment.</param>
    public static string Resolve(string? explicitPath = null) =>
        Resolve(explicitPath, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The folder <see cref="Resolve(string?)"/> would use, without creating it.</summary>
    public static string Locate() => Locate(null, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>What a command that writes says when the home is read-only.</summary>
    public static string ReadOnlyMessage(string home) =>
        $"the Vigil home {home} is read-only, so this command, which writes, cannot run. Commands that only read " +
        "(connections list, staff list, runs, checks) still work; make the folder and vigil.db writable to sync or change anything.";

    internal static string Locate(string? explicitPath, string? fromEnvironment) => Path.GetFullPath(
        !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath
        : !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".vigil"));

    internal static string Resolve(string? explicitPath, string? fromEnvironment)
    {
        var home = Locate(explicitPath, fromEnvironment);

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(home);
        }
        else
        {
            // An existing folder keeps its mode: the user may have chosen it on purpose.
            Directory.CreateDirectory(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return home;
    }

    public static string DatabasePath(string home) => Path.Combine(home, DatabaseFileName);
}
