using Vigil.Storage.Sqlite;

namespace Vigil.Storage;

/// <summary>Opens the Vigil database the environment names: PostgreSQL when VIGIL_DATABASE is set, else the SQLite file in the Vigil home.</summary>
public static class VigilDatabase
{
    public const string EnvironmentVariable = "VIGIL_DATABASE";

    /// <summary>Opens the database (applying pending migrations), bound to the default organisation.</summary>
    /// <param name="databaseUrl">VIGIL_DATABASE's value; null or blank for the embedded SQLite file.</param>
    /// <param name="home">The Vigil home (key file, SQLite database); null for $VIGIL_HOME or ~/.vigil.</param>
    public static async Task<IVigilStore> OpenAsync(string? databaseUrl, string? home, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(databaseUrl))
        {
            return await SqliteStore.OpenInHomeAsync(home, time, ct);
        }

        throw new InvalidOperationException("VIGIL_DATABASE is set, but this build of Vigil has no PostgreSQL store yet; unset it to use the embedded database.");
    }

    /// <summary>Opens the database the environment names (VIGIL_DATABASE, VIGIL_HOME).</summary>
    public static Task<IVigilStore> OpenFromEnvironmentAsync(TimeProvider time, CancellationToken ct) =>
        OpenAsync(Environment.GetEnvironmentVariable(EnvironmentVariable), null, time, ct);
}
