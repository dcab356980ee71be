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

        return await Postgres.PostgresStore.OpenAsync(databaseUrl, home, time, ct);
    }

    /// <summary>Whether a PostgreSQL URL or connection string itself carries a password (rather than taking one from the environment).</summary>
    public static bool CarriesPassword(string databaseUrl) => Postgres.PostgresConnectionString.HasPassword(databaseUrl);

    /// <summary>Opens the database the environment names (VIGIL_DATABASE, VIGIL_HOME).</summary>
    public static Task<IVigilStore> OpenFromEnvironmentAsync(TimeProvider time, CancellationToken ct) =>
        OpenAsync(Environment.GetEnvironmentVariable(EnvironmentVariable), null, time, ct);

    /// <summary>
    /// The Npgsql connection string for a PostgreSQL VIGIL_DATABASE (password from VIGIL_DATABASE_PASSWORD when the URL
    /// has none), for the parts of Vigil that talk to the same database themselves: the scheduler's job store and the
    /// shared request budget. Never printed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The value is not a PostgreSQL URL or connection string.</exception>
    public static string PostgresConnectionString(string databaseUrl)
    {
        try
        {
            return Postgres.PostgresConnectionString.Parse(databaseUrl, Environment.GetEnvironmentVariable).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }
}
